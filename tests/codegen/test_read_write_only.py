"""readOnly and writeOnly properties (issue 10): a request never asks for what only the
server sends, a response never requires what only the client sends
(``tests/specs/visibility``, ``codegen/ir/visibility.py``).

``Pet`` and ``Owner`` are used both ways: requests take the twins ``PetRequest`` and
``OwnerRequest`` (no ``id``, no ``created_at``), responses parse into ``Pet`` (``secret``
optional). ``NewTag`` is only sent, so it simply has no ``id``. Checked against a real
server that refuses a body carrying a readOnly property and never returns a writeOnly
one, and with ``mypy --strict`` (pydantic's plugin: model constructors typed) over a
user's file.
"""

from __future__ import annotations

import inspect
import json
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
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

import clientcore
from tests.support.compiled import compiled_package
from tests.support.server import serve

SPEC = Path(__file__).resolve().parents[1] / "specs" / "visibility" / "openapi.yaml"
READ_ONLY = {"id", "created_at", "last4"}
WRITE_ONLY = {"secret", "password", "number"}


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    folder = tmp_path_factory.mktemp("visibility")
    with compiled_package(SPEC, "visibility_client", folder) as p:
        yield p


class Store:
    """The server: refuses readOnly properties in a request, never sends writeOnly ones."""

    def __init__(self) -> None:
        self.received: list[tuple[str, Any]] = []

    def app(self) -> Starlette:
        routes = [
            Route("/pets", self.pet, methods=["POST"]),
            Route("/pets/{pet_id}", self.pet, methods=["PUT"]),
            Route("/tags", self.tag, methods=["POST"]),
            Route("/animals", self.animal, methods=["POST"]),
            Route("/logins", self.login, methods=["POST"]),
            Route("/orders", self.order, methods=["POST"]),
            Route("/payments", self.payment, methods=["POST"]),
            Route("/notes", self.note, methods=["POST"]),
        ]
        return Starlette(routes=routes)

    async def body(self, request: Request) -> Any:
        body = json.loads(await request.body())
        self.received.append((request.url.path, body))
        return body

    @staticmethod
    def refused(body: Any) -> Response | None:
        found = sorted(_keys(body) & READ_ONLY)
        if found:
            return JSONResponse({"error": f"read-only properties sent: {found}"}, 422)
        return None

    @staticmethod
    def stored_pet(body: dict[str, Any], number: int) -> dict[str, Any]:
        pet = {k: v for k, v in body.items() if k not in WRITE_ONLY}
        pet.update(id=f"p{number}", created_at="2026-01-02T03:04:05Z")
        if "owner" in pet:
            pet["owner"] = {**pet["owner"], "id": 7}
        return pet

    async def pet(self, request: Request) -> Response:
        body = await self.body(request)
        status = 201 if request.method == "POST" else 200
        return self.refused(body) or JSONResponse(self.stored_pet(body, 1), status)

    async def tag(self, request: Request) -> Response:
        return self.refused(await self.body(request)) or Response(status_code=204)

    async def animal(self, request: Request) -> Response:
        body = await self.body(request)
        return self.refused(body) or JSONResponse({**body, "id": "a1"}, 201)

    async def login(self, request: Request) -> Response:
        body = await self.body(request)
        return self.refused(body) or JSONResponse({"user": body["user"]})

    async def order(self, request: Request) -> Response:
        body = await self.body(request)
        pets = [self.stored_pet(p, i) for i, p in enumerate(body["pets"])]
        return self.refused(body) or JSONResponse({"id": "o1", "pets": pets}, 201)

    async def payment(self, request: Request) -> Response:
        body = await self.body(request)
        paid = {k: v for k, v in body.items() if k not in WRITE_ONLY} | {"id": "pay1"}
        if "number" in body:
            paid["last4"] = body["number"][-4:]
        return self.refused(body) or JSONResponse(paid, 201)

    async def note(self, request: Request) -> Response:
        form = dict((await request.form()).items())
        self.received.append((request.url.path, form))
        return self.refused(form) or Response(status_code=204)


