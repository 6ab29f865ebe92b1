"""Shared helpers of the diff tests: run a pair, records as the expectation files hold them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from codegen.diff.compare import Diff, diff_specs

HERE = Path(__file__).parent
CASES = HERE / "cases"
REFACTORS = HERE / "refactors"


def run_pair(folder: Path, api: str = "pets") -> Diff:
    return diff_specs(folder / "old" / "openapi.yaml", folder / "new" / "openapi.yaml", api=api)


def records(diff: Diff) -> list[dict[str, Any]]:
    """What an expected.json holds per change (JSON report fields minus the pointer)."""
    out = []
    for change in diff.changes:
        data = change.to_json()
        out.append(
            {
                "rule": data["rule"],
                "level": data["level"],
                "direction": data["direction"],
                "operation": data["operation"],
                "path": data["path"],
                "at": change.where.file_line,
                "message": data["message"],
                "fingerprint": data["fingerprint"],
            }
        )
    return out
