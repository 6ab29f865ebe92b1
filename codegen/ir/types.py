"""Structured Python types: what an annotation *is*; its text is derived from it.

Design notes
------------
* A :class:`TypeRef` is a small frozen tree: a ``kind``, a ``name`` and ``args``.
  ``text`` prints it as the generated code writes it (``list[Task]``,
  ``Mapping[str, Any]``, ``Task | str``); ``classes`` lists the generated model and
  enum classes it names, so nobody has to find names in text with a regex.
* Kinds: ``any`` (``Any``), ``none`` (``None``), ``name`` (a builtin or a dotted name
  the generated modules import: ``str``, ``datetime.datetime``,
  ``clientcore.FileTypes``), ``class`` (a generated model or enum class), ``list``,
  ``sequence`` (one argument), ``dict``, ``mapping`` (key and value), ``generic`` (a
  named generic: ``clientcore.SyncPager[Task]``), ``union`` (two or more members, never
  nested), ``literal`` (``Literal[True]``; ``name`` is the value's source) and
  ``custom`` (a hand-written type, schema ``x-python-type``: ``name`` is ``module.Name``
  of the API's ``python/``; written ``_custom_<module>.<Name>``, the alias under which
  generated modules import ``_custom/<module>.py``, so :attr:`TypeRef.custom_modules`
  says which modules a module must import).
* Two ways to combine types: :func:`union` normalises as the annotation builder wants
  (members deduplicated, ``Any`` absorbing everything, ``None`` last), :func:`join` just
  puts members side by side (``X | None | clientcore.Stream[Y]``), and
  :meth:`TypeRef.or_none` adds ``| None`` unless ``None`` is a member already.
* ``runtime`` is the same type as a run-time expression in a generated module, where
  model classes are reached through the lazy models package imported as
  :data:`MODELS_ALIAS` (``list[_models.Task]``): the ``cast_to`` argument of a call.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Literal

__all__ = [
    "ANY",
    "API_MODEL",
    "BOOL",
    "BYTES",
    "FILE",
    "FLOAT",
    "INT",
    "MODELS_ALIAS",
    "NONE",
    "STR",
    "TypeKind",
    "TypeRef",
    "class_ref",
    "custom_type",
    "dict_of",
    "generic",
    "join",
    "list_of",
    "literal",
    "mapping_of",
    "named",
    "referenced_classes",
    "referenced_modules",
    "sequence_of",
    "union",
]

TypeKind = Literal[
    "any",
    "none",
    "name",
    "class",
    "list",
    "sequence",
    "dict",
    "mapping",
    "generic",
    "union",
    "literal",
    "custom",
]

# How generated modules import the models package: ``from . import models as _models``.
MODELS_ALIAS = "_models"

_CONTAINERS = {"list": "list", "sequence": "Sequence", "dict": "dict", "mapping": "Mapping"}
# Builtins a run-time type expression may name, which a parameter could shadow.
_BUILTINS = frozenset({"list", "dict", "str", "int", "float", "bool", "bytes", "object"})


def shadowable_builtins(names: Iterable[str]) -> frozenset[str]:
    """Those of ``names`` that are builtins a type annotation may use."""
    return _BUILTINS.intersection(names)


@dataclass(frozen=True)
class TypeRef:
    """One Python type (see the module notes for the kinds)."""

    kind: TypeKind
    name: str = ""  # name / class / generic: the (dotted) name; literal: the value's source
    args: tuple[TypeRef, ...] = ()

    def __post_init__(self) -> None:
        if self.kind == "union" and (
            len(self.args) < 2 or any(a.kind == "union" for a in self.args)
        ):
            raise ValueError("a union has two or more members, none of them a union")

    # -- text --------------------------------------------------------------------------

    @property
    def text(self) -> str:
        """The annotation as the generated code writes it."""
        return self._render("")

    @property
    def runtime(self) -> str:
        """The type as a run-time expression: classes through the models package."""
        return self._render(MODELS_ALIAS + ".")

    def text_within(self, shadowed: Iterable[str]) -> str:
        """:attr:`text` where the builtins ``shadowed`` are hidden by a name in scope (a
        method ``list`` in the class body): those are written ``builtins.list``."""
        return self._render("", _BUILTINS.intersection(shadowed))

    def runtime_within(self, local_names: Iterable[str]) -> str:
        """:attr:`runtime` inside a function whose arguments are ``local_names``: a
        builtin an argument shadows (a parameter named ``list``, ``str``...) is reached
        through ``builtins``; classes are safe already (``_models.X``)."""
        shadowed = _BUILTINS.intersection(local_names)
        return self._render(MODELS_ALIAS + ".", shadowed)

    def _render(self, qualifier: str, shadowed: frozenset[str] = frozenset()) -> str:
        kind = self.kind
        if kind == "any":
            return "Any"
        if kind == "none":
            return "None"
        if kind == "name":
            return "builtins." + self.name if self.name in shadowed else self.name
        if kind == "class":
            return qualifier + self.name
        if kind == "literal":
            return f"Literal[{self.name}]"
        if kind == "custom":
            module, _, name = self.name.partition(".")
            return f"_custom_{module}.{name}"
        args = [a._render(qualifier, shadowed) for a in self.args]
        if kind == "union":
            return " | ".join(args)
        head = _CONTAINERS.get(kind, self.name)
        if head in shadowed:
            head = "builtins." + head
        return f"{head}[{', '.join(args)}]"

    def __str__(self) -> str:
        return self.text

    # -- questions templates used to ask the text --------------------------------------

    @property
    def classes(self) -> tuple[str, ...]:
        """The generated classes this type names, first use first, each once."""
        return tuple(dict.fromkeys(t.name for t in self._walk() if t.kind == "class"))

    @property
    def custom_modules(self) -> tuple[str, ...]:
        """The hand-written modules (``_custom/<module>.py``) this type names, each once."""
        found = (t.name.partition(".")[0] for t in self._walk() if t.kind == "custom")
        return tuple(dict.fromkeys(found))

    def _walk(self) -> Iterator[TypeRef]:
        """This type and every type inside it, depth first, in written order."""
        yield self
        for arg in self.args:
            yield from arg._walk()

    @property
    def members(self) -> tuple[TypeRef, ...]:
        """The members of a union; any other type is its only member."""
        return self.args if self.kind == "union" else (self,)

    @property
    def is_union(self) -> bool:
        return self.kind == "union"

    @property
    def is_optional(self) -> bool:
        """``None`` is one of the members."""
        return NONE in self.members

    @property
    def is_sequence(self) -> bool:
        """``Sequence[...]``: an input accepting any sequence."""
        return self.kind == "sequence"

    @property
    def is_str(self) -> bool:
        return self == STR

    def or_none(self) -> TypeRef:
        """``X | None``: ``None`` appended unless it is a member already (``Any``
        included: ``Any | None`` says the argument may be left out)."""
        return self if self.is_optional else join(self, NONE)


ANY = TypeRef("any")
NONE = TypeRef("none")
STR = TypeRef("name", "str")
INT = TypeRef("name", "int")
FLOAT = TypeRef("name", "float")
BOOL = TypeRef("name", "bool")
BYTES = TypeRef("name", "bytes")
FILE = TypeRef("name", "clientcore.FileTypes")  # an uploaded file's content
CONTENT = TypeRef("name", "clientcore.FileContent")  # a raw request body: bytes or a file
# Any JSON object, every key kept: the variant a server adds to a union of tagged ones.
API_MODEL = TypeRef("name", "clientcore.APIModel")


def named(name: str) -> TypeRef:
    """A builtin or an imported dotted name (``datetime.date``, ``clientcore.FileTypes``)."""
    return TypeRef("name", name)


def class_ref(name: str) -> TypeRef:
    """A generated model or enum class."""
    return TypeRef("class", name)


def custom_type(ref: str) -> TypeRef:
    """A hand-written type: ``module.Name`` of the API's ``python/`` (``x-python-type``)."""
    return TypeRef("custom", ref)


