"""Fields an ``allOf`` subclass redeclares: made into overrides ``mypy --strict`` accepts.

datamodel-code-generator writes ``allOf: [{$ref: Base}, {properties: ...}]`` as
``class Sub(Base)`` and redeclares in ``Sub`` every property the other parts name again.
Usually the new type is narrower in a way mypy accepts (``str | None`` made required
``str``, ``str`` made ``Literal["a"]``, a class made its subclass). Two shapes are not:

* a discriminated union's member gets its tag narrowed to ``Literal["episode"]`` while
  its base declares the property as the string enum ``EpisodeBaseType``: ``"episode"``
  is a ``str``, not an ``EpisodeBaseType``, for mypy (spotify's ``EpisodeObject``);
* a part redeclares a property with a type unrelated to the base's
  (``data: list[Trip]`` over ``list[dict[str, Any]]``: ``list`` is invariant, and a model
  is no ``dict``; train-travel's ``GetTripsResponse`` over ``WrapperCollection``).

Design notes
------------
* Narrow first, in a way mypy accepts: a ``Literal`` of values that are all members of an
  enum the base declares becomes the ``Literal`` of those members
  (``Literal[EpisodeBaseType.EPISODE]``), a subtype of the enum. It keeps the class
  hierarchy, and the runtime is as before: pydantic checks the wire's ``"episode"``
  against the member's value, a known tag still picks its variant in the open unions of
  :func:`codegen.ir.models.open_unions` (the other variants' tags fail) and an unknown
  one still falls to ``APIModel``; the attribute now holds the enum member, which equals
  ``"episode"`` (``OpenEnum`` is a ``str``) and is what the base's type promises.
* Otherwise the subclass is flattened: the base whose field it cannot override is
  replaced by that base's own bases, and the base's fields (its ``model_config`` too, when
  the subclass has none; keys merged when both do) are written into the subclass, in the
  base's order with the subclass's declarations in place, so pydantic sees the same
  fields in the same order. The subclass stops being a subclass of that base, which is
  the truth for a type checker: reading ``data`` through ``WrapperCollection`` promises
  dicts a ``GetTripsResponse`` does not hold. Every field is then typed as the spec says
  for that class. A ``# type: ignore[assignment]`` would have kept ``isinstance`` but
  given mypy a wrong type through the base, and placing it only where mypy objects needs
  mypy's own judgement (``--strict`` rejects an unneeded one).
* Compatibility is decided by a small, deliberately conservative subtype check on the
  annotations' syntax (:func:`_subtype`): unions, ``None``, ``Any``, ``Literal`` values
  against their type, enum members, the module's own class hierarchy, ``bool`` < ``int``
  < ``float``, containers (invariant ``list``/``dict``/``set``, covariant ``Sequence``,
  ``tuple``...). Whatever it cannot prove is treated as incompatible: flattening where
  mypy would have accepted the override costs only the inheritance, never an error.
* Classes are visited in source order, so a subclass of a flattened class sees the
  flattened one. Edits replace whole classes by their line numbers (the source is split
  at ``\\n`` only, as Python counts lines); the package's formatter tidies the result.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from codegen.ir.trees import parse_module

__all__ = ["fix_overrides"]

_ENUM_BASES = {"OpenEnum", "Enum", "IntEnum", "StrEnum"}
_FALLBACK = "APIModel"
_INVARIANT = {"list", "dict", "set", "List", "Dict", "Set", "MutableMapping", "MutableSequence"}
_COVARIANT = {"Sequence", "frozenset", "FrozenSet", "Iterable", "Collection", "tuple", "Tuple"}
_PROMOTIONS = {"bool": {"int", "float"}, "int": {"float"}}


@dataclass
class _Stmt:
    text: str  # whole lines, indentation included
    kind: str  # "doc", "config", "field" or "other"
    name: str = ""  # a field's attribute
    annotation: ast.expr | None = None
    node: ast.stmt | None = None


@dataclass
class _Class:
    name: str
    bases: list[str]  # each base's source text
    keywords: list[str]  # ``metaclass=...`` and the like, as written
    body: list[_Stmt]
    start: int  # line index of ``class`` (decorators: none are written)
    end: int  # line index after the class
    enum_members: dict[object, str] = field(default_factory=dict)
    changed: bool = False


def fix_overrides(source: str) -> str:
    """Narrow or flatten every ``allOf`` subclass whose redeclared field mypy would reject
    as an incompatible override (module notes)."""
    lines = source.split("\n")
    tree = parse_module(source)
    classes: dict[str, _Class] = {}
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            classes[node.name] = _read_class(node, lines)
    order = list(classes)
    for name in order:
        cls = classes[name]
        if not any(base in classes for base in cls.bases):
            continue
        _narrow_literals(cls, classes, order)
        _flatten(cls, classes)
    if not any(cls.changed for cls in classes.values()):
        return source
    for cls in sorted(classes.values(), key=lambda c: -c.start):
        if cls.changed:
            lines[cls.start : cls.end] = _write_class(cls).split("\n")
    return "\n".join(lines)


# -- reading and writing classes ------------------------------------------------------


def _read_class(node: ast.ClassDef, lines: list[str]) -> _Class:
    body: list[_Stmt] = []
    members: dict[object, str] = {}
    for index, stmt in enumerate(node.body):
        text = "\n".join(lines[stmt.lineno - 1 : stmt.end_lineno or stmt.lineno])
        if (
            index == 0
            and isinstance(stmt, ast.Expr)
            and isinstance(stmt.value, ast.Constant)
            and isinstance(stmt.value.value, str)
        ):
            body.append(_Stmt(text, "doc", node=stmt))
        elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
            kind = "config" if stmt.target.id == "model_config" else "field"
            body.append(_Stmt(text, kind, stmt.target.id, stmt.annotation, stmt))
        elif (
            isinstance(stmt, ast.Assign)
            and len(stmt.targets) == 1
            and isinstance(stmt.targets[0], ast.Name)
        ):
            target = stmt.targets[0].id
            kind = "config" if target == "model_config" else "other"
            body.append(_Stmt(text, kind, target, node=stmt))
            if isinstance(stmt.value, ast.Constant):
                members[stmt.value.value] = target
        else:
            body.append(_Stmt(text, "other", node=stmt))
    bases = [ast.unparse(base) for base in node.bases]
    is_enum = any(base.rsplit(".", 1)[-1] in _ENUM_BASES for base in bases)
    return _Class(
        node.name,
        bases,
        [ast.unparse(keyword) for keyword in node.keywords],
        body,
        node.lineno - 1,
        node.end_lineno or node.lineno,
        members if is_enum else {},
    )


def _write_class(cls: _Class) -> str:
    head = f"class {cls.name}({', '.join([*cls.bases, *cls.keywords])}):"
    return "\n".join([head, *(stmt.text for stmt in cls.body)])


def _fields(cls: _Class) -> dict[str, _Stmt]:
    return {s.name: s for s in cls.body if s.kind == "field"}


def _inherited(cls: _Class, classes: dict[str, _Class]) -> dict[str, tuple[str, _Stmt]]:
    """field -> (the direct base it comes through, its declaration), first base first."""
    out: dict[str, tuple[str, _Stmt]] = {}
    for base in reversed(cls.bases):
        if base in classes:
            found = {**_inherited(classes[base], classes), **_all_fields(classes[base], classes)}
            out.update({name: (base, stmt) for name, (_via, stmt) in found.items()})
    return out


def _all_fields(cls: _Class, classes: dict[str, _Class]) -> dict[str, tuple[str, _Stmt]]:
    return {name: (cls.name, stmt) for name, stmt in _fields(cls).items()}


def _ancestors(name: str, classes: dict[str, _Class]) -> set[str]:
    out: set[str] = set()
    todo = [name]
    while todo:
        cls = classes.get(todo.pop())
        for base in cls.bases if cls else []:
            short = base.rsplit(".", 1)[-1]
            if short not in out:
                out.add(short)
                todo.append(short)
    return out


# -- narrowing a Literal tag to enum members ------------------------------------------


def _narrow_literals(cls: _Class, classes: dict[str, _Class], order: list[str]) -> None:
    inherited = _inherited(cls, classes)
    for stmt in cls.body:
        if stmt.kind != "field" or stmt.name not in inherited or stmt.annotation is None:
            continue
        base = inherited[stmt.name][1].annotation
        if base is None or _subtype(stmt.annotation, base, classes):
            continue
        literal = _literal_node(stmt.annotation)
        if literal is None:
            continue
        values = _literal_values(literal)
        enum = next(
            (
                name
                for name in _class_names(_strip(base))
                if name in classes
                and classes[name].enum_members
                and values is not None
                and all(v in classes[name].enum_members for v in values)
            ),
            None,
        )
        if enum is None or values is None:
            continue
        members = ", ".join(f"{enum}.{classes[enum].enum_members[v]}" for v in values)
        new = f"Literal[{members}]"
        if order.index(enum) > order.index(cls.name):  # not defined yet where evaluated
            new = repr(new)
        stmt.text = _replace(stmt.text, stmt, literal, new)
        stmt.annotation = _reparse_annotation(stmt.text)
        cls.changed = True


def _literal_node(annotation: ast.expr) -> ast.Subscript | None:
    """The ``Literal[...]`` an annotation is, inside ``Annotated`` and ``| None``."""
    node = _strip(annotation)
    members = [m for m in _union(node) if not _is_none(m)]
    if len(members) != 1:
        return None
    member = members[0]
    if isinstance(member, ast.Subscript) and _name(member.value) == "Literal":
        return member
    return None


def _literal_values(node: ast.Subscript) -> list[object] | None:
    elts = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
    values: list[object] = []
    for elt in elts:
        if not isinstance(elt, ast.Constant):
            return None
        values.append(elt.value)
    return values


def _replace(text: str, stmt: _Stmt, node: ast.expr, new: str) -> str:
    """``text`` (the statement's lines) with ``node``'s span replaced (byte columns)."""
    assert stmt.node is not None and node.end_lineno is not None
    first = stmt.node.lineno
    lines = [line.encode() for line in text.split("\n")]
    start, end = node.lineno - first, node.end_lineno - first
    head = lines[start][: node.col_offset]
    tail = lines[end][node.end_col_offset or 0 :]
    lines[start : end + 1] = [head + new.encode() + tail]
    return b"\n".join(lines).decode()


def _reparse_annotation(text: str) -> ast.expr | None:
    stmt = ast.parse(text.strip()).body[0]
    return stmt.annotation if isinstance(stmt, ast.AnnAssign) else None


# -- flattening ------------------------------------------------------------------------


def _flatten(cls: _Class, classes: dict[str, _Class]) -> None:
    while True:
        inherited = _inherited(cls, classes)
        via = next(
            (
                inherited[stmt.name][0]
                for stmt in cls.body
                if stmt.kind == "field"
                and stmt.name in inherited
                and not _compatible(stmt, inherited[stmt.name][1], classes)
            ),
            None,
        )
        if via is None:
            return
        _absorb(cls, classes[via], classes)
        cls.changed = True


def _compatible(stmt: _Stmt, base: _Stmt, classes: dict[str, _Class]) -> bool:
    if stmt.annotation is None or base.annotation is None:
        return False
    return _subtype(stmt.annotation, base.annotation, classes)


def _absorb(cls: _Class, base: _Class, classes: dict[str, _Class]) -> None:
    """``cls`` no longer derives from ``base``: it takes ``base``'s bases and fields."""
    index = cls.bases.index(base.name)
    bases = cls.bases[:index] + base.bases + cls.bases[index + 1 :]
    kept: list[str] = []
    for name in bases:
        others = [b for b in bases if b != name]
        if name in kept or any(name in _ancestors(o, classes) for o in others):
            continue
        kept.append(name)
    if len(kept) > 1 and _FALLBACK in kept:
        kept.remove(_FALLBACK)  # every model class and mixin derives from it
    cls.bases = kept or [_FALLBACK]

    own = {s.name: s for s in cls.body if s.kind == "field"}
    doc = [s for s in cls.body if s.kind == "doc"]
    config = _merge_config(
        next((s for s in cls.body if s.kind == "config"), None),
        next((s for s in base.body if s.kind == "config"), None),
    )
    fields = [own.get(s.name, s) for s in base.body if s.kind == "field"]
    rest = [s for s in cls.body if s.kind in ("field", "other") and s not in fields]
    extra = [s for s in base.body if s.kind == "other"]
    cls.body = [*doc, *([config] if config else []), *fields, *rest, *extra]


def _merge_config(own: _Stmt | None, base: _Stmt | None) -> _Stmt | None:
    if own is None or base is None:
        return own or base
    mine, theirs = _config_call(own), _config_call(base)
    if mine is None or theirs is None:
        return own
    names = {kw.arg for kw in mine.keywords}
    keywords = [*mine.keywords, *(kw for kw in theirs.keywords if kw.arg not in names)]
    call = ast.Call(mine.func, list(mine.args), keywords)
    text = f"    model_config = {ast.unparse(call)}"
    return _Stmt(text, "config", "model_config", node=ast.parse(text.strip()).body[0])


def _config_call(stmt: _Stmt) -> ast.Call | None:
    value = stmt.node.value if isinstance(stmt.node, ast.Assign | ast.AnnAssign) else None
    return value if isinstance(value, ast.Call) else None


# -- a conservative subtype check on annotations --------------------------------------


def _subtype(sub: ast.expr, base: ast.expr, classes: dict[str, _Class]) -> bool:
    """Whether ``sub`` is, provably from its syntax, a subtype of ``base`` (module notes)."""
    sub, base = _strip(sub), _strip(base)
    wanted = _union(base)
    if any(_name(b) == "Any" for b in wanted):
        return True
    return all(any(_member_subtype(s, b, classes) for b in wanted) for s in _union(sub))


def _member_subtype(sub: ast.expr, base: ast.expr, classes: dict[str, _Class]) -> bool:
    if _name(sub) == "Any" or ast.dump(sub) == ast.dump(base):
        return True
    if _is_none(sub) or _is_none(base):
        return _is_none(sub) and _is_none(base)
    if isinstance(sub, ast.Subscript) and _name(sub.value) == "Literal":
        return _literal_subtype(sub, base, classes)
    sub_name, base_name = _name(sub), _name(base)
    if sub_name is not None and base_name is not None:
        return base_name in _PROMOTIONS.get(sub_name, set()) or _inherits(
            sub_name, base_name, classes
        )
    if isinstance(sub, ast.Subscript) and isinstance(base, ast.Subscript):
        origin = _name(sub.value)
        if origin is None or origin != _name(base.value):
            return False
        sub_args, base_args = _args(sub), _args(base)
        if len(sub_args) != len(base_args):
            return False
        if origin in _INVARIANT:
            return all(_same(s, b) for s, b in zip(sub_args, base_args, strict=True))
        if origin in _COVARIANT:
            return all(_subtype(s, b, classes) for s, b in zip(sub_args, base_args, strict=True))
    return False


def _literal_subtype(sub: ast.Subscript, base: ast.expr, classes: dict[str, _Class]) -> bool:
    elts = sub.slice.elts if isinstance(sub.slice, ast.Tuple) else [sub.slice]
    if isinstance(base, ast.Subscript) and _name(base.value) == "Literal":
        allowed = base.slice.elts if isinstance(base.slice, ast.Tuple) else [base.slice]
        dumped = {ast.dump(a) for a in allowed}
        return all(ast.dump(e) in dumped for e in elts)
    base_name = _name(base)
    if base_name is None:
        return False
    for elt in elts:
        if isinstance(elt, ast.Constant):
            kind = type(elt.value).__name__
            if not (kind == base_name or base_name in _PROMOTIONS.get(kind, set())):
                return False
        elif isinstance(elt, ast.Attribute) and isinstance(elt.value, ast.Name):
            enum = elt.value.id
            if enum not in classes or not (
                enum == base_name or _inherits(enum, base_name, classes)
            ):
                return False
        else:
            return False
    return True


def _inherits(name: str, base: str, classes: dict[str, _Class]) -> bool:
    if name == base:
        return True
    ancestors = _ancestors(name, classes)
    if base in ancestors:
        return True
    if base == "str" and "OpenEnum" in ancestors:  # clientcore.OpenEnum(str, Enum)
        return True
    return base == _FALLBACK and name in classes and not classes[name].enum_members


def _same(sub: ast.expr, base: ast.expr) -> bool:
    return ast.dump(_strip(sub)) == ast.dump(_strip(base))


def _strip(node: ast.expr) -> ast.expr:
    """``Annotated[T, ...]`` -> ``T``; ``"T"`` (a forward reference) -> ``T``."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        try:
            return _strip(ast.parse(node.value, mode="eval").body)
        except SyntaxError:
            return node
    if (
        isinstance(node, ast.Subscript)
        and _name(node.value) == "Annotated"
        and isinstance(node.slice, ast.Tuple)
    ):
        return _strip(node.slice.elts[0])
    return node


def _union(node: ast.expr) -> list[ast.expr]:
    node = _strip(node)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return [*_union(node.left), *_union(node.right)]
    if isinstance(node, ast.Subscript) and _name(node.value) in ("Union", "Optional"):
        elts = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
        members = [m for e in elts for m in _union(e)]
        return [*members, ast.Constant(None)] if _name(node.value) == "Optional" else members
    return [node]


def _args(node: ast.Subscript) -> list[ast.expr]:
    return list(node.slice.elts) if isinstance(node.slice, ast.Tuple) else [node.slice]


def _class_names(node: ast.expr) -> list[str]:
    return [n for n in map(_name, _union(node)) if n is not None]


def _name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _is_none(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value is None
