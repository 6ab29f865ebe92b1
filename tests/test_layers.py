"""The import boundaries between layers, read from the source (AST), not from a run.

* ``codegen`` is a pipeline of stages (``docs/architecture.md``); a module may import
  its own stage and earlier ones, never a later one.
* ``clientcore`` (the runtime) imports nothing of ``codegen`` and nothing but httpx,
  pydantic and the standard library.
* A generated package imports only itself, ``clientcore``, httpx, pydantic and the
  standard library (its hand-written ``_custom`` code included), plus what its spec
  declares for the hand-written code (``x-python-custom.dependencies``: Decthings'
  ``websockets``), which no other package may import.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# Stage order of the compiler: each may import itself and the ones before it.
STAGES = [
    "codegen.diagnostics",
    "codegen.load",
    "codegen.spec",
    "codegen.ir",
    "codegen.diff",
    "codegen.render",
    "codegen.pipeline",
    "codegen.project",
    "codegen.check",
    "codegen.cli",
]
ENTRY = {"codegen.__main__": "codegen.cli", "codegen": "codegen.diagnostics"}
RUNTIME_DEPS = {"httpx", "pydantic", "pydantic_core", "typing_extensions"}


def module_name(path: Path, base: Path = ROOT) -> str:
    parts = list(path.relative_to(base).parts)
    parts[-1] = parts[-1].removesuffix(".py")
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports(path: Path, package: str) -> Iterator[tuple[int, str]]:
    """``(line, absolute module)`` of every import in a file, relative ones resolved."""
    tree = ast.parse(path.read_text(), str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
                names = [f"{target}.{a.name}" for a in node.names] if not node.module else []
                yield from ((node.lineno, n) for n in names or [target])
            else:
                assert node.module is not None
                yield node.lineno, node.module


def package_of(path: Path, name: str) -> str:
    return name if path.name == "__init__.py" else name.rpartition(".")[0]


def stage_of(module: str) -> int | None:
    module = ENTRY.get(module, module)
    for index, stage in enumerate(STAGES):
        if module == stage or module.startswith(stage + "."):
            return index
    return None


def stdlib(module: str) -> bool:
    return module.split(".")[0] in sys.stdlib_module_names or module == "__future__"


def test_every_codegen_module_belongs_to_a_stage() -> None:
    for path in sorted((ROOT / "codegen").rglob("*.py")):
        assert stage_of(module_name(path)) is not None, f"{path}: not in any stage of STAGES"


def test_codegen_stages_import_only_earlier_stages() -> None:
    problems = []
    for path in sorted((ROOT / "codegen").rglob("*.py")):
        name = module_name(path)
        own = stage_of(name)
        assert own is not None
        for line, target in imports(path, package_of(path, name)):
            if target == "codegen" or not target.startswith("codegen."):
                continue
            stage = stage_of(target)
            if stage is None or stage > own:
                problems.append(f"{path.relative_to(ROOT)}:{line}: {name} imports {target}")
    assert not problems, "\n".join(problems)


def test_clientcore_imports_no_codegen_and_no_third_party_beyond_httpx_pydantic() -> None:
    problems = []
    for path in sorted((ROOT / "clientcore").rglob("*.py")):
        name = module_name(path)
        for line, target in imports(path, package_of(path, name)):
            top = target.split(".")[0]
            if top == "clientcore" or stdlib(target) or top in RUNTIME_DEPS:
                continue
            problems.append(f"{path.relative_to(ROOT)}:{line}: imports {target}")
    assert not problems, "\n".join(problems)


GENERATED = sorted(p.parent for p in (ROOT / "generated").glob("*/__init__.py"))


def declared_dependencies(package: Path) -> set[str]:
    """The import names of the spec's ``x-python-custom.dependencies`` (the spec named
    in the package's header line)."""
    import re

    import yaml

    header = (package / "__init__.py").read_text().splitlines()[0]
    spec = ROOT / re.search(r"from (\S+) \(", header).group(1)  # type: ignore[union-attr]
    custom = yaml.safe_load(spec.read_text()).get("x-python-custom") or {}
    names = (
        re.split(r"[\[<>=!~;, ]", req, maxsplit=1)[0] for req in custom.get("dependencies", ())
    )
    return {n.replace("-", "_").lower() for n in names}


@pytest.mark.parametrize("package", GENERATED, ids=lambda p: p.name)
def test_generated_packages_import_only_the_runtime(package: Path) -> None:
    problems = []
    allowed = RUNTIME_DEPS | declared_dependencies(package)
    for path in sorted(package.rglob("*.py")):
        name = module_name(path, package.parent)
        for line, target in imports(path, package_of(path, name)):
            top = target.split(".")[0]
            if top in (package.name, "clientcore") or stdlib(target) or top in allowed:
                continue
            problems.append(f"{path.relative_to(ROOT)}:{line}: imports {target}")
    assert not problems, "\n".join(problems)


def test_only_decthings_declares_websockets() -> None:
    declared = {package.name: declared_dependencies(package) for package in GENERATED}
    assert declared["decthings_client"] == {"websockets"}
    assert all(not names for name, names in declared.items() if name != "decthings_client")


def test_the_checker_sees_a_backward_import(tmp_path: Path) -> None:
    """The rule above can fail: a load module importing the IR is reported."""
    bad = tmp_path / "codegen" / "load" / "bad.py"
    bad.parent.mkdir(parents=True)
    bad.write_text("from codegen.ir.nodes import Api\nfrom . import kinds\n")
    found = list(imports(bad, "codegen.load"))
    assert found == [(1, "codegen.ir.nodes"), (2, "codegen.load.kinds")]
    assert stage_of("codegen.ir.nodes") > stage_of("codegen.load.bad")  # type: ignore[operator]