def _keys(node: Any) -> set[str]:
    if isinstance(node, dict):
        return set(node) | {k for v in node.values() for k in _keys(v)}
    if isinstance(node, list):
        return {k for v in node for k in _keys(v)}
    return set()


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[Store, str]]:
    store = Store()
    with serve(store.app()) as url:
        yield store, url


def test_the_server_refuses_read_only_properties(server: tuple[Store, str], pkg: Any) -> None:
    """The check the tests below rely on can fail: a body with an id is refused."""
    _, url = server
    with pkg.Visibility(base_url=url) as client, pytest.raises(clientcore.APIStatusError) as caught:
        client.create_pet(name="Rex", secret="s", id="p9")  # **extra still sends anything
    assert caught.value.status_code == 422
    assert caught.value.body == {"error": "read-only properties sent: ['id']"}


def test_methods_do_not_ask_for_read_only_properties(pkg: Any) -> None:
    create = inspect.signature(pkg.Visibility.create_pet).parameters
    assert not READ_ONLY & set(create)
    assert {"name", "secret"} <= {n for n, p in create.items() if p.default is p.empty}
    assert "OwnerRequest" in str(create["owner"].annotation)
    replace = inspect.signature(pkg.Visibility.replace_pet).parameters
    assert str(replace["pet"].annotation).startswith("PetRequest |")
    order = inspect.signature(pkg.AsyncVisibility.create_order).parameters
    assert "Sequence[PetRequest |" in str(order["pets"].annotation)
    assert set(inspect.signature(pkg.Visibility.create_note).parameters) >= {"text"}
    assert "id" not in inspect.signature(pkg.Visibility.create_note).parameters  # a form
    for method, twin in (("create_animal", "AnimalRequest"), ("login", "LoginRequest")):
        params = inspect.signature(getattr(pkg.Visibility, method)).parameters
        assert any(str(p.annotation).startswith(twin + " |") for p in params.values())


def _required(model: Any) -> set[str]:
    return {n for n, f in model.model_fields.items() if f.is_required()}


def test_request_and_response_shapes(pkg: Any) -> None:
    assert set(pkg.PetRequest.model_fields) == {"name", "secret", "owner"}
    assert "``Pet`` as requests send it" in (pkg.PetRequest.__doc__ or "")
    assert _required(pkg.PetRequest) == {"name", "secret"}
    assert _required(pkg.Pet) == {"id", "name", "created_at"}  # secret: optional
    assert "secret" in pkg.Pet.model_fields
    assert set(pkg.OwnerRequest.model_fields) == {"name"} and _required(pkg.Owner) == {"id", "name"}
    assert set(pkg.NewTag.model_fields) == {"label"} and not hasattr(pkg, "NewTagRequest")
    assert _required(pkg.AnimalRequest) == {"sound"} and _required(pkg.Animal) == {"id", "sound"}
    assert _required(pkg.LoginRequest) == {"user", "password"} and _required(pkg.Login) == {"user"}
    assert set(pkg.CreateOrderRequest.model_fields) == {"pets"}
    # an object with a oneOf: one class per member, each with a request twin
    assert _required(pkg.PaymentCard) == {"id", "amount", "last4"}  # number: writeOnly
    assert _required(pkg.PaymentRequestCard) == {"amount", "number"}
    assert set(pkg.PaymentRequestCard.model_fields) == {"amount", "number"}
    assert _required(pkg.PaymentRequestBank) == {"amount", "iban"}


def test_an_object_with_a_oneof_both_ways(server: tuple[Store, str], pkg: Any) -> None:
    _, url = server
    params = inspect.signature(pkg.Visibility.create_payment).parameters
    assert str(params["payment"].annotation).startswith("PaymentRequestCard | ")
    with pkg.Visibility(base_url=url) as client:
        card = client.create_payment(payment=pkg.PaymentRequestCard(amount=5, number="4242"))
        bank = client.create_payment(payment={"amount": 7, "iban": "DE00"})
    assert isinstance(card, pkg.PaymentCard) and (card.id, card.last4) == ("pay1", "4242")
    assert card.number is None
    assert isinstance(bank, pkg.PaymentBank) and bank.iban == "DE00"


