"""``ir.Api`` -> the files of a generated package (text), then ruff-formatted.

Design notes
------------
* Input is the IR alone (``ir.nodes.Api``, the models' source included). Jinja2 with
  ``StrictUndefined``: a template that names something the IR lacks fails loudly.
  Templates only format: every question they ask is an IR field or property (types
  are ``TypeRef``\\ s: ``.text``, ``.runtime``). What is decided here is how the IR is
  cut into files: which resources share a module, and so which operation constants
  and model imports (``Method.classes``) each module has.
* Sync and async code come from the same macros (``_method.jinja``) with ``is_async``.
* Output is deterministic: IR order is document order, names are sorted where order
  is free, and ruff runs with a fixed, isolated configuration (:func:`format_tree`),
  so bytes only change when the spec or the compiler does.
"""

from __future__ import annotations

import keyword
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import jinja2

from codegen.ir.escapes import escape_nonprintable
from codegen.ir.nodes import Api, CustomModule, Method, OperationInfo, Param, Resource
from codegen.ir.types import referenced_modules
from codegen.render.modelsplit import split_models
from codegen.render.templatecache import attach_cache
from codegen.spec.values import thaw

__all__ = ["RUFF_ARGS", "format_tree", "render_package", "ruff_command"]

TEMPLATES = Path(__file__).parent / "templates"
RUFF_ARGS = (
    "--isolated",
    "--no-cache",
    "--line-length",
    "100",
    "--target-version",
    "py310",
    "--config",
    "lint.isort.known-first-party=['clientcore']",
    "--extend-exclude",
    "_custom",
)


def _wrap(line: str, width: int) -> list[str]:
    if len(line) <= width:
        return [line]
    lead = line[: len(line) - len(line.lstrip())]
    more = lead + ("    " if line.lstrip().split(":")[0].isidentifier() and lead else "")
    return textwrap.wrap(
        line,
        width,
        initial_indent="",
        subsequent_indent=more,
        break_long_words=False,
        break_on_hyphens=False,
    ) or [line]


def _docstring(text: str, indent: int) -> str:
    text = text.strip().replace("\\", "\\\\").replace('"""', '\\"\\"\\"') or "."
    text = escape_nonprintable(text)  # NUL, CR, U+2028...: the same text, as escapes
    width = max(40, 96 - indent)
    lines, fenced = [], False
    for line in text.splitlines():
        if line.lstrip().startswith("```"):
            fenced = not fenced
        lines += [line.rstrip()] if fenced else [p.rstrip() for p in _wrap(line.rstrip(), width)]
    if len(lines) == 1 and not lines[0].endswith('"'):
        return f'"""{lines[0]}"""'
    pad = " " * indent
    body = "\n".join(pad + line if line else "" for line in lines[1:])
    return f'"""{lines[0]}\n{body}\n{pad}"""' if body else f'"""{lines[0]}\n{pad}"""'


def _query_args(p: Param) -> str:
    args = []
    if not p.explode:
        args.append("explode=False")
    if p.bool_style != "lower":
        args.append(f"bool_style={p.bool_style!r}")
    return ", ".join(args)


def _pytuple(values: Any) -> str:
    items = ", ".join(repr(v) for v in values)
    return f"({items},)" if len(values) == 1 else f"({items})"


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.do"],
        autoescape=False,
    )
    env.filters.update(
        docstring=_docstring,
        query_args=_query_args,
        pytuple=_pytuple,
        pystr=lambda s: repr(str(s)),
        pyrepr=repr,
        pyjson=lambda value: repr(thaw(value)),
    )
    env.tests["pyident"] = lambda text: (
        str(text).isidentifier() and not keyword.iskeyword(str(text))
    )
    return attach_cache(env, TEMPLATES / "__pycache__")  # compiled once, kept


def _custom_modules(ops: list[OperationInfo], methods: list[Method]) -> list[str]:
    """Hand-written modules a module names: its operation constants' codecs, and the
    types (``x-python-type``) of its methods' signatures and results."""
    types = [t for m in methods for t in (m.returns, m.async_returns, m.cast_to)]
    types += [p.type for m in methods for p in m.params]
    codecs = {op.codec.module for op in ops if op.codec is not None}
    return sorted(codecs.union(referenced_modules(types)))


def _module_ops(resources: list[Resource]) -> list[OperationInfo]:
    """Operation constants a module needs: its methods' ops, recovery targets first."""
    ops: dict[str, OperationInfo] = {}
    for r in resources:
        for m in r.methods:
            ops.setdefault(m.operation.const_name, m.operation)
    targets = {}
    for op in ops.values():
        if op.recovery is not None and op.recovery.operation.const_name not in ops:
            targets[op.recovery.operation.const_name] = op.recovery.operation
    ordered = list(targets.values()) + [o for o in ops.values() if o.recovery is None]
    return ordered + [o for o in ops.values() if o.recovery is not None]


def _methods(resources: list[Resource]) -> list[Method]:
    return [m for r in resources for m in r.methods]


def _imports(*groups: tuple[str, ...]) -> list[str]:
    """The model classes a module imports: every class its pieces name, once."""
    return sorted({cls for group in groups for cls in group})


def _check_classes(api: Api, used: list[str]) -> None:
    """Every class a type names must exist: fail here, not with a NameError later."""
    known = {e.class_name for e in api.enums} | {m.class_name for m in api.models}
    for cls in used:
        if cls not in known:
            raise ValueError(
                f"a type names {cls!r}, which is not a generated class "
                "(compiler bug: please report)"
            )


