"""``ast.parse`` of the models module, remembered: one parse per text, not per step.

Design notes
------------
* The models module goes through several post-processing steps
  (:mod:`codegen.ir.models`, :mod:`codegen.ir.overrides`) and is then split into a
  package (:mod:`codegen.render.modelsplit`); each reads it as an :mod:`ast` tree. For a
  large API (Plaid: 2 MB of models) a parse costs about a second, and most steps leave
  the text unchanged, so :func:`parse_module` keeps the last text and its tree: a step
  given the text the previous step parsed gets the same tree back.
* The text is the key (``==``, which for the same ``str`` object is an identity check),
  so a caller can never get a tree of another text. One entry only, dropped by
  :func:`forget` when a compile is done (:mod:`codegen.pipeline`): a large API's tree
  is a few hundred MB, which a process embedding the compiler should not keep.
* The tree is shared: callers only read it, never change a node.
"""

from __future__ import annotations

import ast

__all__ = ["forget", "parse_module"]

_last: tuple[str, ast.Module] | None = None


def parse_module(source: str) -> ast.Module:
    """``ast.parse(source)``, or the tree of the previous call when ``source`` is the same
    text (module notes). The tree must not be modified."""
    global _last
    last = _last
    if last is not None and last[0] == source:
        return last[1]
    tree = ast.parse(source)
    _last = (source, tree)
    return tree


def forget() -> None:
    """Drop the remembered tree (the end of a compile)."""
    global _last
    _last = None
