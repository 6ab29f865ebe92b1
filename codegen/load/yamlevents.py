"""The fast YAML reader: plain values and the line table straight from libyaml's events.

Design notes
------------
* Why: building libyaml's node graph costs most of a large spec's load. The C parser
  is quick, but composing makes a Python node object per value and calls back into
  Python to resolve every scalar's tag (Plaid's 3 MB: ~1 s to compose and convert,
  ~0.2 s to read its events). :func:`read_events` builds the dicts, lists and
  :attr:`codegen.load.yamlsrc.SourceFile.lines` in one loop over the events, with
  scalars typed by :mod:`codegen.load.scalars` like the composer path's.
* Only the common case: one document, no anchors or aliases, no merge keys (``<<``),
  no explicitly tagged keys, no duplicate keys, no scalar that fails its tag, nesting
  under ``Limits.max_depth``. On anything else it gives up (``None``) and
  :func:`codegen.load.yamlsrc.parse` reads the file through the composer path, which
  owns every error message (syntax errors, duplicate keys, alias bombs, depth) and
  alias expansion. A file with an error is thus read twice, which only costs when the
  load fails anyway.
* Its result equals the composer path's, value for value and line for line: same key
  order, a key's line is its key's, a list item's line is the item's first line;
  ``tests/codegen/test_yaml_events.py`` compares the two on every spec in the
  repository and the corpus, and on edge cases.
"""

from __future__ import annotations

from typing import Any

import yaml  # type: ignore[import-untyped]

from codegen.load.scalars import NOT_TEXT as _NOT_TEXT
from codegen.load.scalars import plain_tag, scalar_value

__all__ = ["read_events"]

Pointer = tuple[str, ...]

_Parser = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_SCALAR = yaml.ScalarEvent
_MAP_START = yaml.MappingStartEvent
_SEQ_START = yaml.SequenceStartEvent
_MAP_END = yaml.MappingEndEvent
_SEQ_END = yaml.SequenceEndEvent
_DOC_START = yaml.DocumentStartEvent
_DOC_END = yaml.DocumentEndEvent
_STREAM_END = yaml.StreamEndEvent
_STR_TAG = "tag:yaml.org,2002:str"


class _GiveUp(Exception):
    """Not the common case: the composer path reads this file."""


def read_events(text: str, max_depth: int) -> tuple[Any, dict[Pointer, int]] | None:
    """``(data, lines)`` of ``text``, or None when the composer path must read it."""
    parser = _Parser(text)
    try:
        return _read(parser.get_event, max_depth)
    except (_GiveUp, yaml.YAMLError, ValueError):
        return None
    finally:
        parser.dispose()


def _scalar(event: Any) -> Any:
    tag, text = event.tag, event.value
    if tag is None or tag == "!":
        if not event.implicit[0]:
            return text
        kind = plain_tag(text)
        if kind == "str":
            return text
        if kind == "merge":
            raise _GiveUp
        return scalar_value("tag:yaml.org,2002:" + kind, text)
    return scalar_value(tag, text)


def _read(get: Any, max_depth: int) -> tuple[Any, dict[Pointer, int]]:
    lines: dict[Pointer, int] = {}
    get()  # stream start
    event = get()
    if type(event) is _STREAM_END:
        return None, {}
    if type(event) is not _DOC_START:
        raise _GiveUp
    # The open collection in locals: the container (None: at the top, no collection
    # yet), its pointer, whether it is a mapping, and a mapping's pending key (None: the
    # next scalar is a key) with that key's pointer. Outer ones are saved on ``stack``.
    container: Any = None
    ptr: Pointer = ()
    is_map = False
    key: str | None = None
    sub: Pointer = ()
    stack: list[tuple[Any, Pointer, bool]] = []
    root: Any = None
    not_text = _NOT_TEXT
    while True:
        event = get()
        kind = type(event)
        if kind is _SCALAR:
            if event.anchor is not None:
                raise _GiveUp
            text = event.value
            if is_map and key is None:
                if text == "<<" or text in container or event.tag is not None:
                    raise _GiveUp  # a merge, a duplicate (an error) or a tagged key
                key, sub = text, (*ptr, text)
                lines[sub] = event.start_mark.line + 1
                continue
            if event.tag is None and (not event.implicit[0] or (text and text[0] not in not_text)):
                value = text  # quoted, or plain text that cannot be another type
            else:
                value = _scalar(event)
            if is_map:
                container[key] = value
                key = None
            elif container is None:
                lines[()] = event.start_mark.line + 1
                root = value
            else:
                lines[(*ptr, str(len(container)))] = event.start_mark.line + 1
                container.append(value)
        elif kind is _MAP_START or kind is _SEQ_START:
            if event.anchor is not None:
                raise _GiveUp
            node: Any = {} if kind is _MAP_START else []
            if is_map:
                if key is None:
                    raise _GiveUp  # a collection as a key (an error)
                container[key] = node
                child = sub
                key = None
            elif container is None:
                lines[()] = event.start_mark.line + 1
                root, child = node, ()
            else:
                child = (*ptr, str(len(container)))
                lines[child] = event.start_mark.line + 1
                container.append(node)
            if len(child) >= max_depth:
                raise _GiveUp
            stack.append((container, ptr, is_map))
            container, ptr, is_map = node, child, kind is _MAP_START
        elif kind is _MAP_END or kind is _SEQ_END:
            container, ptr, is_map = stack.pop()
            key = None
        elif kind is _DOC_END:
            if type(get()) is not _STREAM_END:
                raise _GiveUp  # another document (an error)
            return root, lines
        else:  # an alias
            raise _GiveUp
