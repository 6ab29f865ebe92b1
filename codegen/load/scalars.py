"""YAML 1.2 core-schema scalars: which type a plain scalar is, and its Python value.

Design notes
------------
* Shared by both YAML readers (:mod:`codegen.load.yamlsrc`'s composer path and
  :mod:`codegen.load.yamlevents`' event path), so a scalar is typed the same whichever
  read it: ``on``, ``no``, ``2020-01-01`` stay strings (YAML 1.1 would make them
  booleans and dates).
* :func:`plain_tag` answers most scalars (words, sentences, URLs) from their first
  character: only text starting with ``~ n N t T f F < + - .`` or a digit, or empty
  text, can be anything but a string, so the regular expressions run only for those.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["NOT_TEXT", "TAG", "plain_tag", "scalar_value"]

TAG = "tag:yaml.org,2002:"
_NULL = frozenset({"", "~", "null", "Null", "NULL"})
_BOOL = frozenset({"true", "True", "TRUE", "false", "False", "FALSE"})
_INT = re.compile(r"[-+]?[0-9]+$|0o[0-7]+$|0x[0-9a-fA-F]+$")
_FLOAT = re.compile(
    r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$"
    r"|[-+]?\.(inf|Inf|INF)$|\.(nan|NaN|NAN)$"
)
# First characters of every null, bool, int, float and merge spelling above.
NOT_TEXT = frozenset("~nNtTfF<+-.0123456789")


def plain_tag(value: str) -> str:
    """The core-schema type of an untagged plain scalar: null, bool, int, float, merge
    (``<<``) or str."""
    if value and value[0] not in NOT_TEXT:
        return "str"
    if value in _NULL:
        return "null"
    if value in _BOOL:
        return "bool"
    if _INT.match(value):
        return "int"
    if _FLOAT.match(value):
        return "float"
    return "merge" if value == "<<" else "str"


def scalar_value(tag: str, text: str) -> Any:
    """The value of scalar ``text`` whose full tag is ``tag`` (ValueError if it cannot be:
    ``!!int abc``). Tags outside the core schema (``!!timestamp``, ``!custom``) keep the
    text."""
    kind = tag[len(TAG) :] if tag.startswith(TAG) else "str"
    if kind == "str":
        return text
    if kind == "null":
        return None
    if kind == "bool":
        return text.lower() == "true"
    if kind == "int":
        base = {"0o": 8, "0x": 16}.get(text[:2], 10)
        return int(text[2:] if base != 10 else text, base)
    if kind == "float":
        low = text.lower()
        return float(low.replace(".inf", "inf").replace(".nan", "nan"))
    return text  # explicit tags such as !!timestamp or !!binary
