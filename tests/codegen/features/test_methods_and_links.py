"""``x-methods`` and ``x-links`` in the generated features package: methods placed on other
resources (the client itself or a new nested resource), sync and async, and links that
forward the target operation's unbound parameters with their names, annotations, defaults
and kinds, checked in the signatures and on the wire.
"""

from __future__ import annotations

import inspect
import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.codegen.features.conftest import client

# -- x-methods placed on other resources ---------------------------------------------------


def test_x_methods_resource_places_methods(pkg: Any) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.method == "PUT":
            return httpx.Response(200, json={"id": "a", "tags": json.loads(request.content)})
        offset = int(request.url.params.get("offset", "0"))
        docs = [{"id": f"t{offset}"}, {"id": f"t{offset + 1}"}] if offset < 4 else []
        return httpx.Response(200, json={"docs": docs, "limit": 2, "totalDocs": 4})

    c = client(pkg, handler)
    assert not hasattr(c.things, "all_things") and not hasattr(c.things, "browse")
    things = list(c.all_things(kind="big"))  # resource: "" -> on the client itself
    assert [t.id for t in things] == ["t0", "t1", "t2", "t3"]
    assert [r.url.params["offset"] for r in seen] == ["0", "2", "4"]
    assert all(r.url.params["kind"] == "big" for r in seen)
    assert "limit" not in inspect.signature(c.all_things).parameters  # exclude: [limit]
    assert "client.things.list_things()" in (c.all_things.__doc__ or "")
    page = c.catalog.shelf.browse(limit=2)  # resource: catalog.shelf -> a new nested resource
    assert isinstance(page, pkg.ListThingsResponse) and seen[-1].url.params["limit"] == "2"
    assert type(c.catalog.shelf).__name__ == "CatalogShelf"
    assert c.with_raw_response.catalog.shelf.browse().status_code == 200
    assert c.tag_thing("a", tags=["z"]).tags == ["z"]
    assert seen[-1].url.raw_path == b"/api/things/a/tags"


async def test_x_methods_resource_async(pkg: Any) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        offset = int(request.url.params.get("offset", "0"))
        return httpx.Response(200, json={"docs": [{"id": f"t{offset}"}] if offset < 2 else []})

    async with client(pkg, handler, is_async=True) as c:
        assert [t.id async for t in c.all_things()] == ["t0", "t1"]
        assert isinstance(await c.catalog.shelf.browse(), pkg.ListThingsResponse)


# -- links forwarding arguments ----------------------------------------------------------


def test_link_forwards_unbound_target_parameters(pkg: Any) -> None:
    """Forwarded arguments mirror the target's: name, annotation, default and kind."""
    c = pkg.FeaturesClient("tok")
    clone = inspect.signature(pkg.Thing.clone)
    target = inspect.signature(c.things.create_thing)
    forwarded = [n for n in clone.parameters if n != "self"]
    assert forwarded == [n for n in target.parameters if n != "name"]  # **extra included
    for name, param in clone.parameters.items():
        if name != "self":
            assert param == target.parameters[name], name
    assert clone.parameters["x_request_id"].default is inspect.Parameter.empty  # required
    assert clone.parameters["color"].default == "red"
    tag = inspect.signature(pkg.Thing.tag).parameters
    assert tag["tags"].kind is inspect.Parameter.POSITIONAL_OR_KEYWORD  # positional: [tags]
    assert tag["tags"].annotation == "Sequence[str]" and tag["tags"].default is tag["tags"].empty
    assert tag["extra_headers"].kind is inspect.Parameter.KEYWORD_ONLY
    assert "thing_id" not in tag  # bound by the link
    assert list(inspect.signature(pkg.Thing.retag).parameters) == [
        "self",
        "extra_headers",
        "timeout",
        "max_retries",
    ]
    assert inspect.signature(pkg.Thing.aclone) == clone
    links = (Path(pkg.__file__).parent / "_links.py").read_text()
    assert ".things.tags.set_tags(" in links and ".tag_thing(" not in links  # own method


def test_link_forwarding_on_the_wire(pkg: Any) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        body = json.loads(request.content)
        if request.method == "PUT":
            return httpx.Response(200, json={"id": "a", "tags": body})
        return httpx.Response(201, json={"id": "copy-" + body["name"]})

    c = client(pkg, handler)
    thing = c.things.tags.set_tags("a", tags=[])
    assert thing.tag(["x", "y"], extra_headers={"x-extra": "1"}) is thing
    assert thing.tags == ["x", "y"]  # update: refreshed in place
    assert (seen[-1].method, seen[-1].url.raw_path) == ("PUT", b"/api/things/a/tags")
    assert json.loads(seen[-1].content) == ["x", "y"] and seen[-1].headers["x-extra"] == "1"
    copy = thing.clone(x_request_id="r2", klass="k", weight=3)
    assert isinstance(copy, pkg.Thing) and copy.id == "copy-a"  # no update: target's result
    assert json.loads(seen[-1].content) == {"name": "a", "color": "red", "class": "k", "weight": 3}
    assert seen[-1].headers["x-request-id"] == "r2"
    with pytest.raises(TypeError, match="x_request_id"):
        thing.clone()  # required on the target, required on the link
    with pytest.raises(TypeError):
        thing.clone("r3")  # keyword-only on the target, keyword-only on the link


async def test_async_link_forwarding(pkg: Any) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        body = json.loads(request.content)
        if request.method == "PUT":
            return httpx.Response(200, json={"id": "q", "tags": body})
        return httpx.Response(201, json={"id": "copy"})

    async with client(pkg, handler, is_async=True) as c:
        thing = await c.things.tags.set_tags("q", tags=[])
        assert await thing.atag(tags=["t"]) is thing and thing.tags == ["t"]
        assert json.loads(seen[-1].content) == ["t"]
        copy = await thing.aclone(x_request_id="r", color="blue")
        assert copy.id == "copy" and json.loads(seen[-1].content)["color"] == "blue"
        with pytest.raises(TypeError, match="AsyncFeaturesClient"):
            thing.tag(["t"])
