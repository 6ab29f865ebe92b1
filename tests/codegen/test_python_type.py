"""``x-python-type``: a schema whose values are a hand-written Python type.

``tests/specs/pytype`` types ``Money`` (``"1.50 EUR"`` on the wire) as ``money.Money`` of
its ``python/``: the compiled package annotates models, method signatures, the params
dict, a call's result, a page's items and a link's arguments with it, round-trips it against a real server on 127.0.0.1
(sync and async), ``mypy --strict`` sees the type (``assert_type``) and rejects a
value of another type, and a reference that names nothing is a located ``SpecError``.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from codegen.diagnostics import SpecError
from codegen.ir.types import (
    NONE,
    STR,
    class_ref,
    custom_type,
    list_of,
    referenced_classes,
    referenced_modules,
    union,
)
from codegen.pipeline import compile_spec
from tests.support.compiled import compiled_package
from tests.support.server import serve

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "tests" / "specs" / "pytype" / "openapi.yaml"
PACKAGE = "pytype_test_client"


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    with compiled_package(SPEC, PACKAGE, tmp_path_factory.mktemp("pytype")) as p:
        yield p


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[str, list[Any]]]:
    received: list[Any] = []

    async def set_price(request: Request) -> JSONResponse:
        body = json.loads(await request.body())
        received.append(body)
        return JSONResponse({**body, "discounted": None})

    async def amount(request: Request) -> JSONResponse:
        return JSONResponse(f"2.25 {request.path_params['item'].upper()}")

    async def amounts(request: Request) -> JSONResponse:
        return JSONResponse({"amounts": ["1 EUR", "2.5 USD"]})

    app = Starlette(
        routes=[
            Route("/prices", set_price, methods=["POST"]),
            Route("/prices/{item}/amount", amount),
            Route("/amounts", amounts),
        ]
    )
    with serve(app) as url:
        yield url, received


def _source(pkg: ModuleType, name: str) -> str:
    return (Path(str(pkg.__file__)).parent / name).read_text()


def test_models_and_signatures_name_the_hand_written_type(pkg: Any) -> None:
    money = pkg._custom.money.Money
    assert pkg.Money is money  # x-python-custom exports it too
    fields = pkg.models.Price.model_fields
    assert fields["amount"].annotation is money
    assert fields["alternatives"].annotation == list[money] | None
    assert fields["discounted"].annotation == money | None
    assert "Money" not in pkg.models.__all__  # the schema makes no class of its own
    assert "from .._custom.money import Money" in _source(pkg, "models/price.py")
    client = _source(pkg, "_client.py")
    assert "from ._custom import money as _custom_money" in client
    assert "        amount: _custom_money.Money\n" in client  # the params dict
    assert "alternatives: Sequence[_custom_money.Money] | None = None," in client
    assert ") -> _custom_money.Money:" in client


def test_values_round_trip_through_a_server(pkg: Any, server: tuple[str, list[Any]]) -> None:
    url, received = server
    received.clear()
    money = pkg.Money
    with pkg.Prices(base_url=url) as client:
        price = client.set_price(
            item="tea", amount=money("1.50", "EUR"), alternatives=[money("1.60", "USD")]
        )
        from_dict = client.set_price({"item": "tea", "amount": money("1.55", "EUR")})
        amount = client.get_amount("tea")
        page = client.list_amounts()
        repriced = price.reprice(amount=money("1.70", "EUR"))  # x-links, a Money argument
    assert received == [
        {"item": "tea", "amount": "1.50 EUR", "alternatives": ["1.60 USD"]},
        {"item": "tea", "amount": "1.55 EUR"},
        {"item": "tea", "amount": "1.70 EUR"},
    ]
    assert list(page) == [money("1", "EUR"), money("2.5", "USD")]
    assert all(type(m) is money for m in page)
    assert repriced.amount == money("1.70", "EUR")
    assert type(price.amount) is money and price.amount == money("1.50", "EUR")
    assert price.alternatives == [money("1.60", "USD")] and price.discounted is None
    assert from_dict.amount == money("1.55", "EUR")
    assert type(amount) is money and amount == money("2.25", "TEA")

    async def run() -> Any:
        async with pkg.AsyncPrices(base_url=url) as aclient:
            price = await aclient.set_price(item="tea", amount=money("3", "GBP"))
            return price, await aclient.get_amount("tea")

    aprice, aamount = asyncio.run(run())
    assert aprice.amount == money("3", "GBP") and aamount == money("2.25", "TEA")
    assert received[-1] == {"item": "tea", "amount": "3 GBP"}
    # a model keeps the object; its JSON dump (the JSON codec's) is the wire's text
    assert pkg.models.Price(item="x", amount=amount).amount is amount
    assert pkg.models.Price(item="x", amount=amount).model_dump(mode="json")["amount"] == (
        "2.25 TEA"
    )


USER = """\
    from typing import assert_type

    from {pkg} import Money, Prices
    from {pkg}.models import Price


    def main(client: Prices) -> None:
        price = client.set_price(item="tea", amount=Money("1.50", "EUR"))
        assert_type(price, Price)
        assert_type(price.amount, Money)
        assert_type(price.alternatives, list[Money] | None)
        assert_type(client.get_amount("tea"), Money)
        assert_type(client.list_amounts()[0], Money)
        assert_type(price.reprice(amount=Money("2", "EUR")).amount, Money)
        client.set_price({{"item": "tea", "amount": Money("1", "EUR"), "alternatives": []}})
