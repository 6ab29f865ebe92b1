"""Python annotations for schemas, from the classes that were actually generated.

Design notes
------------
* A ``$ref`` to a schema that became a model or enum class is that class. Any other
  schema (arrays, maps, unions, primitives, and root models that
  ``--collapse-root-models`` inlined) is typed structurally: ``list[Pet]``,
  ``dict[str, list[str]]``, ``Task | str``.
* Two flavours: *output* annotations describe parsed responses (``list[Task]``,
  ``datetime.datetime``); *input* annotations are what a method accepts: open enums
  take ``TaskStatus | str``, arrays any ``Sequence``, models also a plain dict, and
  dates also strings.
* Output annotations double as the runtime ``cast_to`` expression, so they only use
  names the generated modules import: model/enum classes, ``Any``, ``datetime``.
"""

from __future__ import annotations

from typing import Any, Literal

from codegen.ir.schemas import REF_PREFIX

__all__ = ["Annotator", "union"]

Mode = Literal["input", "output"]

_PRIMITIVES = {"integer": "int", "number": "float", "boolean": "bool", "null": "None"}


def union(parts: list[str]) -> str:
    """``A | B | None`` from parts, deduplicated, ``Any`` absorbing everything."""
    out: list[str] = []
    for part in parts:
        for piece in _split_top(part):
            if piece not in out:
                out.append(piece)
    if "Any" in out:
        return "Any"
    if "None" in out:  # None last, as people write it
        out = [p for p in out if p != "None"] + ["None"]
    return " | ".join(out) if out else "Any"


def _split_top(annotation: str) -> list[str]:
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(annotation):
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
        elif ch == "|" and depth == 0:
            parts.append(annotation[start:i].strip())
            start = i + 1
    parts.append(annotation[start:].strip())
    return [p for p in parts if p]


class Annotator:
    """Annotation strings for schemas of one prepared document."""

    def __init__(self, document: dict[str, Any], classes: dict[str, str]) -> None:
        """``classes``: class name -> kind (``model``, ``root``, ``enum``, ``int_enum``)."""
        self.schemas: dict[str, Any] = document.get("components", {}).get("schemas") or {}
        self.classes = classes
        self._stack: list[str] = []

    def resolve(self, schema: Any) -> dict[str, Any]:
        """Follow ``$ref`` chains (and single-member ``allOf`` wrappers) to a schema."""
        seen: set[str] = set()
        while isinstance(schema, dict):
            ref = schema.get("$ref")
            if isinstance(ref, str) and ref.startswith(REF_PREFIX) and ref not in seen:
                seen.add(ref)
                schema = self.schemas.get(ref.removeprefix(REF_PREFIX), {})
                continue
            return schema
        return {}

    def annotation(self, schema: Any, mode: Mode = "output") -> str:
        """The annotation for ``schema`` (``Any`` when the schema says nothing)."""
        if not isinstance(schema, dict):
            return "Any"
        nullable = bool(schema.get("nullable"))
        ref = schema.get("$ref")
        if isinstance(ref, str):
            inner = self._ref(ref, mode)
            return union([inner, "None"]) if nullable else inner
        parts: list[str] = []
        for key in ("oneOf", "anyOf"):
            if isinstance(schema.get(key), list):
                parts.append(union([self.annotation(s, mode) for s in schema[key]]))
        if isinstance(schema.get("allOf"), list):
            members = schema["allOf"]
            if len(members) == 1:
                parts.append(self.annotation(members[0], mode))
            else:
                parts.append(self._dict("Any", mode))
        if not parts:
            parts.append(self._typed(schema, mode))
        if nullable:
            parts.append("None")
        return union(parts)

    def _ref(self, ref: str, mode: Mode) -> str:
        name = ref.removeprefix(REF_PREFIX)
        kind = self.classes.get(name)
        if kind == "enum":
            return f"{name} | str" if mode == "input" else name
        if kind == "int_enum":
            return f"{name} | int" if mode == "input" else name
        if kind == "model":
            return f"{name} | {self._dict('Any', mode)}" if mode == "input" else name
        if name in self._stack or name not in self.schemas:
            return "Any"  # recursive structural type: nothing better to say
        self._stack.append(name)
        try:
            return self.annotation(self.schemas[name], mode)
        finally:
            self._stack.pop()

    def _typed(self, schema: dict[str, Any], mode: Mode) -> str:
        kind = schema.get("type")
        if isinstance(kind, list):
            return union([self._typed({**schema, "type": k}, mode) for k in kind])
        if "const" in schema and kind is None:
            kind = {str: "string", bool: "boolean", int: "integer", float: "number"}.get(
                type(schema["const"])
            )
        if kind == "string" or (kind is None and _all_str(schema.get("enum"))):
            return self._string(schema.get("format"), mode)
        if kind in _PRIMITIVES:
            return _PRIMITIVES[kind]
        if kind == "array":
            item = self.annotation(schema.get("items"), mode) if "items" in schema else "Any"
            return f"Sequence[{item}]" if mode == "input" else f"list[{item}]"
        if kind == "object" or "properties" in schema or "additionalProperties" in schema:
            extra = schema.get("additionalProperties")
            value = self.annotation(extra, mode) if isinstance(extra, dict) and extra else "Any"
            return self._dict(value, mode)
        return "Any"

    @staticmethod
    def _dict(value: str, mode: Mode) -> str:
        return f"Mapping[str, {value}]" if mode == "input" else f"dict[str, {value}]"

    @staticmethod
    def _string(fmt: Any, mode: Mode) -> str:
        if fmt == "date-time":
            return "datetime.datetime | str" if mode == "input" else "datetime.datetime"
        if fmt == "date":
            return "datetime.date | str" if mode == "input" else "datetime.date"
        if fmt == "binary":
            return "clientcore.FileTypes" if mode == "input" else "bytes"
        return "str"


def _all_str(values: Any) -> bool:
    return isinstance(values, list) and bool(values) and all(isinstance(v, str) for v in values)
