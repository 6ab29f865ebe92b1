"""``python -m codegen diff OLD NEW``: the command behind the CLI's ``diff`` subcommand.

Design notes
------------
* OLD and NEW are each a spec file, a spec folder or ``REV:path``
  (:mod:`codegen.diff.sources`); with ``--all REV`` every ``specs/<api>`` of the
  working tree is compared with the same folder at ``REV`` (``nox -s diff -- REV``), an
  API missing at ``REV`` being skipped with a note.
* ``--approved FILE``: fingerprints a reviewer accepted, one per line (``#`` starts a
  comment, text after the fingerprint is a note). Approved changes stay in the report,
  marked, and never fail the run; an approval that matches no change any more is
  noted on stderr (the change it approved is gone, or has changed).
* Exit status: 0, or 1 when an unapproved change at or above ``--fail-on`` was found; a
  spec or source problem is one line on stderr and exit 2 (like ``generate``).
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import replace
from pathlib import Path

from codegen.diagnostics import SpecError
from codegen.diff.change import level_rank
from codegen.diff.compare import Diff, diff_specs
from codegen.diff.report import FORMATS, render
from codegen.diff.sources import SourceError, open_source

__all__ = ["add_arguments", "run"]


def add_arguments(cmd: argparse.ArgumentParser) -> None:
    cmd.add_argument("old", nargs="?", metavar="OLD", help="spec file, folder, or REV:path")
    cmd.add_argument("new", nargs="?", metavar="NEW", help="spec file, folder, or REV:path")
    cmd.add_argument("--all", metavar="REV", help="compare every specs/<api> with REV:specs/<api>")
    cmd.add_argument("--specs-dir", type=Path, default=None, help="with --all (default: specs/)")
    cmd.add_argument("--format", choices=FORMATS, default="text")
    cmd.add_argument(
        "--fail-on",
        choices=("breaking", "warning"),
        default=None,
        help="exit 1 when a change at this level (or worse) is found",
    )
    cmd.add_argument(
        "--approved",
        type=Path,
        metavar="FILE",
        help="fingerprints of accepted changes, one per line: reported, never failing",
    )


def _approvals(path: Path) -> frozenset[str]:
    try:
        text = path.read_text()
    except OSError as exc:
        raise SourceError(f"{path}: {exc.strerror or exc}") from None
    found = set()
    for number, line in enumerate(text.splitlines(), 1):
        word = line.split("#", 1)[0].split()
        if not word:
            continue
        if not re.fullmatch(r"[0-9a-f]{16}", word[0]):
            raise SourceError(f"{path}:{number}: not a fingerprint: {word[0]!r}")
        found.add(word[0])
    return frozenset(found)


def _one(old: str, new: str, cwd: Path | None = None) -> Diff:
    with open_source(old, cwd) as a, open_source(new, cwd) as b:
        return diff_specs(a.path, b.path, api=b.api, old_label=a.label, new_label=b.label)


def run(args: argparse.Namespace, specs_dir: Path) -> int:
    try:
        approved = _approvals(args.approved) if args.approved else frozenset()
        diffs = []
        if args.all:
            folder = args.specs_dir or specs_dir
            for api_dir in sorted(p.parent for p in folder.glob("*/openapi.yaml")):
                try:  # paths relative to the specs folder, whatever the current directory
                    diffs.append(_one(f"{args.all}:{api_dir.name}", api_dir.name, folder))
                except SourceError as err:
                    print(f"note: {api_dir.name} skipped: {err}", file=sys.stderr)
        elif args.old and args.new:
            diffs.append(_one(args.old, args.new))
        else:
            print("error: diff needs OLD and NEW (or --all REV)", file=sys.stderr)
            return 2
    except (SourceError, SpecError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    diffs = [replace(d, approved=approved) for d in diffs]
    seen = {c.fingerprint for d in diffs for c in d.changes}
    for stale in sorted(approved - seen):
        print(f"note: approval {stale} matches no change (gone, or changed since)", file=sys.stderr)
    sys.stdout.write(render(diffs, args.format))
    if args.fail_on is not None:
        limit = level_rank(args.fail_on)
        failing = (c for d in diffs for c in d.changes if not d.is_approved(c))
        if any(level_rank(c.level) <= limit for c in failing):
            return 1
    return 0