def render_package(api: Api, header: str) -> dict[str, str]:
    """Relative path -> file text (unformatted Python; see :func:`format_tree`)."""
    env = _environment()
    files: dict[str, str] = {}

    def render(template: str, **context: Any) -> str:
        return env.get_template(template).render(api=api, header=header, **context)

    root = api.root
    linked = [m for m in api.models if m.links]
    paged = [m for m in api.models if m.page_items]
    link_names = _imports(*(link.classes for link in api.links))
    page_names = _imports(*(m.page_item.classes for m in paged))
    every_method = _methods(list(root.walk()))
    _check_classes(api, _imports(*(m.classes for m in every_method)) + link_names + page_names)
    root_ops = _module_ops([root])
    files["_client.py"] = render(
        "client.py.jinja",
        root=root,
        ops=root_ops,
        model_names=_imports(*(m.classes for m in root.methods)),
        custom_modules=_custom_modules(root_ops, list(root.methods)),
    )
    if root.children:
        files["resources/__init__.py"] = render("resources_init.py.jinja")
    for top in root.children:
        members = list(top.walk())
        ops = _module_ops(members)
        mixins = {
            ref.module
            for r in members
            for ref in (
                api.custom.mixins_of(r.python_path, False),
                api.custom.mixins_of(r.python_path, True),
            )
            if ref is not None
        }
        files[f"resources/{top.module}.py"] = render(
            "resource.py.jinja",
            top=top,
            ops=ops,
            model_names=_imports(*(m.classes for m in _methods(members))),
            custom_modules=sorted(set(_custom_modules(ops, _methods(members))) | mixins),
        )
    files["_exceptions.py"] = render("exceptions.py.jinja")
    transport_modules = sorted({ref.module for _, ref in api.transports})
    files["_config.py"] = render("config.py.jinja", custom_modules=transport_modules)
    if linked:
        link_types = [t for k in api.links for t in (k.target_return, k.target_async_return)]
        link_types += [p.type for k in api.links for p in k.forwarded]
        files["_links.py"] = render(
            "links.py.jinja",
            linked=linked,
            model_names=link_names,
            custom_modules=referenced_modules(link_types),
        )
    if paged:
        files["_pages.py"] = render(
            "pages.py.jinja",
            paged=paged,
            model_names=page_names,
            custom_modules=referenced_modules(m.page_item for m in paged),
        )
    enum_members = {e.class_name: e.members for e in api.enums}  # written where dmcg lacks some
    parts = split_models(api.models_source, header, enum_members)
    for name, text in parts.files.items():
        files[f"models/{name}"] = text
    exception_names = sorted(
        {c.name for c in api.errors.classes} | {a for a, _ in api.errors.aliases}
    )
    custom_exports = sorted((ref.name, f"._custom.{ref.module}") for ref in api.custom.exports)
    lazy = sorted([(name, ".models") for name in api.class_names] + custom_exports)
    all_names = sorted(
        {
            api.client_name,
            api.async_client_name,
            "NOT_GIVEN",
            "APIResponse",
            *exception_names,
            *(name for name, _ in lazy),
        }
    )
    files["__init__.py"] = render(
        "init.py.jinja",
        exception_names=exception_names,
        lazy=lazy,
        custom_exports=custom_exports,
        all_names=all_names,
    )
    if api.custom.modules:
        files["_custom/__init__.py"] = render("custom_init.py.jinja")
        for module in api.custom.modules:
            files[f"_custom/{module.module}.py"] = _custom_header(module) + module.text
    # api.md quotes spec text as is: characters that do not print become escapes there too
    files["api.md"] = escape_nonprintable(render("api.md.jinja", md_header=_md_header(header)))
    files["py.typed"] = ""
    return files


def _custom_header(module: CustomModule) -> str:
    return (
        f"# Copied by codegen from {module.source_label} (sha256 {module.sha256[:16]})."
        " Edit that file, not this one.\n"
    )


def _md_header(header: str) -> str:
    return "<!-- " + header.removeprefix("# ") + " -->"


def ruff_command() -> list[str]:
    """The ruff executable the ``ruff`` package ships (``python -m ruff`` would start an
    interpreter only to exec it: ~30 ms a call, two to four a package)."""
    try:
        from ruff import find_ruff_bin  # type: ignore[import-untyped]

        return [os.fsdecode(find_ruff_bin())]
    except (ImportError, FileNotFoundError):
        return [sys.executable, "-m", "ruff"]


def format_tree(root: Path) -> None:
    """ruff format + import sorting/pruning over every ``.py`` below ``root``."""
    ruff = ruff_command()
    check = [
        *ruff,
        "check",
        *RUFF_ARGS,
        "--fix",
        "--select",
        "I,F401",
        "--quiet",
        "--exit-zero",
        ".",
    ]
    # Hand-written code (``_custom/``) is copied as written: never reformatted or pruned.
    for cmd in (check, [*ruff, "format", *RUFF_ARGS, "."]):
        done = subprocess.run(cmd, cwd=root, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            step = " ".join(cmd[len(ruff) : len(ruff) + 2])
            raise RuntimeError(f"ruff failed ({step}): {done.stderr or done.stdout}")
