"""Huge or deep specs compile without a quadratic step or a RecursionError, and the
packages import: a 100,000-value enum, a 2,000-long ``$ref`` chain, a 200-deep schema.

Generation runs as a subprocess under a generous hang guard (``HANG_GUARD``); no test
asserts a duration (the timings measured are in docs/untrusted-specs.md)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from codegen.diagnostics import SpecError
from codegen.ir.enums import ABRIDGE_OVER
from codegen.ir.naming import NameSet
from codegen.load.deep import run_deep
from codegen.load.loader import load_spec
from codegen.pipeline import compile_spec
from tests.codegen.hostile_support import (
    assert_one_line,
    get_returning,
    python,
    run_cli,
    write,
)


def generate(spec: Path, package: str) -> Path:
    """``python -m codegen generate --spec`` into ``spec``'s folder; the package folder."""
    done = run_cli(
        "generate",
        "--spec",
        str(spec),
        "--out",
        str(spec.parent),
        "--package",
        package,
        cwd=spec.parent,
    )
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    return spec.parent / package


def enum_spec(values: int, default: str | None = None, integer: bool = False) -> str:
    kind = "integer" if integer else "string"
    lines = "".join(f"        - {i if integer else f'v{i}'}\n" for i in range(values))
    prop = (
        f"        big: {{$ref: '#/components/schemas/Big', default: {default}}}\n"
        if default
        else ""
    )
    holder = f"    Holder:\n      type: object\n      properties:\n{prop}" if default else ""
    return (
        get_returning("#/components/schemas/Big")
        + f"components:\n  schemas:\n{holder}    Big:\n      type: {kind}\n      enum:\n{lines}"
    )


def chain_spec(length: int) -> str:
    links = "".join(
        f"    A{i}:\n      $ref: '#/components/schemas/A{i + 1}'\n" for i in range(length - 1)
    )
    end = (
        f"    A{length - 1}:\n      type: object\n      properties:\n        id: {{type: string}}\n"
    )
    return get_returning("#/components/schemas/A0") + "components:\n  schemas:\n" + links + end


def nested_spec(depth: int) -> str:
    schema = "{type: string}"
    for level in range(depth):
        schema = f"{{type: object, properties: {{p{level}: {schema}}}}}"
    return (
        get_returning("#/components/schemas/Deep")
        + f"components:\n  schemas:\n    Deep: {schema}\n"
    )


def test_100000_value_string_enum_compiles_and_imports(tmp_path: Path) -> None:
    spec = write(tmp_path / "openapi.yaml", enum_spec(100_000))
    generate(spec, "big_client")
    check = python(
        "from big_client import Big\n"
        "assert len(Big) == 100_000 and Big('v99999') is Big.V99999 and Big.V0.value == 'v0'\n"
        "assert list(Big)[12345].value == 'v12345'\n",
        tmp_path,
    )
    assert check.returncode == 0, check.stderr
    api = (tmp_path / "big_client" / "api.md").read_text()
    assert "`V99999`" in api or "V99999" in api


@pytest.mark.parametrize(
    ("integer", "last", "line"),
    [
        (False, "V{n}", 'V{n} = "v{n}"'),  # a string enum: our UPPER_SNAKE names
        (True, "integer_{n}", "integer_{n} = {n}"),  # an integer enum: named like dmcg
    ],
)
def test_abridged_enum_keeps_a_default_member_and_every_value(
    tmp_path: Path, integer: bool, last: str, line: str
) -> None:
    values = ABRIDGE_OVER + 100
    n = values - 1
    default = str(n) if integer else f"v{n}"
    spec = write(tmp_path / "openapi.yaml", enum_spec(values, default=default, integer=integer))
    compiled = compile_spec(spec, package="e_client")
    big = compiled.files["models/big.py"]
    assert line.format(n=n) in big.replace("'", '"')
    assert sum(" = " in row for row in big.splitlines()) == values
    assert f"= Big.{last.format(n=n)}" in compiled.files["models/holder.py"]


def test_2000_long_ref_chain_compiles_without_recursion_error(tmp_path: Path) -> None:
    spec = write(tmp_path / "openapi.yaml", chain_spec(2000))
    loaded = load_spec(spec)
    schemas = loaded.document["components"]["schemas"]
    assert schemas["A0"] == {"$ref": "#/components/schemas/A1999"}  # aliases collapsed
    assert schemas["A1000"] == {"$ref": "#/components/schemas/A1999"}
    generate(spec, "chain_client")
    check = python(
        "from chain_client import A0, A1999, TClient\n"
        "a = A0.model_validate({'id': 'x'})\n"
        "assert isinstance(a.root, A1999) and a.root.id == 'x'\n",
        tmp_path,
    )
    assert check.returncode == 0, check.stderr


