"""``python -m tests.dial.parity [--write]``: record aidial-client's requests for every case
and compare them with ``reference.json`` (``--write`` replaces it)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from . import CASES, reference_requests

REFERENCE = Path(__file__).with_name("reference.json")


def live() -> dict[str, list[dict[str, object]]]:
    return {name: [r.to_dict() for r in reference_requests(c)] for name, c in CASES.items()}


def main(argv: list[str]) -> int:
    data = live()
    if "--write" in argv:
        REFERENCE.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n")
        print(f"wrote {len(data)} cases to {REFERENCE}")
        return 0
    stored = json.loads(REFERENCE.read_text())
    changed = sorted(k for k in data.keys() | stored.keys() if data.get(k) != stored.get(k))
    print("\n".join(f"differs: {k}" for k in changed) or f"{len(data)} cases match")
    return 1 if changed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
