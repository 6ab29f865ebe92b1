"""One models module -> a ``models/`` package whose classes load on first use.

Design notes
------------
* Import cost must not grow with the size of the API: defining a pydantic class costs
  about a millisecond, so a package that creates every model at import pays for all
  of them. Instead each class lives in a small module of ``models/`` and
  ``models/__init__.py`` imports it on first attribute access (PEP 562
  ``__getattr__``); ``__all__`` and a ``TYPE_CHECKING`` import block keep
  ``from pkg.models import Task``, IDE completion and ``mypy --strict`` working.
* Classes that reference each other (``Task`` -> ``Batch`` -> ``Task``) must share a
  module: the reference graph is cut into strongly connected components (Tarjan), one
  module per component, named after its first class in source order. A module imports
  the classes of the components it depends on at its top, so loading ``Task`` loads
  exactly its dependency closure, never a cycle of imports.
* References are read from the class's AST: every name, and every identifier inside
  a string constant of an annotation (datamodel-code-generator quotes forward
  references); docstrings do not count.
* Imports of the original module are copied into every part (relative ones one level
  deeper); unused ones are pruned later by ``ruff --select F401``. Besides imports,
  only classes and type aliases (``X = TypeAliasType("X", ...)``, which
  datamodel-code-generator writes for a constrained map value) may appear at module
  level: anything else is a compiler bug and raises.
* Import depth is bounded: importing a module whose dependencies are N modules deep
  takes about 6N Python frames, so a 200-deep nested schema, one module per level,
  would pass the interpreter's recursion limit on import. When the longest chain of
  modules exceeds :data:`MAX_IMPORT_DEPTH`, every component deeper than that shares
  one module (in dependency order), so no import chain is longer. Ordinary APIs never
  come near it and keep one module per component.
* A large enum reaches datamodel-code-generator abridged (:mod:`codegen.ir.enums`), so
  the members of an enum whose source lacks some are written from the IR
  (``EnumInfo.members``, passed as ``enums``): the class line and docstring are the
  source's; one ``NAME = 'value'`` line per member replaces its run of members.
* Statements are cut out of the source by their AST line numbers, so the source is
  split only at ``\\n``, as Python counts lines (``str.splitlines`` also splits at
  U+2028 and other separators a string literal may hold).
"""

from __future__ import annotations

import ast
import keyword
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from codegen.ir.naming import snake_case
from codegen.ir.trees import parse_module

__all__ = ["ModelParts", "split_models"]

_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass(frozen=True)
class ModelParts:
    """The modules of a ``models/`` package (file name -> text) and where each class is."""

    files: Mapping[str, str]
    module_of: Mapping[str, str]  # class name -> module name inside models/


MAX_IMPORT_DEPTH = 50

Definition = ast.ClassDef | ast.Assign  # a class, or ``Name = TypeAliasType(...)``


def _name(node: Definition) -> str:
    if isinstance(node, ast.ClassDef):
        return node.name
    target = node.targets[0]
    assert isinstance(target, ast.Name)
    return target.id


def _references(node: Definition, classes: set[str]) -> set[str]:
    """Every name in ``node``, and every identifier in a string constant of an
    annotation (quoted forward references; not docstrings) or of a type alias's value,
    that is one of ``classes``. One pass over the tree, each node visited once."""
    found: set[str] = set()
    # (node, whether its string constants are quoted references)
    todo: list[tuple[ast.AST, bool]] = [(node, isinstance(node, ast.Assign))]
    while todo:
        sub, quoted = todo.pop()
        if isinstance(sub, ast.Name):
            found.add(sub.id)
        elif quoted and isinstance(sub, ast.Constant) and isinstance(sub.value, str):
            found.update(_IDENT.findall(sub.value))
        for name in sub._fields:
            child = getattr(sub, name, None)
            inner = quoted or (name == "annotation" and isinstance(sub, ast.AnnAssign))
            if isinstance(child, ast.AST):
                todo.append((child, inner))
            elif isinstance(child, list):
                todo.extend((c, inner) for c in child if isinstance(c, ast.AST))
    return (found & classes) - {_name(node)}


def _is_alias(node: ast.stmt) -> bool:
    return (
        isinstance(node, ast.Assign)
        and len(node.targets) == 1
        and isinstance(node.targets[0], ast.Name)
        and isinstance(node.value, ast.Call)
        and isinstance(node.value.func, ast.Name)
        and node.value.func.id == "TypeAliasType"
    )


def _bound_depth(components: list[list[str]], edges: Mapping[str, set[str]]) -> list[list[str]]:
    """Merge components deeper than :data:`MAX_IMPORT_DEPTH` into one (module notes)."""
    where: dict[str, int] = {}
    depth: list[int] = []
    for index, members in enumerate(components):  # dependencies come first
        deps = {where[d] for m in members for d in edges[m] if d in where}
        depth.append(1 + max((depth[d] for d in deps), default=0))
        for name in members:
            where[name] = index
    if max(depth, default=0) <= MAX_IMPORT_DEPTH:
        return components
    shallow = [c for c, d in zip(components, depth, strict=True) if d < MAX_IMPORT_DEPTH]
    deep = [
        name for c, d in zip(components, depth, strict=True) if d >= MAX_IMPORT_DEPTH for name in c
    ]
    return [*shallow, deep]