def test_200_deep_nested_schema_compiles_and_imports(tmp_path: Path) -> None:
    spec = write(tmp_path / "openapi.yaml", nested_spec(200))
    generate(spec, "deep_client")
    modules = list((tmp_path / "deep_client" / "models").glob("*.py"))
    assert len(modules) <= 53  # past 50 modules of depth, the deeper classes share one
    check = python(
        "import sys\n"
        "from deep_client import Deep\n"  # imports under the default recursion limit
        "assert sys.getrecursionlimit() == 1000 and 'p199' in Deep.model_fields\n"
        "sys.setrecursionlimit(10000)\n"  # pydantic builds the 200 nested schemas at once
        "d = v = {}\n"
        "for i in range(199, 0, -1):\n"
        "    v[f'p{i}'] = {}\n"
        "    v = v[f'p{i}']\n"
        "v['p0'] = 'leaf'\n"
        "assert Deep.model_validate(d).model_dump(exclude_none=True) == d\n",
        tmp_path,
    )
    assert check.returncode == 0, check.stderr


def test_schema_nested_past_1000_levels_is_refused_with_pointer(tmp_path: Path) -> None:
    body = '{"openapi": "3.0.3", "info": {"title": "T\\/", "version": "1"}, "paths": {},'
    schema = '{"type": "string"}'
    for level in range(600):  # 2 levels each: properties, then the property
        schema = f'{{"type": "object", "properties": {{"p{level}": {schema}}}}}'
    spec = write(
        tmp_path / "openapi.json", f'{body} "components": {{"schemas": {{"D": {schema}}}}}}}'
    )
    with pytest.raises(SpecError) as caught:
        compile_spec(spec, package="d_client")
    text = assert_one_line(caught.value, file=spec)
    assert "nested more than 1,000 levels deep" in text
    assert caught.value.pointer.startswith("/components/schemas/D/properties/p599/properties/p598")


def test_ref_chain_through_schemas_with_other_keys_is_limited(tmp_path: Path) -> None:
    def spec_of(length: int) -> str:
        links = "".join(
            f"    A{i}:\n      $ref: '#/components/schemas/A{i + 1}'\n      description: link {i}\n"
            for i in range(length - 1)
        )
        end = f"    A{length - 1}:\n      type: string\n"
        return (
            get_returning("#/components/schemas/A0", "3.1.0")
            + "components:\n  schemas:\n"
            + links
            + end
        )

    assert load_spec(write(tmp_path / "ok.yaml", spec_of(100)))
    spec = write(tmp_path / "openapi.yaml", spec_of(102))
    with pytest.raises(SpecError) as caught:
        load_spec(spec)
    text = assert_one_line(caught.value, file=spec)
    assert "$ref chain of more than 100 links" in text and caught.value.pointer.endswith("/$ref")


def test_circular_alias_chain_is_still_a_spec_error(tmp_path: Path) -> None:
    spec = write(
        tmp_path / "openapi.yaml",
        get_returning("#/components/schemas/A")
        + "components:\n  schemas:\n    A: {$ref: '#/components/schemas/B'}\n"
        + "    B: {$ref: '#/components/schemas/C'}\n    C: {$ref: '#/components/schemas/A'}\n",
    )
    with pytest.raises(SpecError) as caught:
        load_spec(spec)
    assert "circular $ref chain" in assert_one_line(caught.value, file=spec)


def test_deep_runner_allows_deep_recursion_and_reports_runaway_recursion() -> None:
    def depth(n: int) -> int:
        return 0 if n == 0 else 1 + depth(n - 1)

    def forever(n: int) -> int:
        return forever(n + 1)

    limit = sys.getrecursionlimit()
    assert run_deep(lambda: depth(20_000)) == 20_000  # 20x the default limit
    with pytest.raises(RecursionError):
        run_deep(lambda: forever(0))
    assert sys.getrecursionlimit() == limit  # restored
    assert run_deep(lambda: run_deep(lambda: 7)) == 7  # nested: runs inline


def test_name_allocation_under_collisions_gives_every_value_its_own_name() -> None:
    names = NameSet({"A"})
    taken = [names.take(n) for n in ["A", "A", "B", "A", "A_3", "A"]]
    assert taken == ["A_2", "A_3", "B", "A_4", "A_3_2", "A_5"]
    many = [names.take("X") for _ in range(20_000)]
    assert len(set(many)) == 20_000 and many[-1] == "X_20000"
