"""Spec text in generated Python: characters that do not print, written as escapes.

Design notes
------------
* Descriptions, titles, enum values and property names are the spec author's text,
  and may hold any character a YAML or JSON escape can make: NUL, CR, ESC, U+2028,
  NEL... Inside a Python string literal a raw NUL makes the module uncompilable; the
  others are legal but split lines for every tool that cuts text at line boundaries
  (``str.splitlines`` splits at U+2028, NEL, FS, GS, RS, VT and FF; the models
  post-processing edits source by line numbers), and drive terminals.
* :func:`escape_nonprintable` writes each such character as its escape (``\\x00``,
  ``\\r``, ``\\u2028``), keeping tab and newline. In a (non-raw) string literal the
  escape stands for the same character, so the value the generated code holds is the
  spec's. It is applied to datamodel-code-generator's output, where raw characters can
  only sit in string literals (docstrings, ``Field(description=...)``, enum values:
  it escapes some but not all), and to every docstring our templates write.
"""

from __future__ import annotations

__all__ = ["escape_nonprintable"]


def escape_nonprintable(text: str) -> str:
    """``text`` with every non-printable character but tab and newline escaped."""
    if text.isprintable() or text.replace("\n", "").replace("\t", "").isprintable():
        return text  # the common case, checked in C (a newline is not "printable")
    return "".join(c if c.isprintable() or c in "\n\t" else repr(c)[1:-1] for c in text)
