"""``x-python-client.params_dict`` on a small spec: which methods take a params dict, the
TypedDict forms (class syntax, functional syntax for keys that are not identifiers),
calls against a starlette echo on 127.0.0.1, ``mypy --strict`` over the package; and
an optional credential when the spec's security allows ``{}``."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from tests.support.compiled import compiled_package, mypy_strict
from tests.support.server import serve

SPEC = """\
openapi: 3.1.0
info: {title: Rpcs, version: "1"}
servers: [{url: "http://127.0.0.1:1"}]
security: [{Key: []}, {}]
x-python-client: {name: Rpcs, async_name: AsyncRpcs, params_dict: true}
x-retries: {max_retries: 0}
paths:
  /echo:
    post:
      operationId: echo
      x-python-resource: ""
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              additionalProperties: false
              required: [user-id, count]
              properties:
                user-id: {type: string}
                count: {type: integer}
                note: {type: string}
      responses:
        "200":
          description: The body back.
          content: {application/json: {schema: {type: object, additionalProperties: true}}}
  /things/put:
    post:
      operationId: putThing
      x-python-resource: things
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              additionalProperties: false
              required: [name]
              properties:
                name: {type: string}
      responses:
        "200":
          description: The body back.
          content: {application/json: {schema: {type: object, additionalProperties: true}}}
  /things/query:
    post:
      operationId: queryThing
      x-python-resource: things
      parameters:
        - {name: q, in: query, schema: {type: string}}
      requestBody:
        content:
          application/json:
            schema: {type: object, properties: {name: {type: string}}}
      responses:
        "200":
          description: The body back.
          content: {application/json: {schema: {type: object, additionalProperties: true}}}
components:
  securitySchemes:
    Key: {type: http, scheme: bearer}
"""


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    folder = tmp_path_factory.mktemp("rpcs")
    (folder / "spec").mkdir()
    (folder / "spec" / "openapi.yaml").write_text(SPEC)
    with compiled_package(
        folder / "spec" / "openapi.yaml", "rpcs_dict_client", folder / "out"
    ) as p:
        yield p


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    async def echo(request: Request) -> JSONResponse:
        body = json.loads(await request.body() or b"null")
        return JSONResponse({"body": body, "auth": request.headers.get("authorization")})

    app = Starlette(routes=[Route("/{path:path}", echo, methods=["POST"])])
    with serve(app) as base:
        yield base


def _source(pkg: ModuleType, module: str) -> str:
    return (Path(str(pkg.__file__)).parent / module).read_text()


def test_which_methods_take_a_dict_and_their_typed_dicts(pkg: ModuleType) -> None:
    client = _source(pkg, "_client.py")
    assert 'EchoParamsDict = TypedDict(\n        "EchoParamsDict",' in client  # "user-id"
    things = _source(pkg, "resources/things.py")
    assert "class PutThingParamsDict(TypedDict):\n        name: str" in things
    assert "QueryThingParamsDict" not in things  # a query parameter: keywords only


def test_dict_and_keyword_calls(pkg: ModuleType, url: str) -> None:
    with pkg.Rpcs(base_url=url) as client:
        assert client.echo({"user-id": "u", "count": 2}) == {
            "body": {"user-id": "u", "count": 2},
            "auth": None,
        }
        assert client.echo(user_id="u", count=3, note="n")["body"] == {
            "user-id": "u",
            "count": 3,
            "note": "n",
        }
        assert client.echo({"user-id": "u", "count": 1}, count=9)["body"] == {
            "user-id": "u",
            "count": 9,
        }
        assert client.things.put_thing({"name": "x"})["body"] == {"name": "x"}
        with pytest.raises(pkg.RpcsParameterError) as caught:
            client.echo({"user-id": "u"})
        assert caught.value.parameter == "count"
    with pkg.Rpcs("k", base_url=url) as client:
        assert client.things.put_thing(name="y")["auth"] == "Bearer k"


def test_async_dict_call(pkg: ModuleType, url: str) -> None:
    import asyncio

    async def run() -> Any:
        async with pkg.AsyncRpcs(base_url=url) as client:
            return await client.echo({"user-id": "a", "count": 1})

    assert asyncio.run(run())["body"] == {"user-id": "a", "count": 1}


def test_the_package_passes_mypy_strict(pkg: ModuleType) -> None:
    result = mypy_strict(pkg)
    assert result.returncode == 0, result.stdout + result.stderr
