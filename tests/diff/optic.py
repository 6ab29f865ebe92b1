"""Optic 1.0.9 for the comparison tests: installed from ``tools/optic`` (package.json +
package-lock.json, ajv pinned by ``overrides``) with ``npm ci``, once per lockfile (a
marker file holds the lockfile's sha256), and run on many pairs in one Node process
(``tools/optic/check.js``). No node or npm on PATH: :class:`OpticUnavailable` (the
tests skip with that reason); a failed install or run raises it too, with npm's output.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

__all__ = ["OPTIC_DIR", "OpticUnavailable", "ensure_installed", "run_optic"]

ROOT = Path(__file__).resolve().parents[2]
OPTIC_DIR = ROOT / "tools" / "optic"
MARKER = OPTIC_DIR / "node_modules" / ".specclients-installed"
INSTALL_TIMEOUT = 900.0


class OpticUnavailable(RuntimeError):
    """Optic cannot be installed or run here; the message says why."""


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise OpticUnavailable(
            f"`{name}` is not on PATH: the Optic comparison needs Node.js with npm"
        )
    return found


def ensure_installed() -> str:
    """``npm ci`` in tools/optic unless installed from this lockfile; returns ``node``."""
    node = _tool("node")
    digest = hashlib.sha256((OPTIC_DIR / "package-lock.json").read_bytes()).hexdigest()
    if MARKER.is_file() and MARKER.read_text().strip() == digest:
        return node
    npm = _tool("npm")
    command = [npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts"]
    try:
        done = subprocess.run(
            command, cwd=OPTIC_DIR, capture_output=True, text=True, timeout=INSTALL_TIMEOUT
        )
    except subprocess.TimeoutExpired:
        raise OpticUnavailable(f"`{' '.join(command)}` took over {INSTALL_TIMEOUT:.0f}s") from None
    if done.returncode != 0:
        tail = "\n".join((done.stdout + done.stderr).strip().splitlines()[-30:])
        raise OpticUnavailable(f"`{' '.join(command)}` failed (exit {done.returncode}):\n{tail}")
    MARKER.write_text(digest + "\n")
    return node


def run_optic(pairs: list[tuple[Path, Path]]) -> list[dict[str, Any]]:
    """Optic's failed breaking-change checks for each (old, new) spec file pair."""
    node = ensure_installed()
    data = json.dumps([[str(a), str(b)] for a, b in pairs])
    done = subprocess.run(
        [node, str(OPTIC_DIR / "check.js")],
        input=data,
        capture_output=True,
        text=True,
        timeout=600,
        cwd=ROOT,
        env={
            "PATH": str(Path(node).parent),
            "OPTIC_TELEMETRY_LEVEL": "off",
            "HOME": tempfile.gettempdir(),
        },
    )
    if done.returncode != 0:
        raise OpticUnavailable(f"tools/optic/check.js failed:\n{done.stderr[-3000:]}")
    result: list[dict[str, Any]] = json.loads(done.stdout)
    return result
