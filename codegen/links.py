"""Schema ``x-links`` -> ``ir.Link``: methods on returned models that call the client.

Design notes
------------
* A link names its target by ``operationId``; the target is that operation's own
  method (kind ``call``/``page``) wherever it lives in the resource tree.
* ``parameters`` are keyed by the target's wire names, like an OpenAPI Link object;
  values are ``$response.body#/<field>`` (a field of the model, read by its Python
  attribute name) or constants.
* ``update`` (model field -> result field) refreshes the model in place; result fields
  are read as attributes of a result model or keys of a result dict.
* Problems skip the one link with a warning: a link is a convenience, not the API.
"""

from __future__ import annotations

from typing import Any

from codegen.ir import Link, Method, Resource
from codegen.models import ModelsResult
from codegen.naming import is_identifier, py_identifier
from codegen.operations import python_literal

__all__ = ["build_links"]

_BODY = "$response.body#/"


def _targets(root: Resource) -> dict[str, tuple[str, Method]]:
    found: dict[str, tuple[str, Method]] = {}
    for resource in root.walk():
        for method in resource.methods:
            if method.kind in ("call", "page"):
                found.setdefault(method.operation.operation_id, (resource.python_path, method))
    return found


def build_links(
    doc: dict[str, Any], models: ModelsResult, root: Resource, mixins: dict[str, str], ctx: Any
) -> dict[str, list[Link]]:
    """class name -> its links (only classes that became models)."""
    schemas = doc["components"]["schemas"]
    targets = _targets(root)
    out: dict[str, list[Link]] = {}
    for cls in mixins:
        info = models.classes.get(cls)
        ptr = f"/components/schemas/{cls}/x-links"
        if info is None or info.kind != "model":
            ctx.warn(ptr, f"x-links on {cls}, which is not a model class; ignored")
            continue
        for name, spec in (schemas[cls].get("x-links") or {}).items():
            link = _link(cls, str(name), spec, info.fields, targets, models, ctx, f"{ptr}/{name}")
            if link is not None:
                out.setdefault(cls, []).append(link)
    return out


def _attr(fields: dict[str, str], wire: str) -> str:
    return fields.get(wire) or (wire if is_identifier(wire) else py_identifier(wire))


def _link(
    cls: str,
    name: str,
    spec: dict[str, Any],
    fields: dict[str, str],
    targets: dict[str, tuple[str, Method]],
    models: ModelsResult,
    ctx: Any,
    ptr: str,
) -> Link | None:
    target = targets.get(str(spec.get("operationId")))
    if target is None:
        ctx.warn(ptr, f"link target {spec.get('operationId')!r} has no method; link skipped")
        return None
    path, method = target
    params = {p.wire_name: p for p in method.params}
    params.update({p.python_name: p for p in method.params})
    args = []
    for wire, value in (spec.get("parameters") or {}).items():
        param = params.get(str(wire))
        if param is None:
            ctx.warn(ptr, f"{wire!r} is not a parameter of {method.name}; link skipped")
            return None
        if isinstance(value, str) and value.startswith(_BODY):
            field = value.removeprefix(_BODY)
            if "/" in field:
                ctx.warn(ptr, f"nested link expression {value!r} not supported; link skipped")
                return None
            expr = f'_get(self, "{_attr(fields, field)}")'
        else:
            expr = python_literal(value)
        args.append((param.python_name, expr))
    given = {a for a, _ in args}
    missing = [p.python_name for p in method.params if p.required and p.python_name not in given]
    if missing:
        ctx.warn(ptr, f"link does not give {', '.join(missing)}; link skipped")
        return None
    result = method.return_annotation
    result_info = models.classes.get(result)
    update = []
    for model_field, result_field in (spec.get("update") or {}).items():
        source = str(result_field)
        if result_info is not None and result_info.kind == "model":
            source = _attr(result_info.fields, source)
        update.append((_attr(fields, str(model_field)), source))
    return Link(
        model_class=cls,
        method_name=name,
        target_path=path,
        target_method=method.name,
        target_return=method.return_annotation,
        target_async_return=method.async_return_annotation,
        args=tuple(args),
        update=tuple(update),
        result_is_mapping=result_info is None or result_info.kind != "model",
    )
