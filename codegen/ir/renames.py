"""Our names for the classes datamodel-code-generator names itself.

Design notes
------------
:func:`codegen.ir.schemas.prepare` names every schema it can see, but one shape makes
datamodel-code-generator invent classes: an object with ``properties`` *and* a
``oneOf``/``anyOf`` becomes a root model over one class per member (the object's
fields plus the member's), named ``<Owner>1``, ``<Owner>2``... ``prepare`` already chose
a name for each of those (:attr:`codegen.ir.schemas.Prepared.variant_names`, from the
member's context: :mod:`codegen.ir.variants`); :func:`variant_renames` pairs them with
the invented classes, read from the owner's ``root`` annotation in member order, and
:func:`rename_classes` applies them.

Renaming works on tokens (:mod:`tokenize`), not text: a name inside a docstring or a
description stays as written, a name quoted as a forward reference (``'Owner1'``) is
renamed. When the owner's union does not list exactly one invented class per member
(a member datamodel-code-generator folded away), nothing is renamed.
"""

from __future__ import annotations

import ast
import io
import tokenize

__all__ = ["rename_classes", "variant_renames"]

_FALLBACK = "APIModel"


def variant_renames(
    source: str, variant_names: dict[str, list[str]], ours: set[str]
) -> dict[str, str]:
    """``{invented class: our name}`` for the merged variants of each owner class.

    ``ours``: the classes ``prepare`` named (anything else is invented).
    """
    if not variant_names:
        return {}
    out: dict[str, str] = {}
    for node in ast.parse(source).body:
        names = variant_names.get(node.name) if isinstance(node, ast.ClassDef) else None
        if not isinstance(node, ast.ClassDef) or not names:
            continue
        root = next(
            (
                stmt.annotation
                for stmt in node.body
                if isinstance(stmt, ast.AnnAssign)
                and isinstance(stmt.target, ast.Name)
                and stmt.target.id == "root"
            ),
            None,
        )
        if root is None:
            continue
        invented = [n for n in _members(root) if n not in ours and n not in (_FALLBACK, "None")]
        if len(invented) == len(names) and len(set(invented)) == len(invented):
            out.update({old: new for old, new in zip(invented, names, strict=True) if old != new})
    return out


def _members(annotation: ast.expr) -> list[str]:
    """The class names of a root annotation's union, in order (``Annotated`` unwrapped)."""
    node = annotation
    if (
        isinstance(node, ast.Subscript)
        and isinstance(node.value, ast.Name)
        and node.value.id == "Annotated"
        and isinstance(node.slice, ast.Tuple)
    ):
        node = node.slice.elts[0]
    flat: list[ast.expr] = []
    todo: list[ast.expr] = [node]
    while todo:
        item = todo.pop(0)
        if isinstance(item, ast.BinOp) and isinstance(item.op, ast.BitOr):
            todo[:0] = [item.left, item.right]
        elif (
            isinstance(item, ast.Subscript)
            and isinstance(item.value, ast.Name)
            and item.value.id == "Union"
            and isinstance(item.slice, ast.Tuple)
        ):
            todo[:0] = list(item.slice.elts)
        else:
            flat.append(item)
    out = []
    for item in flat:
        if isinstance(item, ast.Name):
            out.append(item.id)
        elif isinstance(item, ast.Constant) and isinstance(item.value, str):
            out.append(item.value)
    return out


def rename_classes(source: str, renames: dict[str, str]) -> str:
    """Rename classes everywhere they are named: definitions, references, forward
    references in quotes (module notes)."""
    if not renames:
        return source
    lines = source.splitlines(keepends=True)
    edits: list[tuple[int, int, int, str]] = []  # (line index, start, end, text)
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        new = None
        if tok.type == tokenize.NAME:
            new = renames.get(tok.string)
        elif tok.type == tokenize.STRING and tok.string[:1] in "'\"":
            inner = tok.string[1:-1]
            if inner in renames and tok.string == repr(inner).replace("'", tok.string[0]):
                new = tok.string[0] + renames[inner] + tok.string[0]
        if new is not None and tok.start[0] == tok.end[0]:
            edits.append((tok.start[0] - 1, tok.start[1], tok.end[1], new))
    for index, start, end, text in sorted(edits, reverse=True):
        lines[index] = lines[index][:start] + text + lines[index][end:]  # columns: characters
    return "".join(lines)
