"""Our generated Scale clients as objects: the sync and async clients offer the same methods
(resources made on first access), send Basic auth to v1 and Bearer to v2 with our
user agent, default to api.scale.com, and accept a callable credential asked per request.
Part of the every-operation suite (``test_operations_*``, the ``api`` fixture runs each test
sync and async).
"""

from __future__ import annotations

import functools
import inspect

import scale_client

from tests.scale.conftest import BASIC, Api, make_our_client
from tests.scale.operations_support import BEARER
from tests.scale.parity_cases import API_KEY


def test_sync_and_async_clients_have_the_same_methods() -> None:
    sync_names = {n for n in dir(scale_client.ScaleClient) if not n.startswith("_")}
    async_names = {n for n in dir(scale_client.AsyncScaleClient) if not n.startswith("_")}
    assert sync_names - {"close", "aclose"} == async_names - {"close", "aclose"}
    assert "get_task" in sync_names and "v2" in sync_names
    # Resources are made (and their module imported) on first access, once per client.
    assert isinstance(vars(scale_client.ScaleClient)["v2"], functools.cached_property)
    client = scale_client.ScaleClient("key")
    assert "v2" not in vars(client)
    assert client.v2 is client.v2 and type(client.v2).__name__ == "V2"
    client.close()
    for name in ("get_task", "create_task", "batches", "upload_file"):
        assert inspect.iscoroutinefunction(getattr(scale_client.AsyncScaleClient, name))
        assert not inspect.iscoroutinefunction(getattr(scale_client.ScaleClient, name))
    assert inspect.iscoroutinefunction(scale_client.AsyncScaleClient.__aenter__)


async def test_auth_user_agent_and_loopback(api: Api) -> None:
    await api.projects()
    await api.v2.get_projects()
    v1, v2 = api.fake.requests
    assert api.fake.base_url.startswith("http://127.0.0.1:")
    assert v1.authorization == BASIC  # key as username, empty password
    assert v2.authorization == BEARER
    assert (v1.header("user-agent") or "").startswith("scale-client/")
    assert API_KEY not in repr(api.client)


def test_default_base_url_is_scale() -> None:
    with scale_client.ScaleClient("live_x") as client:
        assert repr(client) == "<ScaleClient base_url='https://api.scale.com'>"


async def test_credential_may_be_a_callable(api: Api) -> None:
    """A callable credential is asked per request (key rotation); async clients also take
    an async callable."""
    calls: list[str] = []
    if api.is_async:

        async def key() -> str:
            calls.append("k")
            return API_KEY

    else:

        def key() -> str:  # type: ignore[misc]
            calls.append("k")
            return API_KEY

    client = make_our_client(api.fake.base_url, api.is_async, api_key=key)  # type: ignore[arg-type]
    other = Api(client, api.is_async, api.fake)
    try:
        await other.projects()
        await other.v2.get_projects()
    finally:
        if api.is_async:
            await client.aclose()
        else:
            client.close()
    assert calls == ["k", "k"]
    assert [r.authorization for r in api.fake.requests] == [BASIC, BEARER]
