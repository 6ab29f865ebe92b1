"""Where a version of a spec comes from: a file, a folder, or ``REV:path`` in git.

Design notes
------------
* ``specs/scale`` (a folder: its ``openapi.yaml``, ``.yml`` or ``.json``),
  ``specs/scale/openapi.yaml`` (a file) or ``main:specs/dial``,
  ``HEAD~3:specs/scale/openapi.yaml`` (a git revision and a path in it).
* A revision's spec is written to a temporary folder with ``git archive`` of the
  spec's whole folder, so multi-file specs (``$ref: ../schemas/task.yaml``) load as
  they were at that revision; the folder is deleted when the ``with`` block ends.
  The path is relative to the current directory, like ``git show REV:./path``.
* A local path wins over the ``REV:path`` reading (``C:\\spec.yaml`` on Windows,
  or a file really named ``a:b``). Problems are one-line :class:`SourceError`\\ s.
"""

from __future__ import annotations

import io
import os
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

__all__ = ["Source", "SourceError", "open_source"]

_ROOTS = ("openapi.yaml", "openapi.yml", "openapi.json")


class SourceError(Exception):
    """A spec argument that names nothing loadable (the message says why)."""


@dataclass(frozen=True)
class Source:
    path: Path  # the root spec file to load
    label: str  # as the user wrote it
    api: str  # the spec folder's name: "scale"


def _root_file(path: Path, label: str) -> Path:
    if path.is_dir():
        for name in _ROOTS:
            if (path / name).is_file():
                return path / name
        raise SourceError(f"{label}: no {' / '.join(_ROOTS)} in this folder")
    if path.is_file():
        return path
    raise SourceError(f"{label}: no such file or folder")


def _api_name(root_file: Path) -> str:
    return root_file.parent.name or root_file.stem


def _git(args: list[str], cwd: Path) -> bytes:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, timeout=120)
    except FileNotFoundError:
        raise SourceError("git is not installed (needed for REV:path arguments)") from None
    if done.returncode != 0:
        detail = done.stderr.decode(errors="replace").strip().splitlines()
        raise SourceError(f"git {' '.join(args[:2])}: {detail[-1] if detail else 'failed'}")
    return done.stdout


@contextmanager
def open_source(text: str, cwd: Path | None = None) -> Iterator[Source]:
    """The spec ``text`` names, ready to load (see the module notes)."""
    cwd = Path.cwd() if cwd is None else cwd
    local = cwd / text
    rev, sep, rel = text.partition(":")
    if local.exists() or not sep or not rev:
        root = _root_file(local, text)
        yield Source(root, text, _api_name(root))
        return
    top = Path(_git(["rev-parse", "--show-toplevel"], cwd).decode().strip())
    prefix = _git(["rev-parse", "--show-prefix"], cwd).decode().strip()
    inside = PurePosixPath(os.path.normpath(PurePosixPath(prefix, rel or ".").as_posix()))
    if str(inside).startswith(".."):
        raise SourceError(f"{text}: {rel} is outside the repository")
    kind = _git(["cat-file", "-t", f"{rev}:{inside.as_posix()}"], top).decode().strip()
    folder = inside if kind == "tree" else inside.parent
    data = _git(["archive", "--format=tar", rev, "--", folder.as_posix() or "."], top)
    with tempfile.TemporaryDirectory(prefix="codegen-diff-") as tmp:
        with tarfile.open(fileobj=io.BytesIO(data)) as tar:
            if hasattr(tarfile, "data_filter"):
                tar.extractall(tmp, filter="data")
            else:  # Python before 3.10.12: the archive is our own repository's
                tar.extractall(tmp)  # noqa: S202
        placed = Path(tmp, *inside.parts)
        root = _root_file(placed, text)
        yield Source(root, text, _api_name(root))
