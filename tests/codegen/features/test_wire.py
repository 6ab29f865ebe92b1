"""What the generated features methods put on the wire and return: query styles, headers and
pages (offset pagers, counts, page models, linked token pages and ambiguous pages), JSON
bodies with defaults and Python names, whole bodies and reserved paths, model links (sync
and async), multipart forms and bytes, a stream switched by a body flag, and the exception
classes with raw responses.
"""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

import clientcore
from codegen.pipeline import compile_spec, write_package
from tests.codegen.features.conftest import client


def test_query_styles_headers_and_pages(pkg: Any) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        offset = int(request.url.params.get("offset", "0"))
        docs = [{"id": f"t{offset}"}, {"id": f"t{offset + 1}"}] if offset < 4 else []
        return httpx.Response(200, json={"docs": docs, "limit": 2, "totalDocs": 4})

    c = client(pkg, handler)
    things = list(c.things.iter_things(thing_kind=pkg.ListThingsKind.BIG, ids=[1, 2], x_trace=7))
    assert [t.id for t in things] == ["t0", "t1", "t2", "t3"]
    first = seen[0]
    assert first.url.params["kind"] == "big"
    assert first.url.params["archived"] == "False"  # x-bool-style title, always sent
    assert first.url.params["ids"] == "1,2"  # explode: false
    assert first.headers["x-trace"] == "7"
    assert first.headers["authorization"] == "Bearer tok"
    assert [r.url.params["offset"] for r in seen] == ["0", "2", "4"]
    seen.clear()
    assert c.things.count_things(kind="small") == 4
    assert seen[0].url.params["limit"] == "1" and "offset" not in seen[0].url.params
    page = c.things.list_things(limit=2, session="s 1;x")
    assert seen[-1].headers["cookie"] == "session=s%201%3Bx"  # form style, one Cookie header
    assert "cookie" not in seen[0].headers
    assert isinstance(page, pkg.ListThingsResponse) and page.total_docs == 4
    # the (inline, hoisted) page response is a page: a sequence of its items
    assert isinstance(page, clientcore.PageModel) and type(page).__page_items__ == "docs"
    assert [type(t) for t in page] == [pkg.Thing, pkg.Thing] and len(page) == 2
    assert page[1] is page.docs[1] and page.docs[0].id == "t0"
    assert not isinstance(pkg.Thing(id="x"), clientcore.PageModel)  # items are no pages


PAGED_LINKED = """
openapi: 3.0.3
info: {title: Paged, version: "1"}
servers: [{url: "https://paged.test"}]
paths:
  /things:
    get:
      operationId: listThings
      x-pagination: {style: token, items: results, cursor_param: after, cursor_field: nextPage}
      parameters:
        - {name: after, in: query, schema: {type: string}}
      responses:
        "200":
          description: A page.
          content: {application/json: {schema: {$ref: "#/components/schemas/ThingPage"}}}
  /other:
    get:
      operationId: listOther
      x-pagination: {style: token, items: others, cursor_param: after, cursor_field: nextPage}
      responses:
        "200":
          description: Same schema, other items.
          content: {application/json: {schema: {$ref: "#/components/schemas/Mixed"}}}
  /other2:
    get:
      operationId: listOther2
      x-pagination: {style: token, items: results, cursor_param: after, cursor_field: nextPage}
      responses:
        "200":
          description: Same schema, other items.
          content: {application/json: {schema: {$ref: "#/components/schemas/Mixed"}}}
components:
  schemas:
    Thing:
      type: object
      properties: {id: {type: string}}
    Mixed:
      type: object
      properties:
        results: {type: array, items: {$ref: "#/components/schemas/Thing"}}
        others: {type: array, items: {type: string}}
    ThingPage:
      type: object
      x-links:
        next_page:
          operationId: listThings
          parameters: {after: $response.body#/nextPage}
      properties:
        results: {type: array, items: {$ref: "#/components/schemas/Thing"}}
        nextPage: {type: string, x-python-name: next_cursor}
"""


def test_linked_page_models_and_ambiguous_pages(tmp_path: Path) -> None:
    spec = tmp_path / "openapi.yaml"
    spec.write_text(PAGED_LINKED)
    compiled = compile_spec(spec, package="paged_linked_client")
    write_package(compiled.files, tmp_path / "out" / "paged_linked_client")
    assert any("Mixed pages 'others'" in d.message for d in compiled.warnings)
    links = compiled.files["_links.py"]
    assert "class ThingPageLinks(_pages.ThingPagePage):" in links
    sys.path.insert(0, str(tmp_path / "out"))
    try:
        mod = importlib.import_module("paged_linked_client")

        def handler(request: httpx.Request) -> httpx.Response:
            after = request.url.params.get("after")
            if after is None:
                return httpx.Response(200, json={"results": [{"id": "a"}], "nextPage": "p2"})
            return httpx.Response(200, json={"results": [{"id": "b"}, {"id": "c"}]})

        c = mod.PagedClient("tok", http_client=httpx.Client(transport=httpx.MockTransport(handler)))
        page = c.list_things()
        assert isinstance(page, clientcore.PageModel) and page._client is c  # linked and paged
        assert [t.id for t in page] == ["a"] and len(page) == 1
        following = page.next_page()
        assert [t.id for t in following] == ["b", "c"] and following[1].id == "c"
        assert following.next_cursor is None
        assert not issubclass(mod.Mixed, clientcore.PageModel)  # ambiguous: a plain model
    finally:
        sys.path.remove(str(tmp_path / "out"))
        for name in [m for m in sys.modules if m.startswith("paged_linked_client")]:
            del sys.modules[name]


