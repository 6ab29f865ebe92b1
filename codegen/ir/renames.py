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
renamed. When there is not exactly one invented class per member (a member
datamodel-code-generator folded away), that owner's classes keep their numbers.
"""

from __future__ import annotations

import ast
import io
import tokenize
from typing import Any

from codegen.ir.trees import parse_module

__all__ = ["rename_classes", "variant_renames"]

_REF = "#/components/schemas/"


def variant_renames(
    source: str, variant_names: dict[str, list[str]], document: dict[str, Any]
) -> dict[str, str]:
    """``{invented class: our name}`` for the merged variants of each owner class.

    ``document``: the prepared document (its ``components/schemas`` are the classes we
    named; an owner's union members say which class each variant extends).
    """
    if not variant_names:
        return {}
    schemas = document.get("components", {}).get("schemas") or {}
    bases: dict[str, list[str]] = {}
    for node in parse_module(source).body:  # shared with fix_enums when no rename
        if isinstance(node, ast.ClassDef) and node.name not in schemas:
            bases[node.name] = [b.id for b in node.bases if isinstance(b, ast.Name)]
    owners = sorted(variant_names, key=len, reverse=True)  # ``X1`` is X1's before X's
    invented: dict[str, list[tuple[int, str]]] = {}
    for cls in bases:
        owner = next((o for o in owners if _numbered(cls, o)), None)
        if owner is not None:
            invented.setdefault(owner, []).append((int(cls[len(owner) :]), cls))
    out: dict[str, str] = {}
    for owner, found in invented.items():
        names = variant_names[owner]
        classes = [cls for _, cls in sorted(found)]
        if len(classes) != len(names):
            continue  # a member folded away: which class is which is unknown
        refs = [_ref(m) for m in _union(schemas.get(owner))]
        pairs: dict[str, str] = {}
        for name, ref in zip(names, refs, strict=False):
            match = [c for c in classes if ref is not None and bases[c][:1] == [ref]]
            if len(match) == 1 and match[0] not in pairs:
                pairs[match[0]] = name
        rest = [c for c in classes if c not in pairs]
        unnamed = [n for n in names if n not in pairs.values()]
        pairs.update(zip(rest, unnamed, strict=True))  # numbered in member order
        out.update({old: new for old, new in pairs.items() if old != new})
    return out


def _numbered(cls: str, owner: str) -> bool:
    return cls.startswith(owner) and cls[len(owner) :].isdigit()


def _union(schema: Any) -> list[Any]:
    if not isinstance(schema, dict):
        return []
    return [m for key in ("oneOf", "anyOf") for m in schema.get(key) or []]


def _ref(member: Any) -> str | None:
    """The class a union member names (``$ref``, or a nullable wrapper around one)."""
    if not isinstance(member, dict):
        return None
    ref = member.get("$ref")
    if isinstance(ref, str) and ref.startswith(_REF):
        return ref[len(_REF) :]
    wrapped = [m for key in ("allOf", "anyOf") for m in member.get(key) or []]
    refs = [_ref(m) for m in wrapped if isinstance(m, dict) and m.get("type") != "null"]
    return refs[0] if len(refs) == 1 else None


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