def _components(order: list[str], edges: Mapping[str, set[str]]) -> list[list[str]]:
    """Tarjan's strongly connected components, dependencies before dependants."""
    position = {name: i for i, name in enumerate(order)}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []
    for start in order:
        if start in index:
            continue
        # Iterative DFS: a deep reference chain must not hit the recursion limit.
        work: list[tuple[str, list[str]]] = [(start, sorted(edges[start]))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, todo = work[-1]
            if todo:
                nxt = todo.pop()
                if nxt not in index:
                    index[nxt] = low[nxt] = len(index)
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, sorted(edges[nxt])))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                members = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    members.append(member)
                    if member == node:
                        break
                out.append(sorted(members, key=position.__getitem__))
    return out


_MAX_MODULE = 150  # characters of a module file name: the file system allows 255 bytes,
# and its cached bytecode adds ".cpython-3XX.pyc"


def _module_name(first: str, taken: set[str]) -> str:
    base = snake_case(first)[:_MAX_MODULE].rstrip("_") or "model"
    if keyword.iskeyword(base) or base.startswith("_"):
        base += "_"
    name, n = base, 2
    while name in taken:
        name, n = f"{base}_{n}", n + 1
    taken.add(name)
    return name


def _deeper(node: ast.stmt) -> str:
    """An import statement of the original module, as seen one package level down."""
    if isinstance(node, ast.ImportFrom) and node.level:
        node = ast.ImportFrom(module=node.module, names=node.names, level=node.level + 1)
    return ast.unparse(node)


def _is_member(stmt: ast.stmt) -> bool:
    return (
        isinstance(stmt, ast.Assign)
        and len(stmt.targets) == 1
        and isinstance(stmt.targets[0], ast.Name)
        and isinstance(stmt.value, ast.Constant)
    )


def _class_text(
    node: Definition, lines: list[str], members: Sequence[tuple[str, object]] | None
) -> str:
    """The source lines of ``node``; an enum's member run rewritten from ``members``."""
    decorators = node.decorator_list if isinstance(node, ast.ClassDef) else []
    first = min([node.lineno, *(d.lineno for d in decorators)])
    assert node.end_lineno is not None
    text = lines[first - 1 : node.end_lineno]
    body = node.body if isinstance(node, ast.ClassDef) else []
    runs = [i for i, stmt in enumerate(body) if _is_member(stmt)]
    contiguous = bool(runs) and runs == list(range(runs[0], runs[-1] + 1))
    if members is None or not contiguous or len(members) <= len(runs):
        return "\n".join(text)  # the source has every member already
    start, end = body[runs[0]], body[runs[-1]]
    assert end.end_lineno is not None
    pad = " " * start.col_offset
    written = [f"{pad}{name} = {value!r}" for name, value in members]
    return "\n".join([*text[: start.lineno - first], *written, *text[end.end_lineno - first + 1 :]])


def split_models(
    source: str, header: str, enums: Mapping[str, Sequence[tuple[str, object]]] | None = None
) -> ModelParts:
    """Split ``source`` (one generated models module) into a lazily loading package.

    ``enums``: class name -> members (name, value) of the enums (module notes).
    """
    enums = enums or {}
    tree = parse_module(source)  # inspect's tree, when the text is unchanged
    imports: list[str] = []
    classes: dict[str, Definition] = {}
    for node in tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            imports.append(_deeper(node))
        elif isinstance(node, ast.ClassDef) or _is_alias(node):
            assert isinstance(node, (ast.ClassDef, ast.Assign))
            classes[_name(node)] = node
        else:
            raise ValueError(f"unexpected statement at line {node.lineno} of models source")
    names = set(classes)
    order = list(classes)
    edges = {name: _references(cls, names) for name, cls in classes.items()}
    lines = source.split("\n")

    files: dict[str, str] = {}
    module_of: dict[str, str] = {}
    taken: set[str] = set()
    components = _bound_depth(_components(order, edges), edges)
    for members in components:
        module = _module_name(members[0], taken)
        for name in members:
            module_of[name] = module
    for members in components:
        module = module_of[members[0]]
        deps = sorted({d for m in members for d in edges[m]} - set(members))
        body = [
            header,
            *imports,
            *(f"from .{module_of[d]} import {d}" for d in deps),
            "",
        ]
        for name in members:
            body += ["", _class_text(classes[name], lines, enums.get(name)), ""]
        files[f"{module}.py"] = "\n".join(body).rstrip() + "\n"
    files["__init__.py"] = _init(header, module_of)
    return ModelParts(files, module_of)


def _init(header: str, module_of: Mapping[str, str]) -> str:
    names = sorted(module_of)
    if not names:
        return f'{header}\n"""The API defines no models."""\n\n__all__: list[str] = []\n'
    out = [
        header,
        '"""Every model and enum of the API; each module loads on first use."""',
        "",
        "from __future__ import annotations",
        "",
        "import importlib",
        "from typing import TYPE_CHECKING, Any",
        "",
        "if TYPE_CHECKING:",
        *(f"    from .{module_of[n]} import {n} as {n}" for n in names),
        "",
        "__all__ = [",
        *(f"    {n!r}," for n in names),
        "]",
        "",
        "_MODULE_OF = {",
        *(f"    {n!r}: {module_of[n]!r}," for n in names),
        "}",
        "",
        "",
        "def __getattr__(name: str) -> Any:",
        "    module = _MODULE_OF.get(name)",
        "    if module is None:",
        '        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")',
        '    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)',
        "    globals()[name] = value",
        "    return value",
        "",
        "",
        "def __dir__() -> list[str]:",
        "    return sorted(set(globals()) | set(__all__))",
    ]
    return "\n".join(out) + "\n"