def list_of(item: TypeRef) -> TypeRef:
    return TypeRef("list", args=(item,))


def sequence_of(item: TypeRef) -> TypeRef:
    return TypeRef("sequence", args=(item,))


def dict_of(value: TypeRef, key: TypeRef = STR) -> TypeRef:
    return TypeRef("dict", args=(key, value))


def mapping_of(value: TypeRef, key: TypeRef = STR) -> TypeRef:
    return TypeRef("mapping", args=(key, value))


def generic(name: str, *args: TypeRef) -> TypeRef:
    """A named generic: ``generic("clientcore.Stream", item)``."""
    return TypeRef("generic", name, args)


def literal(value: bool | int | str) -> TypeRef:
    return TypeRef("literal", repr(value))


def join(*parts: TypeRef) -> TypeRef:
    """``A | B | ...`` as written: members flattened, nothing dropped or moved."""
    members = tuple(m for part in parts for m in part.members)
    if not members:
        return ANY
    return members[0] if len(members) == 1 else TypeRef("union", args=members)


def union(parts: Iterable[TypeRef]) -> TypeRef:
    """``A | B | None``: members deduplicated, ``Any`` absorbing everything, ``None``
    last, ``Any`` for no parts at all."""
    out: list[TypeRef] = []
    for part in parts:
        for member in part.members:
            if member not in out:
                out.append(member)
    if ANY in out:
        return ANY
    if NONE in out:  # None last, as people write it
        out = [m for m in out if m != NONE] + [NONE]
    return join(*out)


def referenced_classes(types: Iterable[TypeRef | None]) -> tuple[str, ...]:
    """The generated classes ``types`` name, sorted: what a module must import."""
    return tuple(sorted({cls for t in types if t is not None for cls in t.classes}))


def referenced_modules(types: Iterable[TypeRef | None]) -> tuple[str, ...]:
    """The hand-written modules ``types`` name, sorted: what a module must import."""
    return tuple(sorted({m for t in types if t is not None for m in t.custom_modules}))
