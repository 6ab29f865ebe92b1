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
    # One frame per open collection: [container, its pointer, is a mapping, the pending
    # key of a mapping (None: the next scalar is a key)].
    stack: list[list[Any]] = []
    root: Any = None
    while True:
        event = get()
        kind = type(event)
        if kind is _SCALAR:
            if event.anchor is not None:
                raise _GiveUp
            if not stack:
                lines[()] = event.start_mark.line + 1
                root = _scalar(event)
                continue
            top = stack[-1]
            if top[2]:
                if top[3] is None:  # a key
                    key = event.value
                    if key == "<<" or key in top[0] or (event.tag is not None):
                        raise _GiveUp  # a merge, a duplicate (an error) or a tagged key
                    top[3] = key
                    lines[(*top[1], key)] = event.start_mark.line + 1
                    continue
                top[0][top[3]] = _scalar(event)
                top[3] = None
            else:
                items = top[0]
                lines[(*top[1], str(len(items)))] = event.start_mark.line + 1
                items.append(_scalar(event))
        elif kind is _MAP_START or kind is _SEQ_START:
            if event.anchor is not None:
                raise _GiveUp
            node: Any = {} if kind is _MAP_START else []
            line = event.start_mark.line + 1
            if not stack:
                ptr: Pointer = ()
                lines[()] = line
                root = node
            else:
                top = stack[-1]
                if top[2]:
                    if top[3] is None:
                        raise _GiveUp  # a collection as a key (an error)
                    ptr = (*top[1], top[3])
                    top[0][top[3]] = node
                    top[3] = None
                else:
                    ptr = (*top[1], str(len(top[0])))
                    lines[ptr] = line
                    top[0].append(node)
            if len(ptr) >= max_depth:
                raise _GiveUp
            stack.append([node, ptr, kind is _MAP_START, None])
        elif kind is _MAP_END or kind is _SEQ_END:
            stack.pop()
        elif kind is _DOC_END:
            if type(get()) is not _STREAM_END:
                raise _GiveUp  # another document (an error)
            return root, lines
        else:  # an alias
            raise _GiveUp