"""

WRONG = """\
    from {pkg} import Money, Prices


    def main(client: Prices) -> None:
        client.set_price(item="tea", amount="1.50 EUR")
        client.set_price({{"item": "tea", "amount": 1.5}})
        text: str = client.get_amount("tea")
        client.set_price(item="tea", amount=Money("1", "EUR")).reprice(amount="2 EUR")
"""


def test_mypy_sees_the_type_and_rejects_another(pkg: Any) -> None:
    folder = Path(str(pkg.__file__)).parent.parent
    (folder / "user_ok.py").write_text(textwrap.dedent(USER.format(pkg=PACKAGE)))
    (folder / "user_wrong.py").write_text(textwrap.dedent(WRONG.format(pkg=PACKAGE)))
    run = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental"]
        + ["user_ok.py", "user_wrong.py"],
        cwd=folder,
        env={**os.environ, "MYPYPATH": f"{folder}:{ROOT}"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 1, run.stdout + run.stderr  # errors found (not a usage error)
    errors = [line for line in run.stdout.splitlines() if ": error:" in line]
    assert not [e for e in errors if not e.startswith("user_wrong.py")], run.stdout
    lines = {int(e.split(":")[1]): e for e in errors}
    assert sorted(lines) == [5, 6, 7, 8], run.stdout
    # amount= a str (user_ok passes a Money): neither overload takes it; nor the dict's
    assert "call-overload" in lines[5] and 'types "str", "str"' in lines[5], run.stdout
    assert "call-overload" in lines[6], run.stdout
    assert '"Money"' in lines[7] and "[assignment]" in lines[7], run.stdout
    assert '"Money"' in lines[8] and "[arg-type]" in lines[8], run.stdout  # a link's argument


def test_a_hand_written_type_is_a_structured_type_ref() -> None:
    money = custom_type("money.Money")
    optional = union([list_of(money), NONE])
    assert money.text == money.runtime == "_custom_money.Money"
    assert optional.text == "list[_custom_money.Money] | None"
    assert money.classes == () and optional.custom_modules == ("money",)
    tensor = custom_type("tensor.DecthingsTensor")
    both = [optional, None, union([tensor, class_ref("Price")]), STR]
    assert referenced_modules(both) == ("money", "tensor")
    assert referenced_classes(both) == ("Price",)


def _variant(tmp_path: Path, old: str, new: str) -> Path:
    target = tmp_path / "pytype"
    shutil.copytree(SPEC.parent, target)
    spec = target / "openapi.yaml"
    text = spec.read_text()
    assert old in text
    spec.write_text(text.replace(old, new, 1))
    return spec


@pytest.mark.parametrize(
    ("old", "new", "message", "pointer"),
    [
        (
            "x-python-type: money.Money",
            "x-python-type: money.Mony",
            "money.Mony: python/money.py defines no top-level 'Mony'",
            "/components/schemas/Money/x-python-type",
        ),
        (
            "x-python-type: money.Money",
            "x-python-type: coins.Money",
            "coins.Money: no python/coins.py beside the spec (have: money)",
            "/components/schemas/Money/x-python-type",
        ),
        (
            "x-python-type: money.Money",
            "x-python-type: Money",
            "x-python-type: must be module.Name of python/, not 'Money'",
            "/components/schemas/Money/x-python-type",
        ),
        (
            "x-python-type: money.Money",
            "x-python-typ: money.Money",
            "unknown extension 'x-python-typ'",
            "/components/schemas/Money/x-python-typ",
        ),
        (
            "      operationId: getAmount\n",
            "      operationId: getAmount\n      x-python-type: money.Money\n",
            "x-python-type does not belong on a operation object",
            "/paths/~1prices~1{item}~1amount/get/x-python-type",
        ),
        (
            "    Price:\n",
            "    Cash:\n      type: string\n      x-python-type: money.Price\n    Price:\n",
            "money.Price: python/money.py defines no top-level 'Price'",
            "/components/schemas/Cash/x-python-type",
        ),
    ],
    ids=["misspelt-name", "no-module", "not-dotted", "misspelt-key", "misplaced", "no-name"],
)
def test_a_bad_reference_is_a_located_spec_error(
    tmp_path: Path, old: str, new: str, message: str, pointer: str
) -> None:
    spec = _variant(tmp_path, old, new)
    with pytest.raises(SpecError) as info:
        compile_spec(spec, package="pytype_bad_client")  # not strict: same as strict
    assert message in str(info.value)
    assert info.value.file.name == "openapi.yaml" and info.value.line is not None
    assert info.value.pointer == pointer
    assert (
        spec.read_text()
        .splitlines()[info.value.line - 1]
        .strip()
        .startswith(pointer.rsplit("/", 1)[-1])
    )


def test_a_type_named_like_a_generated_model_is_refused(tmp_path: Path) -> None:
    spec = _variant(tmp_path, "x-python-type: money.Money", "x-python-type: money.Price")
    money = spec.parent / "python" / "money.py"
    money.write_text(money.read_text() + "\n\nPrice = Money\n")
    with pytest.raises(SpecError) as info:
        compile_spec(spec, package="pytype_bad_client")
    assert "money.Price: 'Price' is the name of a generated model" in str(info.value)
    assert info.value.pointer == "/components/schemas/Money/x-python-type"
