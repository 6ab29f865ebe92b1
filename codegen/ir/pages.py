"""Page models: the response classes of operations with ``x-pagination``.

Design notes
------------
* A page model is the class of an ``x-pagination`` operation's first success JSON
  response schema (a component, or an inline response that
  :func:`codegen.ir.schemas.prepare` hoisted to ``<Op>Response``), when its properties
  (``allOf`` merged) include the pagination's ``items``. A nullable response is no
  page model (its use is ``X | None``, not ``X``).
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

from collections.abc import Iterable

from codegen.ir.annotate import SchemaClasses
from codegen.ir.inputs import Warn, json_media
from codegen.spec.records import SpecOperation, SpecSchema

__all__ = ["find_pages"]


def find_pages(
    operations: Iterable[SpecOperation], classes: SchemaClasses, warn: Warn
) -> dict[str, str]:
    """Page model class name -> its items' wire name."""
    found: dict[str, tuple[str, str]] = {}  # class -> (items, pointer of the first use)
    ambiguous: set[str] = set()
    for op in operations:
        spec = op.x_pagination
        if spec is None or spec.items is None:
            continue
        items = spec.items
        schema = _response_schema(op)
        cls = None if schema is None or schema.nullable else classes.class_of(schema)
        if cls is None or schema is None or items not in _properties(schema, set()):
            continue
        if cls in found and found[cls][0] != items:
            if cls not in ambiguous:
                warn(
                    spec.loc,
                    f"{cls} pages {found[cls][0]!r} at {found[cls][1]} but {items!r} here;"
                    " it stays a plain model",
                    "items",
                )
            ambiguous.add(cls)
            continue
        found.setdefault(cls, (items, op.loc.pointer))
    return {cls: items for cls, (items, _) in sorted(found.items()) if cls not in ambiguous}


def _response_schema(op: SpecOperation) -> SpecSchema | None:
    """The schema of the first success JSON response (as the methods read it)."""
    responses = {r.status: r for r in op.responses}
    if op.x_success_statuses is not None:
        wanted = {str(s) for s in op.x_success_statuses}
        ok = [s for s in responses if s in wanted]
    else:
        ok = [s for s in responses if s.startswith("2")]
    for status in ok or (["default"] if "default" in responses else []):
        content = responses[status].content
        if not content:
            continue
        media = json_media(content)
        return None if media is None else media.schema
    return None


def _properties(schema: SpecSchema, seen: set[int], depth: int = 0) -> set[str]:
    names = {name for name, _ in schema.properties}
    if depth < 20 and id(schema) not in seen:
        seen.add(id(schema))
        for part in schema.all_of:
            names |= _properties(part, seen, depth + 1)
    return names
