"""Typed fields of ``x-result`` error codes, read from the operations' error schemas.

Design notes
------------
* An RPC-style API (``x-result``) answers errors inside a success body; each
  operation's success schema says, at the rule's ``error`` pointer, what an error can
  be: a union (``oneOf``/``anyOf``) of objects, each with a constant code at the rule's
  ``code`` pointer and perhaps more properties (``dataset_key_not_found`` carries
  ``datasetId`` and ``datasetKey``).
* Every property beside the code becomes a read-only attribute of that code's class
  (``x-errors.codes``), named in snake_case, read from ``err.body`` at the same
  pointer. Its type is the schema's when that is a builtin (``str``, ``int``, ``list[
  str]``...), ``Any`` otherwise (the raw JSON), and ``| None`` unless every shape of
  the code in every operation requires it: one code may carry fields in some methods
  and none in others.
* A property whose name is taken by the runtime's error attributes (``message``,
  ``code``, ``body``...) is left to ``err.body``.
* ``x-errors.operation_bases``: each ``x-result`` operation gets a base class of its
  own, ``<OperationId>Errors`` (PascalCase), deriving from the API's base; the runtime
  mixes it into whatever that operation raises for a code in its body
  (``ResultRule.errors``), so ``except ModelEvaluateErrors`` catches every error code
  of that one method, ``except DatasetKeyNotFoundError`` one code across methods.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, TypeVar

from codegen.ir.annotate import Annotator
from codegen.ir.inputs import object_shape, property_at
from codegen.ir.naming import snake_case
from codegen.ir.nodes import CodeField, ErrorClass, ErrorConfig, OperationInfo, ResultRule
from codegen.ir.types import referenced_classes
from codegen.spec.records import SpecSchema

__all__ = ["TAKEN", "CodeFields", "operation_bases", "with_code_fields"]

# attributes every error has already (clientcore.APIError and APIResultError)
TAKEN = frozenset(
    {"message", "code", "error_code", "status_code", "body", "headers", "request_id"}
    | {"method", "url", "request", "response", "args", "parameter"}
)


class CodeFields:
    """Collects, operation by operation, the fields each error code carries."""

    def __init__(self, annotator: Annotator) -> None:
        self.ann = annotator
        # code -> wire name -> (schemas seen, times required); code -> shapes seen
        self.fields: dict[str, dict[str, list[tuple[SpecSchema, bool]]]] = {}
        self.shapes: dict[str, int] = {}

    def add(self, success: SpecSchema | None, rule: ResultRule | None) -> None:
        """The error union of one operation's success schema under ``rule``."""
        if rule is None or rule.code is None or rule.code[: len(rule.error)] != rule.error:
            return
        union = property_at(success, rule.error)
        if union is None:
            return
        code_at = rule.code[len(rule.error) :]
        for member in union.one_of + union.any_of or (union,):
            code_schema = property_at(member, code_at)
            if code_schema is None or code_schema.const is None:
                continue
            code = code_schema.const.value
            if not isinstance(code, str):
                continue
            shape = object_shape(member)
            if shape is None:
                continue
            props, required, _ = shape
            self.shapes[code] = self.shapes.get(code, 0) + 1
            for name, prop in props.items():
                if (name,) == tuple(str(k) for k in code_at):
                    continue
                self.fields.setdefault(code, {}).setdefault(name, []).append(
                    (prop, name in required)
                )

    def of(self, code: str, error: tuple[str | int, ...]) -> tuple[CodeField, ...]:
        out = []
        for wire, seen in self.fields.get(code, {}).items():
            name = snake_case(wire)
            if name in TAKEN or not name.isidentifier():
                continue
            types = {self.ann.type_of(schema).text for schema, _ in seen}
            refs = referenced_classes([self.ann.type_of(schema) for schema, _ in seen])
            text = types.pop() if len(types) == 1 and not refs else "Any"
            always = len(seen) == self.shapes[code] and all(req for _, req in seen)
            if not always and text != "Any":
                text += " | None"
            out.append(CodeField(name, wire, (*error, wire), text))
        return tuple(out)


def with_code_fields(
    errors: ErrorConfig, fields: CodeFields, rule: ResultRule | None
) -> ErrorConfig:
    """``errors`` with each code class carrying its typed fields."""
    if rule is None or not errors.by_code:
        return errors
    by_class = {cls: code for code, cls in errors.by_code}
    classes = tuple(
        replace(c, fields=fields.of(by_class[c.name], rule.error)) if c.name in by_class else c
        for c in errors.classes
    )
    return replace(errors, classes=classes)


P = TypeVar("P")


def operation_bases(
    pending: list[tuple[P, tuple[OperationInfo, Any, Any, Any, Any]]], errors: ErrorConfig
) -> tuple[list[tuple[P, tuple[OperationInfo, Any, Any, Any, Any]]], ErrorConfig]:
    """Each x-result operation with a base class of its own (``<OperationId>Errors``)."""
    taken = {c.name for c in errors.classes}
    classes = list(errors.classes)
    out = []
    for op, built in pending:
        info = built[0]
        rule = info.result_rule
        if rule is not None:
            stem = "".join(
                part[:1].upper() + part[1:] for part in snake_case(info.operation_id).split("_")
            )
            name = stem + "Errors"
            while name in taken:
                name += "_"
            taken.add(name)
            doc = (
                f"Every error code {info.method} {info.path} answers (``except`` catches them all)."
            )
            classes.append(ErrorClass(name, (errors.base,), doc))
            info = replace(info, result_rule=replace(rule, errors=name))
            built = (info, *built[1:])
        out.append((op, built))
    return out, replace(errors, classes=tuple(classes), operation_bases=True)
