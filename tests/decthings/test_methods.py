"""Every method of the Decthings client, sync and async, against the fake on 127.0.0.1;
and every error code of the spec, each raised as its class with its fields. Each also
with a listener registered first (``-ws``), when every call goes over the WebSocket.

Each call sends an example of the method's params (every property, first union member;
tensors and bytes where the spec has them) as keyword arguments; the fake records the
envelope it received and answers an example result in wire form. The test checks the
path, the JSON with blob-carried values taken out (and key lists put in), the blobs, and
that the typed result holds the example, blobs put back where the spec says.
"""

from __future__ import annotations

import asyncio
import base64
import copy
import re
import typing
from collections.abc import Iterator
from typing import Any

import decthings_client as dc
import pytest
from decthings_client import DecthingsTensor

from tests.decthings.fake_server import (
    BYTES,
    TENSOR_WIRE,
    BytesMark,
    Fake,
    Method,
    TensorMark,
    error_classes,
    example,
    load_methods,
)
from tests.decthings.fake_ws import install
from tests.support.server import serve

METHODS = load_methods()
TENSOR = DecthingsTensor([1.0, 2.0], "f32", [2])
assert TENSOR.serialize() == TENSOR_WIRE


@pytest.fixture(scope="module")
def fake() -> Iterator[tuple[Fake, str]]:
    state = Fake()
    install(state)  # /ws: the methods the spec routes over the WebSocket
    with serve(state.app) as url:
        yield state, url


@pytest.fixture
def server(fake: tuple[Fake, str]) -> Iterator[tuple[Fake, str]]:
    fake[0].reset()
    yield fake


def _real(value: Any, tensor: Any = TENSOR) -> Any:
    """An example with its marks made real (tensors, bytes)."""
    if isinstance(value, TensorMark):
        return tensor
    if isinstance(value, BytesMark):
        return BYTES
    if isinstance(value, dict):
        return {k: _real(v, tensor) for k, v in value.items()}
    if isinstance(value, list):
        return [_real(v, tensor) for v in value]
    return value


def _kwargs(method: Method, params: dict[str, Any]) -> dict[str, Any]:
    props = method.params["properties"]
    return {props[k].get("x-python-name", k): v for k, v in params.items()}


def _at(value: Any, path: list[str]) -> tuple[dict[str, Any], str] | None:
    for step in path[:-1]:
        if not isinstance(value, dict) or step not in value:
            return None
        value = value[step]
    if not isinstance(value, dict) or path[-1] not in value:
        return None
    return value, path[-1]


def expected_wire(method: Method, params: Any) -> tuple[Any, list[bytes]]:
    """What the envelope should carry for ``params`` (written apart from the codec)."""
    wire = copy.deepcopy(params)
    blobs: list[bytes] = []
    for rule in method.options.get("request", ()):
        found = _at(wire, rule["at"])
        if found is None:
            continue
        parent, last = found
        if rule["kind"] == "base64":
            value = parent[last]
            parent[last] = base64.b64encode(
                value.encode() if isinstance(value, str) else BYTES
            ).decode()
        elif rule["kind"] == "bytes":
            value = parent.pop(last)
            blobs.append(value.encode() if isinstance(value, str) else BYTES)
        elif rule["kind"] == "keyed":
            items = parent.pop(last)
            parent[rule["names"]] = [i["key"] for i in items]
            blobs += [BYTES for _ in items]
        elif rule["kind"] == "parameters":
            for item in parent[last]:
                if isinstance(item["data"], list):
                    del item["data"]
                    blobs.append(TENSOR_WIRE)
        elif rule["kind"] == "entries":
            parent[last] = sorted(i["key"] for i in parent[last])
            blobs += [TENSOR_WIRE for _ in parent[last]]
    return wire, blobs


def expected_result(method: Method, result: Any) -> Any:
    """The typed result's content: outputs get the two tensors of their blob."""
    real = _real(result)
    for rule in method.options.get("response", ()):
        if rule["kind"] == "outputs":
            found = _at(real, rule["at"])
            if found:
                for item in found[0][found[1]]:
                    item["data"] = [TENSOR, TENSOR]
    return real


