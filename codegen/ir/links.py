"""Schema ``x-links`` -> ``ir.Link``: methods on returned models that call the client.

Design notes
------------
* A link names its target by ``operationId``; the target is that operation's own
  method (kind ``call``/``page``, not an ``x-methods`` entry) wherever it lives in the
  resource tree.
* ``parameters`` are keyed by the target's wire names, like an OpenAPI Link object;
  values are ``$response.body#/<field>`` (a field of the model, read by its Python
  attribute name) or constants. They *bind* those target parameters.
* Every target parameter the link does not bind is *forwarded*: it is an argument of
  the link method with the target's Python name, annotation, default and kind (path
  parameters positional-or-keyword, the rest keyword-only), plus ``**extra`` when the
  target takes it. ``positional`` (names of forwarded non-path parameters) makes those
  positional-or-keyword too, after the path ones, in the order given; a required one
  may not follow an optional one.
* ``update`` (model field -> result field) refreshes the model in place; result fields
  are read as attributes of a result model or keys of a result dict.
* Problems skip the one link with a warning: a link is a convenience, not the API.
* Input is the ``XLink`` records of the schema record each model class was made from
  (:class:`codegen.ir.annotate.SchemaClasses`).
"""

from __future__ import annotations

from codegen.ir.annotate import SchemaClasses
from codegen.ir.inputs import Warn, python_literal
from codegen.ir.models import ModelsResult
from codegen.ir.naming import is_identifier, py_identifier
from codegen.ir.nodes import Link, Method, Param, Resource
from codegen.spec.records import XLink

__all__ = ["build_links"]

_BODY = "$response.body#/"


def _targets(root: Resource) -> dict[str, tuple[str, Method]]:
    found: dict[str, tuple[str, Method]] = {}
    for resource in root.walk():
        for method in resource.methods:
            if method.primary and method.kind in ("call", "page"):
                found.setdefault(method.operation.operation_id, (resource.python_path, method))
    return found


def build_links(
    classes: SchemaClasses,
    models: ModelsResult,
    root: Resource,
    mixins: dict[str, str],
    warn: Warn,
) -> dict[str, list[Link]]:
    """class name -> its links (only classes that became models)."""
    targets = _targets(root)
    out: dict[str, list[Link]] = {}
    for cls in mixins:
        info = models.classes.get(cls)
        schema = classes.own(cls)
        if schema is None:
            continue
        if info is None or info.kind != "model":
            warn(schema.loc, f"x-links on {cls}, which is not a model class; ignored", "x-links")
            continue
        for spec in schema.x_links:
            link = _link(cls, spec, info.fields, targets, models, warn)
            if link is not None:
                out.setdefault(cls, []).append(link)
    return out


def _attr(fields: dict[str, str], wire: str) -> str:
    return fields.get(wire) or (wire if is_identifier(wire) else py_identifier(wire))


def _link(
    cls: str,
    spec: XLink,
    fields: dict[str, str],
    targets: dict[str, tuple[str, Method]],
    models: ModelsResult,
    warn: Warn,
) -> Link | None:
    target = targets.get(spec.operation_id)
    if target is None:
        warn(spec.loc, f"link target {spec.operation_id!r} has no method; link skipped")
        return None
    path, method = target
    params = {p.wire_name: p for p in method.params}
    params.update({p.python_name: p for p in method.params})
    args: list[tuple[str, str]] = []
    for wire, value in spec.parameters:
        param = params.get(wire)
        if param is None:
            warn(spec.loc, f"{wire!r} is not a parameter of {method.name}; link skipped")
            return None
        if isinstance(value, str) and value.startswith(_BODY):
            field = value.removeprefix(_BODY)
            if "/" in field:
                warn(spec.loc, f"nested link expression {value!r} not supported; link skipped")
                return None
            expr = f'_get(self, "{_attr(fields, field)}")'
        else:
            expr = python_literal(value)
        args.append((param.python_name, expr))
    given = {a for a, _ in args}
    forwarded = [p for p in method.params if p.python_name not in given]
    positional = [p for p in forwarded if p.location == "path"]
    for wire in spec.positional:
        param = params.get(wire)
        problem = None
        if param is None:
            problem = f"positional {wire!r} is not a parameter of {method.name}"
        elif param.python_name in given:
            problem = f"positional {wire!r} is bound by the link's parameters"
        elif param in positional:
            problem = f"positional {wire!r} is listed twice or is a path parameter"
        elif param.required and any(not p.required for p in positional):
            problem = f"required positional {wire!r} follows an optional one"
        if problem is not None:
            warn(spec.loc, f"{problem}; link skipped", "positional")
            return None
        assert param is not None
        positional.append(param)
    keyword = [p for p in forwarded if p not in positional]
    result = method.returns
    result_info = models.classes.get(result.name) if result.kind == "class" else None
    update = []
    for model_field, result_field in spec.update:
        source = result_field
        if result_info is not None and result_info.kind == "model":
            source = _attr(result_info.fields, source)
        update.append((_attr(fields, model_field), source))
    return Link(
        model_class=cls,
        method_name=spec.name,
        target_path=path,
        target_method=method.name,
        target_return=method.returns,
        target_async_return=method.async_returns,
        args=tuple(args),
        update=tuple(update),
        result_is_mapping=result_info is None or result_info.kind != "model",
        positional=tuple(positional),
        keyword=tuple(keyword),
        extra=method.body.extra,
        docstring=_docstring(spec, path, method, bool(update), forwarded),
    )


def _docstring(spec: XLink, path: str, method: Method, update: bool, forwarded: list[Param]) -> str:
    target = f"client.{path}.{method.name}" if path else f"client.{method.name}"
    what = "Refresh this object from" if update else "Call"
    tail = " and return it." if update else " for this object."
    parts = [(spec.description or "").strip(), f"{what} ``{target}()``{tail}"]
    described = [p for p in forwarded if p.description]
    if described:
        lines = ["Args:"]
        lines += [f"    {p.python_name}: {' '.join(p.description.split())}" for p in described]
        parts.append("\n".join(lines))
    return "\n\n".join(p for p in parts if p)
