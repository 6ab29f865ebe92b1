"""Enums as real specs write them (``tests/specs/enums``): a class name long enough that
datamodel-code-generator splits its bases over lines (the rewrite to ``OpenEnum`` once
produced invalid code there), and values that sanitise to the same member name (empty,
blank, ``a b`` / ``a-b`` / ``A_B``, digits, keywords): every value gets its own member,
and the enum stays open."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

import clientcore
from tests.support.compiled import compiled_package, mypy_strict

SPEC = Path(__file__).resolve().parents[1] / "specs" / "enums" / "openapi.yaml"
NAME = "AVeryLongEnumerationNameThatGoesOnAndOnForeverBecauseVendorsLikeLongNamesInTheirSpecsEnum"


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    with compiled_package(SPEC, "enums_test_client", tmp_path_factory.mktemp("enums")) as p:
        yield p


def test_a_long_enum_name_becomes_an_open_enum(pkg: ModuleType) -> None:
    enum = getattr(pkg, NAME)
    assert issubclass(enum, clientcore.OpenEnum)
    assert enum("a value the spec never listed").value == "a value the spec never listed"


def test_values_that_sanitise_alike_each_get_a_member(pkg: ModuleType) -> None:
    enum = getattr(pkg, NAME)
    values = ["", " ", "a b", "a-b", "A_B", "a_b", "1", "_1", "None", "class"]
    assert [m.value for m in enum] == values
    names = [m.name for m in enum]
    assert len(set(names)) == len(names) and all(n.isidentifier() for n in names)


def test_the_package_type_checks(pkg: ModuleType) -> None:
    done = mypy_strict(pkg)
    assert done.returncode == 0, done.stdout + done.stderr