def _dump(value: Any) -> Any:
    if hasattr(value, "model_dump"):
        return _dump(value.model_dump(by_alias=True, exclude_unset=True))
    if isinstance(value, dict):
        return {k: _dump(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_dump(v) for v in value]
    if hasattr(value, "value") and not isinstance(value, (bytes, DecthingsTensor)):
        return value.value  # an enum member
    return value


def _subscriber(method: Method) -> Method | None:
    """For a method sent only over an open socket (``if_open``), the method of its
    namespace that subscribes the id it unsubscribes (called first, over the socket)."""
    if method.transport.get("route") != "if_open":
        return None
    key = method.transport["unsubscribes"]["key"]
    return next(
        m
        for m in METHODS
        if m.namespace == method.namespace
        and (m.transport.get("subscribes") or {}).get("key") == key
    )


def _call_sync(url: str, method: Method, kwargs: dict[str, Any], listen: bool) -> Any:
    with dc.DecthingsClientSync(api_key="secret-key", base_url=url, max_retries=0) as client:
        if listen:
            client.on_event(lambda event: None)  # every call over the WebSocket
        first = _subscriber(method)
        if first is not None:
            client.on_event(lambda event: None)
            getattr(getattr(client, first.resource), first.python_name)(
                **_kwargs(first, _real(example(first.params)))
            )
        return getattr(getattr(client, method.resource), method.python_name)(**kwargs)


def _call_async(url: str, method: Method, kwargs: dict[str, Any], listen: bool) -> Any:
    async def run() -> Any:
        async with dc.DecthingsClient(api_key="secret-key", base_url=url, max_retries=0) as client:
            if listen:
                client.on_event(lambda event: None)  # every call over the WebSocket
            first = _subscriber(method)
            if first is not None:
                client.on_event(lambda event: None)
                await getattr(getattr(client, first.resource), first.python_name)(
                    **_kwargs(first, _real(example(first.params)))
                )
            return await getattr(getattr(client, method.resource), method.python_name)(**kwargs)

    return asyncio.run(run())


def test_the_spec_has_every_method_of_generation_b() -> None:
    per_namespace: dict[str, int] = {}
    for m in METHODS:
        per_namespace[m.namespace] = per_namespace.get(m.namespace, 0) + 1
    assert per_namespace == {
        "Dataset": 11, "Debug": 15, "FS": 16, "Image": 4, "Language": 3, "Model": 33,
        "Organization": 7, "PersistentLauncher": 4, "Spawned": 7, "Terminal": 8, "User": 7,
    }  # fmt: skip


@pytest.mark.parametrize("mode", ["sync", "async", "sync-ws", "async-ws"])
@pytest.mark.parametrize("method", METHODS, ids=[m.path for m in METHODS])
def test_every_method(server: tuple[Fake, str], method: Method, mode: str) -> None:
    """``-ws``: a listener is registered first, so every call goes over the socket."""
    fake, url = server
    params = example(method.params)
    kwargs = _kwargs(method, _real(params))
    call = _call_sync if mode.startswith("sync") else _call_async
    listen = mode.endswith("-ws")
    result = call(url, method, kwargs, listen)

    # HTTP, except what the spec routes over the WebSocket without a listener
    # (subscribeToEvents, the language server) and unsubscribing (over an open socket)
    route = method.transport.get("route")
    *before, request = fake.requests
    assert len(before) == (route == "if_open")
    assert request.path == method.path
    assert request.via == ("ws" if listen or route in ("always", "if_open") else "http")
    if request.via == "http":
        assert request.headers["authorization"] == "Bearer secret-key"
    else:
        assert request.api_key == "secret-key"  # inside the message
    wire, blobs = expected_wire(method, params)
    assert request.params == wire
    assert request.blobs == blobs
    assert _dump(result) == expected_result(method, fake.example_result(method.path))


def _error_cases() -> list[tuple[str, Method, dict[str, Any]]]:
    cases: dict[str, tuple[str, Method, dict[str, Any]]] = {}
    for method in METHODS:
        for variant in method.errors:
            body = example(variant)
            key = variant.get("title", body["code"])
            cases.setdefault(key, (body["code"], method, body))
    return sorted(cases.values(), key=lambda c: c[0])


ERRORS = _error_cases()
CLASSES = error_classes()


def test_every_code_of_the_spec_is_exercised() -> None:
    assert {code for code, _, _ in ERRORS} == set(CLASSES)
    assert len(CLASSES) == 64  # decthings.md §5: generation B's distinct top-level codes


@pytest.mark.parametrize("mode", ["sync", "async", "sync-ws", "async-ws"])
@pytest.mark.parametrize(
    ("code", "method", "body"), ERRORS, ids=[f"{c}@{m.path}" for c, m, _ in ERRORS]
)
def test_every_error_code_raises_its_class(
    server: tuple[Fake, str], code: str, method: Method, body: dict[str, Any], mode: str
) -> None:
    fake, url = server
    fake.answer(method.path, {"error": body})
    kwargs = _kwargs(method, _real(example(method.params)))
    call = _call_sync if mode.startswith("sync") else _call_async
    listen = mode.endswith("-ws")
    with pytest.raises(dc.DecthingsError) as caught:
        call(url, method, kwargs, listen)
    if listen:
        assert fake.requests[-1].via == "ws"
    err = caught.value
    assert isinstance(err, getattr(dc, CLASSES[code]))  # the code's class, shared by methods
    namespace = method.namespace.capitalize() if method.namespace.isupper() else method.namespace
    per_method = getattr(dc, f"{namespace}{method.name[0].upper()}{method.name[1:]}Errors")
    assert isinstance(err, per_method)  # and the method's own base
    assert err.code == code
    assert err.status_code == 200
    assert err.body == {"error": body}  # fields such as datasetId, parameterName, reason
    fields = {k: v for k, v in body.items() if k != "code"}
    for wire, value in fields.items():  # typed attributes: err.dataset_id, err.reason, ...
        assert getattr(err, re.sub(r"(?<!^)(?=[A-Z])", "_", wire).lower()) == value


def test_an_unknown_code_is_still_a_typed_error(server: tuple[Fake, str]) -> None:
    fake, url = server
    fake.answer("/User/getQuotas", {"error": {"code": "brand_new_code", "detail": 7}})
    with dc.DecthingsClientSync("k", base_url=url, max_retries=0) as client:
        with pytest.raises(dc.UnknownCodeError) as caught:
            client.user.get_quotas()
    assert isinstance(caught.value, dc.DecthingsError)
    assert isinstance(caught.value, dc.UserGetQuotasErrors)
    assert not isinstance(caught.value, dc.ModelEvaluateErrors)
    assert caught.value.code == "brand_new_code"
    assert caught.value.body == {"error": {"code": "brand_new_code", "detail": 7}}


def test_error_fields_are_typed_from_the_spec() -> None:
    hints = {
        name: typing.get_type_hints(getattr(cls, name).fget)["return"]
        for cls, name in [
            (dc.DatasetKeyNotFoundError, "dataset_key"),
            (dc.DatasetNotFoundError, "dataset_id"),  # no fields in Dataset.*: optional
            (dc.InvalidParameterError, "parameter_name"),
            (dc.CodeExceptionError, "exception_details"),  # optional in the spec
        ]
    }
    assert hints == {
        "dataset_key": str,
        "dataset_id": str | None,
        "parameter_name": str,
        "exception_details": str | None,
    }
    assert not hasattr(dc.ModelNotFoundError, "dataset_id")


def test_a_code_error_is_caught_by_code_by_method_and_pickles(server: tuple[Fake, str]) -> None:
    import pickle

    fake, url = server
    error = {"code": "dataset_key_not_found", "datasetId": "d", "datasetKey": "k"}
    fake.answer("/Model/evaluate", {"error": error})
    with dc.DecthingsClientSync("k", base_url=url, max_retries=0) as client:
        with pytest.raises(dc.ModelEvaluateErrors) as by_method:
            client.model.evaluate({"modelId": "m", "params": []})
        fake.answer("/Model/train", {"error": error})
        with pytest.raises(dc.DatasetKeyNotFoundError) as by_code:
            client.model.train(
                {
                    "modelId": "m",
                    "newStateName": "n",
                    "params": [],
                    "executionLocation": {
                        "type": "persistentLauncher",
                        "persistentLauncherId": "p",
                    },
                }
            )
    assert isinstance(by_method.value, dc.DatasetKeyNotFoundError)
    assert isinstance(by_code.value, dc.ModelTrainErrors) and not isinstance(
        by_code.value, dc.ModelEvaluateErrors
    )
    again = pickle.loads(pickle.dumps(by_method.value))
    assert type(again) is type(by_method.value) and again.dataset_key == "k"