def test_requests_and_responses_against_a_server(server: tuple[Store, str], pkg: Any) -> None:
    store, url = server
    store.received.clear()
    with pkg.Visibility(base_url=url) as client:
        pet = client.create_pet(name="Rex", secret="s3", owner={"name": "Ann"})
        assert isinstance(pet, pkg.Pet) and pet.id == "p1" and pet.secret is None
        assert pet.owner is not None and pet.owner.id == 7
        again = pkg.PetRequest(name="Rex", secret="s4", owner=pkg.OwnerRequest(name="Bo"))
        assert client.replace_pet("p1", pet=again).owner.name == "Bo"
        client.create_tag(tag=pkg.NewTag(label="good"))
        assert client.create_animal(animal=pkg.AnimalRequest(sound="woof")).id == "a1"
        login = client.login(login=pkg.LoginRequest(user="ann", password="pw"))
        assert isinstance(login, pkg.Login) and login.password is None
        order = client.create_order(pets=[again, {"name": "Mo", "secret": "x"}])
        assert [p.id for p in order.pets] == ["p0", "p1"]
        client.create_note(text="hi")
    assert store.received == [
        ("/pets", {"name": "Rex", "secret": "s3", "owner": {"name": "Ann"}}),
        ("/pets/p1", {"name": "Rex", "secret": "s4", "owner": {"name": "Bo"}}),
        ("/tags", {"label": "good"}),
        ("/animals", {"sound": "woof"}),
        ("/logins", {"user": "ann", "password": "pw"}),
        ("/orders", {"pets": [store.received[1][1], {"name": "Mo", "secret": "x"}]}),
        ("/notes", {"text": "hi"}),
    ]


async def test_async_twin(server: tuple[Store, str], pkg: Any) -> None:
    _, url = server
    async with pkg.AsyncVisibility(base_url=url) as client:
        pet = await client.create_pet(name="Rex", secret="s", owner=pkg.OwnerRequest(name="A"))
    assert pet.id == "p1" and pet.owner.name == "A"


USAGE = """\
from visibility_client import OwnerRequest, Pet, PetRequest, Visibility

client = Visibility(base_url="http://127.0.0.1:1")
sent = PetRequest(name="Rex", secret="s", owner=OwnerRequest(name="Ann"))
got: Pet = client.replace_pet("p1", pet=sent)
fresh: Pet = client.create_pet(name="Rex", secret="s", owner={"name": "Ann"})
got_id: str = got.id
maybe_secret: str | None = got.secret
Pet(name="Rex", secret="s")  # E: a response shape needs the server's id
PetRequest(name="Rex")  # E: a request shape needs the secret
client.replace_pet("p1", pet=got)  # E: a response is not a request
"""


def test_mypy_strict_over_the_package_and_a_users_code(pkg: Any) -> None:
    folder = Path(str(pkg.__file__)).parent.parent
    (folder / "usage.py").write_text(USAGE)
    (folder / "mypy.ini").write_text("[mypy]\nstrict = True\nplugins = pydantic.mypy\n")
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--no-incremental", pkg.__name__, "usage.py"],
        cwd=folder,
        env={"MYPYPATH": f"{folder}:{root}", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )
    errors = [line for line in done.stdout.splitlines() if ": error:" in line]
    expected = {i for i, line in enumerate(USAGE.splitlines(), 1) if "# E:" in line}
    flagged = {int(line.split(":")[1]) for line in errors if line.startswith("usage.py:")}
    assert flagged == expected, textwrap.indent(done.stdout + done.stderr, "  ")
    assert all(line.startswith("usage.py:") for line in errors), done.stdout
