"""What loading a spec may read, and how much: the compiler's bounds on untrusted input.

Design notes
------------
* A spec is input from someone else. Loading it must not read files it has no business
  with (``$ref: /etc/passwd``, ``$ref: ../../.ssh/id_rsa``), block on a device or a FIFO
  (``$ref: /dev/zero``, ``/dev/stdin``), or take unbounded memory or time. The bounds are
  one frozen value, :class:`Limits`; docs/untrusted-specs.md lists them.
* :class:`Reader` is the only way the loader reads a file. A file must resolve (symlinks
  followed) to a path inside one of its *roots*: the entry spec's folder, plus folders
  the caller opens (``--allow-ref-outside DIR``). It must be a regular file (checked with
  ``stat`` before it is opened, so a device is never opened, and with ``fstat`` after) no
  larger than :attr:`Limits.max_file_bytes`, and it is read with a bounded read, so a file
  that grows while it is read is refused too. The files of one spec together may not
  pass :attr:`Limits.max_total_bytes` (a spec could otherwise name thousands of files).
* A refusal is a :class:`Refused` carrying a one-line reason that never quotes the
  file's content; the caller turns it into a ``SpecError`` located at the ``$ref``.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

__all__ = ["DEFAULT_LIMITS", "Limits", "Reader", "Refused", "parse_size"]

_MIB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """Bounds on what loading one spec may read and build."""

    max_file_bytes: int = 16 * _MIB  # each file, before it is read
    max_total_bytes: int = 64 * _MIB  # every file of the spec together
    max_depth: int = 1_000  # nesting levels of any file and of the bundled document
    max_alias_values: int = 100_000  # values YAML aliases may add to one file
    max_ref_links: int = 100  # $ref hops through schemas that carry other keys too


DEFAULT_LIMITS = Limits()


class Refused(Exception):
    """A file the loader will not read; ``str()`` is the one-line reason."""


def parse_size(text: str) -> int:
    """``"16M"`` -> 16777216; plain bytes, or a K/M/G suffix (powers of 1024)."""
    units = {"K": 1024, "M": _MIB, "G": 1024 * _MIB}
    raw = text.strip().upper().removesuffix("B").removesuffix("I")
    factor = units.get(raw[-1:], 1)
    number = raw[:-1] if raw[-1:] in units else raw
    try:
        value = float(number) * factor
    except ValueError:
        raise ValueError(f"not a size: {text!r} (e.g. 16M, 500K, 1048576)") from None
    if not value > 0:
        raise ValueError(f"a size must be positive: {text!r}")
    return int(value)


def _kind(mode: int) -> str:
    for test, name in (
        (stat.S_ISDIR, "a directory"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISSOCK, "a socket"),
    ):
        if test(mode):
            return name
    return "not a regular file"


def _size(n: int) -> str:
    return f"{n / _MIB:.1f} MiB" if n >= _MIB else f"{n:,} bytes"


class Reader:
    """Reads spec files under ``roots`` within ``limits`` (see the module notes)."""

    def __init__(self, roots: Iterable[Path], limits: Limits = DEFAULT_LIMITS) -> None:
        self.roots = tuple(dict.fromkeys(Path(os.path.realpath(r)) for r in roots))
        self.limits = limits
        self.total = 0  # bytes read so far

    def inside(self, path: Path) -> bool:
        """True when ``path`` (symlinks resolved) lies in one of the roots."""
        real = Path(os.path.realpath(path))
        return any(real == root or real.is_relative_to(root) for root in self.roots)

    def check(self, path: Path) -> None:
        """Refuse ``path`` when it lies outside the roots: nothing is opened."""
        if "\0" in str(path):
            raise Refused("a file name cannot contain a NUL character")
        if not self.inside(path):
            shown = ", ".join(str(r) for r in self.roots)
            real = os.path.realpath(path)
            link = f" (a link to {real})" if real != os.path.abspath(path) else ""
            raise Refused(
                f"{path}{link} is outside the spec's folder ({shown}); "
                "allow it with --allow-ref-outside DIR"
            )

    def read(self, path: Path) -> bytes:
        """The bytes of ``path`` (raises :class:`Refused` or ``OSError``)."""
        self.check(path)
        real = os.path.realpath(path)
        limit = self.limits.max_file_bytes
        info = os.stat(real)  # stat before open: a device is never opened
        if not stat.S_ISREG(info.st_mode):
            raise Refused(f"{path} is {_kind(info.st_mode)}, not a regular file")
        if info.st_size > limit:
            raise Refused(f"{path} is {_size(info.st_size)}, over the {_size(limit)} limit")
        self._count(path, info.st_size)  # before reading: the size it claims
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
        fd = os.open(real, flags | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOFOLLOW", 0))
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):  # swapped since stat
                raise Refused(f"{path} is not a regular file")
            data = handle.read(limit + 1)
        if len(data) > limit:
            raise Refused(f"{path} grew over the {_size(limit)} limit while it was read")
        self._count(path, len(data))
        self.total += len(data)
        return data

    def _count(self, path: Path, size: int) -> None:
        if self.total + size > self.limits.max_total_bytes:
            total = _size(self.limits.max_total_bytes)
            raise Refused(f"reading {path} takes the spec's files over {total} together")
