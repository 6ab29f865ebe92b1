"""Errors and warnings about a spec, each pinned to a file, a line and a JSON pointer.

Design notes
------------
* One exception type for everything wrong with a spec: :class:`SpecError`. The CLI
  prints ``str(error)`` and exits non-zero; a bad spec never produces a traceback.
* ``str()`` is compiler-style, ``{file}:{line}: {pointer}: {message}``. The file is
  shown relative to the working directory when it lies below it; a missing line is
  left out (``{file}: {pointer}: ...``); the whole-document pointer ``""`` is shown
  as ``/``.
* The pointer is an RFC 6901 JSON pointer *into the named file* (``~1`` for ``/``,
  ``~0`` for ``~``), so file, line and pointer always describe the same place even
  when the problem sits in a file pulled in by a ``$ref``.
* Always one line: :func:`one_line` escapes line breaks and other control characters
  in the file name, pointer and message (a key or value of the spec quoted in a
  message may hold them) and shortens very long pointers and messages; the attributes
  keep the full values.
* Problems that need not stop the compiler are :class:`Diagnostic` values collected
  in a :class:`Diagnostics` list (openapi-python-client style) and printed as
  warnings.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "CompilerBug",
    "Diagnostic",
    "Diagnostics",
    "SpecError",
    "format_pointer",
    "one_line",
    "split_pointer",
]

_MAX_POINTER = 200
_MAX_MESSAGE = 500


def format_pointer(segments: Iterable[str | int]) -> str:
    """``("paths", "/tasks", 0)`` -> ``"/paths/~1tasks/0"`` (RFC 6901 escaping)."""
    return "".join("/" + str(s).replace("~", "~0").replace("/", "~1") for s in segments)


def split_pointer(pointer: str) -> tuple[str, ...]:
    """Inverse of :func:`format_pointer`; a leading ``#`` (URI fragment form) is allowed."""
    if pointer.startswith("#"):
        pointer = pointer[1:]
    if pointer in ("", "/"):
        return ()
    if not pointer.startswith("/"):
        raise ValueError(f"not a JSON pointer: {pointer!r}")
    return tuple(s.replace("~1", "/").replace("~0", "~") for s in pointer[1:].split("/"))


def one_line(text: str, limit: int | None = None) -> str:
    """``text`` without line breaks or control characters, at most ``limit`` characters.

    Line breaks and tabs become spaces (libyaml's messages span lines); any other
    character that does not print (NUL, ESC, U+2028...) becomes a ``\\x..``/``\\u..``
    escape, so a message can neither break a line nor drive a terminal.
    """
    cut = limit is not None and len(text) > limit
    out = []
    for char in text[:limit] if cut else text:
        if char.isprintable():
            out.append(char)
        else:
            out.append(" " if char in "\r\n\t" else repr(char)[1:-1])
    return "".join(out) + (" ..." if cut else "")


def _where(file: Path, line: int | None, pointer: str) -> str:
    try:
        shown = str(file.relative_to(Path.cwd())) if file.is_absolute() else str(file)
    except ValueError:
        shown = str(file)
    shown = one_line(shown)
    place = shown if line is None else f"{shown}:{line}"
    return f"{place}: {one_line(pointer, _MAX_POINTER) or '/'}"


class SpecError(Exception):
    """A spec the compiler cannot accept."""

    def __init__(self, file: Path, line: int | None, pointer: str, message: str) -> None:
        super().__init__(file, line, pointer, message)
        self.file = Path(file)
        self.line = line
        self.pointer = pointer
        self.message = message

    def __str__(self) -> str:
        message = one_line(self.message, _MAX_MESSAGE)
        return f"{_where(self.file, self.line, self.pointer)}: {message}"

    def diagnostic(self) -> Diagnostic:
        """The same problem as a value (severity ``error``), e.g. for a report."""
        return Diagnostic(self.file, self.line, self.pointer, self.message, "error")


class CompilerBug(Exception):
    """Generated code that would not compile: the compiler's fault, not the spec's.

    Raised before anything is written (see ``codegen.pipeline``); ``str()`` is one line,
    ``{file}:{line}: {message}``, naming the generated file.
    """

    def __init__(self, file: str, line: int | None, message: str) -> None:
        super().__init__(file, line, message)
        self.file = file
        self.line = line
        self.message = message

    def __str__(self) -> str:
        place = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{one_line(place)}: {one_line(self.message, _MAX_MESSAGE)}"


@dataclass(frozen=True)
class Diagnostic:
    """A located problem that did not stop the compiler (usually a warning)."""

    file: Path
    line: int | None
    pointer: str
    message: str
    severity: str = "warning"

    def __str__(self) -> str:
        message = one_line(self.message, _MAX_MESSAGE)
        return f"{_where(self.file, self.line, self.pointer)}: {self.severity}: {message}"


class Diagnostics(list[Diagnostic]):
    """Collects warnings while loading and validating; printed by the CLI at the end."""

    def warn(self, file: Path, line: int | None, pointer: str, message: str) -> Diagnostic:
        diagnostic = Diagnostic(Path(file), line, pointer, message)
        self.append(diagnostic)
        return diagnostic
