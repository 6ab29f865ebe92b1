"""What the ``test_loader_*`` modules share: the spec folders (``bad_specs``, ``good_multifile``,
the optional shared corpus), a minimal OpenAPI header, and helpers that load a spec
expecting no validation errors, write spec files, and check that a bundled document has
only local refs that resolve."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from codegen.diagnostics import split_pointer
from codegen.load.loader import LoadedSpec, load_spec
from codegen.spec.validate import validate

HERE = Path(__file__).parent
BAD = HERE / "bad_specs"
GOOD = HERE / "good_multifile"
CORPUS = Path(__file__).parents[2].parent / "shared" / "specs-corpus"

HEADER = 'openapi: 3.0.3\ninfo:\n  title: T\n  version: "1"\n'


def load_valid(path: Path) -> LoadedSpec:
    spec = load_spec(path)
    assert validate(spec) == []
    return spec


def refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield value
            elif key not in ("example", "examples", "default", "enum"):
                yield from refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from refs(item)


def resolve(document: dict[str, Any], ref: str) -> Any:
    node: Any = document
    for seg in split_pointer(ref):
        node = node[int(seg)] if isinstance(node, list) else node[seg]
    return node


def assert_bundled(spec: LoadedSpec) -> None:
    """Every ref is local and points at something."""
    for ref in refs(spec.document):
        assert ref.startswith("#/"), ref
        resolve(spec.document, ref)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path
