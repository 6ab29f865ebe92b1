"""A real API changed the way real APIs change, and this project's own history.

* ``realistic/``: the Redocly Museum API from ``../shared/specs-corpus`` (v1, as
  published), v2 (a field added, an enum value added to requests and responses, a
  query parameter made required, an endpoint deprecated, a schema renamed) and v3 (the
  deprecated endpoint removed). The Markdown reports are golden files
  (``realistic/*.md``; ``--regen`` rewrites them, review the diff).
* ``specs/scale`` between its first commit (b8d5d16) and its last change (77fd22a),
  read from git: the report must say what ``git log -p -- specs/scale`` shows (checked
  item by item below, and as a golden text file). A shallow clone without those commits
  skips with the reason.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from codegen.diff.compare import diff_specs
from codegen.diff.report import render
from codegen.diff.sources import open_source
from tests.diff.support import HERE

REAL = HERE / "realistic"
ROOT = HERE.parents[1]
FIRST, LAST = "b8d5d16", "77fd22a"
STEPS = [("v1", "v2"), ("v2", "v3")]


def _report(old: str, new: str) -> str:
    diff = diff_specs(
        REAL / old / "museum" / "openapi.yaml",
        REAL / new / "museum" / "openapi.yaml",
        api="museum",
        old_label=f"{old}/museum",
        new_label=f"{new}/museum",
    )
    return render([diff], "markdown")


@pytest.mark.parametrize(("old", "new"), STEPS)
def test_museum_markdown_report_is_the_golden_one(old: str, new: str) -> None:
    golden = (REAL / f"{old}-{new}.md").read_text()
    assert _report(old, new) == golden


def test_museum_report_names_each_change_made() -> None:
    first = _report("v1", "v2")
    for rule in (
        "response-optional-property-added",  # capacity
        "request-enum-value-added",  # TicketType member
        "response-enum-value-added",
        "request-parameter-became-required",  # startDate
        "endpoint-deprecated",  # DELETE /special-events/{eventId}
        "class-renamed",  # MuseumDailyHours -> OpeningHours
    ):
        assert f"`{rule}`" in first
    assert first.index("### Breaking") < first.index("### Warnings") < first.index("### Other")
    assert "`endpoint-removed-after-deprecation`" in _report("v2", "v3")


def _has_commits() -> bool:
    for rev in (FIRST, LAST):
        done = subprocess.run(
            ["git", "cat-file", "-e", f"{rev}^{{commit}}"], cwd=ROOT, capture_output=True
        )
        if done.returncode != 0:
            return False
    return True


def _history() -> str:
    with (
        open_source(f"{FIRST}:specs/scale", ROOT) as old,
        open_source(f"{LAST}:specs/scale", ROOT) as new,
    ):
        diff = diff_specs(old.path, new.path, api="scale", old_label=old.label, new_label=new.label)
    return render([diff], "text")


@pytest.mark.skipif(not _has_commits(), reason=f"git history lacks {FIRST}/{LAST} (shallow clone?)")
def test_scale_history_report() -> None:
    report = _history()
    assert report == (HERE / "scale-history.txt").read_text()
    # What git log -p -- specs/scale shows between the two commits, one by one:
    lines = report.splitlines()
    assert lines[0] == "scale: 2 breaking, 0 warnings, 12 info"
    # 1ca3660: the batch status counts default to 0
    for count in ("pending", "completed", "error", "canceled"):
        assert any(f"body `{count}`: default changed from None to 0" in x for x in lines)
    # 09043b9: create_batch requires the batch name (wire name `name`) ...
    assert any("POST /v1/batches: request body `name` became required" in x for x in lines)
    # ... and takes no extra keys (additionalProperties: true -> false)
    assert any("additionalProperties tightened from true to false" in x for x in lines)
    # d923c3d: x-methods v2_get_tasks placed on the client
    assert any("method client.v2_get_tasks added" in x for x in lines)
    # d923c3d: Task's x-links audit, update_unique_id, set_metadata, set_tags, add_tags,
    # delete_tags added; cancel's arguments may now be passed positionally (not breaking)
    for link in (
        "audit",
        "update_unique_id",
        "set_metadata",
        "set_tags",
        "add_tags",
        "delete_tags",
    ):
        assert any(f"model method Task.{link} added" in x for x in lines)
    assert not any("Task.cancel" in x for x in lines)


if __name__ == "__main__" and "--regen" in sys.argv:
    for old, new in STEPS:
        (REAL / f"{old}-{new}.md").write_text(_report(old, new))
    (HERE / "scale-history.txt").write_text(_history())
    print("rewrote the golden reports: review them with git diff")
