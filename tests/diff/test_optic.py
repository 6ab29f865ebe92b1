"""Side by side with Optic 1.0.9: every break Optic reports, ours reports too.

Optic (``@useoptic/optic``, its "breaking-changes" standard ruleset, what ``optic diff
--check`` runs) is run on every rule case and on the Museum pair (``tests/diff/optic.py``:
installed from ``tools/optic``, one Node process for all pairs). Each check Optic fails
maps to the rules of ours that report the same change (:data:`OPTIC_TO_OURS`); ours must
report one of them on the same operation. Where the two disagree on the *level* (Optic
calls a removed 404 or a new request union member breaking, we do not) the change is
still reported by ours, at the level we judge right (docs/diff.md lists these).
Skipped, with the reason, only when node/npm are not on PATH.
"""

from __future__ import annotations

import re
import sys
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from codegen.diff.compare import diff_specs
from tests.diff.optic import OpticUnavailable, run_optic
from tests.diff.support import CASES, HERE

_REQ_TYPES = {
    "request-type-changed",
    "request-type-generalized",
    "request-type-specialized",
    "request-format-changed",
    "request-became-not-nullable",
}
_RES_TYPES = {
    "response-type-changed",
    "response-type-generalized",
    "response-type-specialized",
    "response-format-changed",
    "response-became-nullable",
}
_GONE = {"endpoint-removed", "endpoint-removed-after-deprecation", "endpoint-path-changed"}
_ENUMS = {
    "request-enum-value-removed",
    "request-enum-value-added",
    "request-became-enum",
    "response-enum-value-added",
    "response-enum-value-removed",
    "response-became-enum",
}

# Optic check name (a regex: the parameter rules exist per location) -> our rules.
OPTIC_TO_OURS: dict[str, set[str]] = {
    r"prevent operation removal": _GONE,
    r"prevent removing response property": _GONE
    | {
        "response-required-property-removed",
        "response-optional-property-removed",
        "response-media-type-removed",
        "response-success-status-removed",
    },
    r"prevent response status code removal": _GONE
    | {"response-success-status-removed", "response-error-status-removed"},
    r"prevent making response property optional": {"response-property-became-optional"},
    r"prevent response property type changes": _RES_TYPES,
    r"prevent changing request property to required": {
        "request-property-added-required",
        "request-property-became-required",
    },
    r"prevent request property type changes": _REQ_TYPES,
    r"prevent new required \w+ parameters": {
        "request-parameter-added-required",
        "request-path-parameter-added",
    },
    r"prevent requiring existing \w+ parameters": {"request-parameter-became-required"},
    r"prevent \w+ parameters? type changes?": _REQ_TYPES,
    r"prevent \w+ parameters enum breaking changes": _ENUMS,
    r"request and response property enums": _ENUMS,
    r"prevent expanded in request union types": {
        "request-union-member-added",
        "request-union-member-removed",
    },
    r"prevent narrowing in response union types": {
        "response-union-member-removed",
        "response-union-member-added",
    },
}

# Optic false positives, with the change ours reports instead (checked below).
OPTIC_WRONG = {
    # A new request media type: Optic compares its schema with nothing and calls the
    # existing required properties "changed to required"; no client sends it yet.
    ("request-media-type-added", "prevent changing request property to required"): (
        "request-media-type-added"
    ),
}

PAIRS: list[tuple[str, Path, Path]] = [
    (case.name, case / "old" / "openapi.yaml", case / "new" / "openapi.yaml")
    for case in sorted(p for p in CASES.iterdir() if p.is_dir())
] + [
    (
        f"museum {a}->{b}",
        HERE / f"realistic/{a}/museum/openapi.yaml",
        HERE / f"realistic/{b}/museum/openapi.yaml",
    )
    for a, b in (("v1", "v2"), ("v2", "v3"))
]


@cache
def optic_results() -> dict[str, list[dict[str, Any]]]:
    try:
        found = run_optic([(old, new) for _, old, new in PAIRS])
    except OpticUnavailable as exc:
        if "not on PATH" in str(exc):
            pytest.skip(str(exc))
        raise
    return {name: entry["failed"] for (name, _, _), entry in zip(PAIRS, found, strict=True)}


def _operation(pointer: str) -> str:
    parts = pointer.split("/")
    if len(parts) < 4 or parts[1] != "paths":
        return ""
    return f"{parts[3].upper()} {parts[2].replace('~1', '/').replace('~0', '~')}"


def _ours(old: Path, new: Path) -> set[tuple[str, str]]:
    """(operation, rule) of every change ours reports; a moved endpoint counts for its
    old operation too (Optic reports the old one removed)."""
    out = set()
    for c in diff_specs(old, new, api="x").changes:
        out.add((c.where.operation, c.rule))
        moved = re.search(r"moved from (\S+) to", c.message)
        if c.rule == "endpoint-path-changed" and moved:
            out.add((f"{c.where.operation.split()[0]} {moved.group(1)}", c.rule))
    return out


def _mapped(optic_rule: str) -> set[str] | None:
    for pattern, ours in OPTIC_TO_OURS.items():
        if re.fullmatch(pattern, optic_rule):
            return ours
    return None


@pytest.mark.parametrize(("name", "old", "new"), PAIRS, ids=[p[0] for p in PAIRS])
def test_every_break_optic_reports_ours_reports(name: str, old: Path, new: Path) -> None:
    failed = optic_results()[name]
    ours = _ours(old, new)
    missing = []
    for check in failed:
        expected = _mapped(check["rule"])
        assert expected is not None, f"Optic check {check['rule']!r} is not mapped to our rules"
        wrong = OPTIC_WRONG.get((name, check["rule"]))
        if wrong is not None:
            assert any(rule == wrong for _, rule in ours)
            continue
        op = _operation(check["path"])
        if not any(o == op and rule in expected for o, rule in ours):
            missing.append(f"{check['rule']} at {op}: {check['message']}")
    assert not missing, "\n".join(missing)


def test_optic_finds_breaks_at_all() -> None:
    """The comparison can fail: Optic does report breaks on this corpus."""
    results = optic_results()
    assert sum(len(f) for f in results.values()) > 20
    assert results["endpoint-removed"] and not results["endpoint-added"]


def missed_by_optic() -> list[tuple[str, str, str]]:
    """Cases whose own rule ours reports as breaking or warning where Optic reports
    nothing at all: (rule, level, what breaks)."""
    from codegen.diff.rules import RULES

    rows = []
    for name, failed in optic_results().items():
        rule = RULES.get(name)
        if rule is not None and rule.level != "info" and not failed:
            rows.append((rule.id, rule.level, ", ".join(rule.breaks) or "-"))
    return rows


if __name__ == "__main__" and "--table" in sys.argv:
    for rule_id, level, breaks in missed_by_optic():
        print(f"| `{rule_id}` | {level} | {breaks} |")
