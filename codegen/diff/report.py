"""Changes -> text for a terminal, Markdown for a pull-request comment, JSON for tools.

Design notes
------------
* Every format starts from the same sorted list (breaking first, then by API,
  operation and path) and the same one-line summary, so the three never disagree.
* Markdown: the summary line first (what a reviewer reads in a notification), then
  one section per level that has changes, grouped by API and operation, each change a
  bullet with its rule id, its file:line in the newer spec and its fingerprint.
* JSON: ``{"version": 1, "apis": [...], "summary": {...}, "changes": [...]}``; the
  schema is documented in ``docs/diff.md`` and checked by the tests.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from itertools import groupby

from codegen.diff.change import LEVELS, Change
from codegen.diff.compare import Diff

__all__ = ["FORMATS", "render", "summary_line"]

FORMATS = ("text", "markdown", "json")
_TITLES = {"breaking": "Breaking", "warning": "Warnings", "info": "Other changes"}


def _counts(changes: Sequence[Change]) -> dict[str, int]:
    return {level: sum(1 for c in changes if c.level == level) for level in LEVELS}


def summary_line(diffs: Sequence[Diff]) -> str:
    changes = [c for d in diffs for c in d.changes]
    counts = _counts(changes)
    names = ", ".join(d.api for d in diffs) or "no API"
    if not changes:
        return f"{names}: no changes"
    parts = [
        f"{counts['breaking']} breaking",
        f"{counts['warning']} warning" + ("" if counts["warning"] == 1 else "s"),
        f"{counts['info']} info",
    ]
    return f"{names}: " + ", ".join(parts)


def render(diffs: Sequence[Diff], fmt: str) -> str:
    if fmt == "json":
        return _json(diffs)
    if fmt == "markdown":
        return _markdown(diffs)
    return _text(diffs)


def _text(diffs: Sequence[Diff]) -> str:
    lines = [summary_line(diffs)]
    for diff in diffs:
        lines.append(f"{diff.api}: {diff.old_label} -> {diff.new_label}")
        for change in diff.changes:
            where = f" ({change.where.file_line})" if change.where.file_line else ""
            op = f"{change.where.operation}: " if change.where.operation else ""
            mark = " (approved)" if diff.is_approved(change) else ""
            lines.append(f"  {change.level:8} {op}{change.message} [{change.rule}]{where}{mark}")
    return "\n".join(lines) + "\n"


def _markdown(diffs: Sequence[Diff]) -> str:
    out = [f"**API diff: {summary_line(diffs)}**", ""]
    for diff in diffs:
        out.append(f"`{diff.old_label}` → `{diff.new_label}`")
        out.append("")
    for level in LEVELS:
        changes = [c for d in diffs for c in d.changes if c.level == level]
        approved = {c.fingerprint for d in diffs for c in d.changes if d.is_approved(c)}
        if not changes:
            continue
        out.append(f"### {_TITLES[level]} ({len(changes)})")
        out.append("")
        key = lambda c: (c.where.api, c.where.operation)  # noqa: E731
        for (api, operation), group in groupby(sorted(changes, key=key), key=key):
            title = f"`{operation}`" if operation else "API-wide"
            out.append(f"#### {api}: {title}")
            out.append("")
            for c in group:
                where = f" — `{c.where.file_line}`" if c.where.file_line else ""
                mark = " — approved" if c.fingerprint in approved else ""
                out.append(f"- {_escape(c.message)} (`{c.rule}`{where}, `{c.fingerprint}`){mark}")
            out.append("")
    return "\n".join(out).rstrip() + "\n"


def _escape(text: str) -> str:
    return text.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")


def _json(diffs: Sequence[Diff]) -> str:
    changes = [c for d in diffs for c in d.changes]
    entries = [dict(c.to_json(), approved=d.is_approved(c)) for d in diffs for c in d.changes]
    summary: dict[str, int] = dict(_counts(changes))
    summary["approved"] = sum(1 for e in entries if e["approved"])
    document = {
        "version": 1,
        "apis": [{"api": d.api, "old": d.old_label, "new": d.new_label} for d in diffs],
        "summary": summary,
        "changes": entries,
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
