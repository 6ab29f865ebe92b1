"""One spec pair per rule of the catalogue (``cases/<rule>/``), and pure refactors.

    python -m tests.diff.test_cases --regen   # rewrite every expected.json: review the git diff

Each case's records must equal its reviewed ``expected.json`` and must include its own
rule (so a regenerated expectation that lost the rule fails even if accepted blindly);
every rule of ``codegen.diff.rules.RULES`` has a case. Each refactor pair changes the
files (split, reordered, ``$ref`` vs inline, descriptions...) and nothing a client
sees: no breaking change and no warning.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from codegen.diff.rules import RULES
from tests.diff.support import CASES, REFACTORS, records, run_pair

CASE_DIRS = sorted(p for p in CASES.iterdir() if p.is_dir())
REFACTOR_DIRS = sorted(p for p in REFACTORS.iterdir() if p.is_dir())


def test_every_rule_has_a_case_and_every_case_a_rule() -> None:
    assert {p.name for p in CASE_DIRS} == set(RULES)
    assert len(CASE_DIRS) >= 46


@pytest.mark.parametrize("case", CASE_DIRS, ids=lambda p: p.name)
def test_case_reports_its_rule_as_expected(case: Path) -> None:
    found = records(run_pair(case))
    assert case.name in {r["rule"] for r in found}
    expected = json.loads((case / "expected.json").read_text())
    assert found == expected


@pytest.mark.parametrize("pair", REFACTOR_DIRS, ids=lambda p: p.name)
def test_refactor_reports_nothing_breaking_or_warning(pair: Path) -> None:
    old = sorted(p.read_bytes() for p in (pair / "old").iterdir())
    new = sorted(p.read_bytes() for p in (pair / "new").iterdir())
    assert old != new  # the pair really changes the files
    diff = run_pair(pair)
    serious = [c.message for c in diff.changes if c.level != "info"]
    assert serious == []
    assert len(REFACTOR_DIRS) >= 10


def regenerate() -> None:
    for case in CASE_DIRS:
        text = json.dumps(records(run_pair(case)), indent=2, ensure_ascii=False) + "\n"
        (case / "expected.json").write_text(text)
    print(f"wrote {len(CASE_DIRS)} expected.json files: review them with git diff")


if __name__ == "__main__" and "--regen" in sys.argv:
    regenerate()


RECURSIVE = """\
openapi: 3.1.0
info: {title: Tree, version: 1.0.0}
paths:
  /nodes:
    get:
      operationId: list_nodes
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Node'}
components:
  schemas:
    Node:
      type: object
      properties:
        name: {type: string}
        parent: {$ref: '#/components/schemas/Node'}
        children: {type: array, items: {$ref: '#/components/schemas/Node'}}
"""


def test_recursive_schemas_terminate_and_report_once(tmp_path: Path) -> None:
    from codegen.diff.compare import diff_specs

    (tmp_path / "old.yaml").write_text(RECURSIVE)
    (tmp_path / "new.yaml").write_text(
        RECURSIVE.replace("name: {type: string}", "name: {type: integer}")
    )
    diff = diff_specs(tmp_path / "old.yaml", tmp_path / "new.yaml", api="tree")
    found = [(c.rule, c.where.path) for c in diff.changes if c.rule != "api-version-not-bumped"]
    # Node is reached at the top, as parent and as children[]: one walk, one report
    assert found == [("response-type-changed", "response 200 body `name`")]
    same = diff_specs(tmp_path / "old.yaml", tmp_path / "old.yaml", api="tree")
    assert same.changes == []
