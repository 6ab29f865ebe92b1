"""Page models: the response classes of operations with ``x-pagination``.

Design notes
------------
* A page model is the component schema an ``x-pagination`` operation's success JSON
  response names by ``$ref`` (after :func:`codegen.ir.schemas.prepare`, so inline
  responses, hoisted to ``<Op>Response``, count too) and whose properties (``allOf``
  merged) include the pagination's ``items``.
* Found before models are generated, because the class must derive from its
  ``_pages.<Name>Page`` base (``base_class_map``); that base is a
  ``clientcore.PageModel`` naming the items attribute, so ``iter(page)``, ``len(page)``
  and ``page[i]`` use the items (as scaleapi's list subclasses do). A model that also
  has ``x-links`` gets the page base through its ``_links`` mixin.
* One schema used by two paginated operations with different ``items`` is ambiguous:
  it stays a plain model, with a warning. A response whose items property is missing
  is left alone silently (the methods already warn about it).
"""

from __future__ import annotations

from typing import Any

from codegen.ir.schemas import REF_PREFIX, iter_operations, json_media

__all__ = ["find_pages"]


def find_pages(doc: dict[str, Any], warn: Any) -> dict[str, str]:
    """Page model class name -> its items' wire name (``warn(pointer, message)``)."""
    schemas = (doc.get("components") or {}).get("schemas") or {}
    found: dict[str, tuple[str, str]] = {}  # class -> (items, pointer of the first use)
    ambiguous: set[str] = set()
    for _path, _method, op, ptr in iter_operations(doc):
        spec = op.get("x-pagination")
        if not isinstance(spec, dict) or not isinstance(spec.get("items"), str):
            continue
        items = spec["items"]
        cls = _response_class(doc, op)
        if cls is None or cls not in schemas or items not in _properties(doc, schemas[cls]):
            continue
        if cls in found and found[cls][0] != items:
            if cls not in ambiguous:
                warn(
                    ptr + "/x-pagination/items",
                    f"{cls} pages {found[cls][0]!r} at {found[cls][1]} but {items!r} here;"
                    " it stays a plain model",
                )
            ambiguous.add(cls)
            continue
        found.setdefault(cls, (items, ptr))
    return {cls: items for cls, (items, _) in sorted(found.items()) if cls not in ambiguous}


def _deref(doc: dict[str, Any], node: Any) -> Any:
    seen = 0
    while isinstance(node, dict) and isinstance(node.get("$ref"), str) and seen < 20:
        ref = node["$ref"]
        if not ref.startswith("#/"):
            return {}
        target: Any = doc
        for part in ref[2:].split("/"):
            part = part.replace("~1", "/").replace("~0", "~")
            target = target.get(part) if isinstance(target, dict) else None
        node, seen = target, seen + 1
    return node if isinstance(node, dict) else {}


def _response_class(doc: dict[str, Any], op: dict[str, Any]) -> str | None:
    """The component class of the first success JSON response (as the methods read it)."""
    responses = {str(k): _deref(doc, v) for k, v in (op.get("responses") or {}).items()}
    declared = op.get("x-success-statuses")
    if isinstance(declared, list):
        wanted = {str(s) for s in declared}
        ok = [s for s in responses if s in wanted]
    else:
        ok = [s for s in responses if s.startswith("2")]
    ok = ok or (["default"] if "default" in responses else [])
    for status in ok:
        content = responses[status].get("content") or {}
        if not content:
            continue
        media = json_media(content)
        if media is None or "schema" not in media[1]:
            return None
        ref = media[1]["schema"].get("$ref") if isinstance(media[1]["schema"], dict) else None
        if isinstance(ref, str) and ref.startswith(REF_PREFIX):
            return ref.removeprefix(REF_PREFIX)
        return None
    return None


def _properties(doc: dict[str, Any], schema: Any, depth: int = 0) -> set[str]:
    schema = _deref(doc, schema)
    names = set((schema.get("properties") or {}).keys())
    if depth < 20:
        for part in schema.get("allOf") or []:
            names |= _properties(doc, part, depth + 1)
    return names
