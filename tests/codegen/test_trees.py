"""codegen.ir.trees: one parse per text, never a tree of another text."""

from __future__ import annotations

import ast
from pathlib import Path

from codegen import pipeline
from codegen.ir import trees
from codegen.ir.trees import parse_module


def test_same_text_shares_the_tree() -> None:
    source = "class A:\n    x: int\n"
    first = parse_module(source)
    again = parse_module("".join(["class A:\n", "    x: int\n"]))  # equal, not identical
    assert again is first
    assert ast.dump(first) == ast.dump(ast.parse(source))


def test_another_text_gets_its_own_tree() -> None:
    first = parse_module("class A:\n    x: int\n")
    second = parse_module("class B:\n    y: str\n")
    assert second is not first
    assert [node.name for node in second.body if isinstance(node, ast.ClassDef)] == ["B"]
    assert parse_module("class A:\n    x: int\n") is not first  # one entry: replaced


def test_exports() -> None:
    assert trees.__all__ == ["forget", "parse_module"]


def test_a_compile_leaves_no_tree_behind() -> None:
    spec = Path(__file__).resolve().parents[2] / "specs" / "scale" / "openapi.yaml"
    pipeline.compile_spec(spec, package="scale_client")
    assert trees._last is None