def test_json_body_send_default_python_name_and_header(pkg: Any) -> None:
    bodies: list[Any] = []

    def handler(request: httpx.Request) -> httpx.Response:
        bodies.append((json.loads(request.content), request.headers["x-request-id"]))
        return httpx.Response(
            201, json={"id": "t9", "kind": None, "created": "2024-01-02T03:04:05"}
        )

    thing = client(pkg, handler).things.create_thing(
        x_request_id="r1", name="n", klass="k", extra_field=3
    )
    assert bodies == [({"name": "n", "color": "red", "class": "k", "extra_field": 3}, "r1")]
    assert thing.id == "t9" and thing.kind is None and thing.created.year == 2024


def test_whole_body_reserved_path_and_links(pkg: Any) -> None:
    calls: list[tuple[str, str, Any]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content) if request.content else None
        calls.append((request.method, request.url.raw_path.decode(), body))
        if request.url.path.endswith("/status"):
            return httpx.Response(200, json={"pending": 2})
        return httpx.Response(200, json={"id": "a/b", "tags": body})

    c = client(pkg, handler)
    thing = c.things.tags.set_tags("a/b", tags=["x"])
    assert calls[-1] == ("PUT", "/api/things/a/b/tags", ["x"])  # x-allow-reserved
    assert thing.refresh_status() == {"pending": 2}
    assert calls[-1][1] == "/api/things/a%2Fb/status"  # default: everything encoded
    assert thing.retag() is thing and thing.tags == ["a", "b"]
    with pytest.raises(TypeError, match="AsyncFeaturesClient"):
        pkg.Thing(id="x").refresh_status()


async def test_async_links_and_pager(pkg: Any) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/status"):
            return httpx.Response(200, json={"ok": 1})
        if request.method == "GET":
            offset = int(request.url.params.get("offset", "0"))
            return httpx.Response(200, json={"docs": [{"id": "z"}] if offset == 0 else []})
        return httpx.Response(200, json={"id": "q", "tags": json.loads(request.content)})

    async with client(pkg, handler, is_async=True) as c:
        thing = await c.things.tags.set_tags("q", tags=["t"])
        assert await thing.arefresh_status() == {"ok": 1}
        assert (await thing.aretag()).tags == ["a", "b"]
        with pytest.raises(TypeError):
            thing.refresh_status()
        assert [t.id async for t in c.things.iter_things()] == ["z"]


def test_multipart_form_and_bytes(pkg: Any) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path.endswith("/login"):
            return httpx.Response(200, text="token-123")
        return httpx.Response(204)

    c = client(pkg, handler)
    assert c.files.upload(file=b"abc", extras=[("a.txt", b"1"), ("b.txt", b"2")], label="L") is None
    content = seen[-1].read()
    assert seen[-1].headers["content-type"].startswith("multipart/form-data")
    assert content.count(b'name="extras"') == 2 and b'name="label"' in content
    assert c.login(user="u", password="p") == b"token-123"
    assert seen[-1].headers["content-type"] == "application/x-www-form-urlencoded"
    assert seen[-1].read() == b"user=u&password=p"
    assert "authorization" not in seen[-1].headers  # security: []


def test_stream_switch(pkg: Any) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if json.loads(request.content)["stream"]:
            events = b'data: {"text": "a"}\n\ndata: {"text": "b"}\n\n'
            return httpx.Response(
                200, content=events, headers={"content-type": "text/event-stream"}
            )
        return httpx.Response(200, json={"text": "whole"})

    c = client(pkg, handler)
    assert c.chat.completions.chat(prompt="p").text == "whole"
    assert [d.text for d in c.chat.completions.chat(prompt="p", stream=True)] == ["a", "b"]
    assert not hasattr(c.chat.completions, "chat_stream")  # one method, switched


def test_errors_and_raw_responses(pkg: Any) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        status = int(request.url.params.get("limit", "200"))
        return httpx.Response(
            status, json={"error": f"status {status}", "docs": []}, headers={"x-request-id": "rid"}
        )

    c = client(pkg, handler)
    for status, cls in (
        (404, pkg.FeaturesNotThere),
        (400, pkg.FeaturesBadRequestError),
        (418, pkg.FeaturesClientError),
        (503, pkg.FeaturesServerError),
    ):
        with pytest.raises(cls) as info:
            c.things.list_things(limit=status, max_retries=0)
        assert isinstance(info.value, pkg.FeaturesException)
        assert info.value.status_code == status
        assert info.value.message == f"status {status}"
    raw = c.with_raw_response.things.list_things(limit=200)
    assert raw.status_code == 200 and raw.request_id == "rid"
    assert isinstance(raw.parse(), pkg.ListThingsResponse)
