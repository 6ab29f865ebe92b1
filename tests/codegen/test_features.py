"""``tests/specs/features/openapi.yaml`` compiled and driven over ``httpx.MockTransport``.

One small API exercising the compiler's less common paths: what the generated methods
put on the wire (query styles, headers, bodies, forms, files, fixed and always-sent
values), what they return (pagers, counts, maps, bytes, streams switched by a body
flag), links on returned models, and the exception classes.
"""

from __future__ import annotations

import importlib
import inspect
import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

import clientcore
from codegen.diagnostics import SpecError
from codegen.pipeline import compile_spec, write_package

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "tests" / "specs" / "features" / "openapi.yaml"
PACKAGE = "features_test_client"

Handler = Callable[[httpx.Request], httpx.Response]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    out = tmp_path_factory.mktemp("features")
    compiled = compile_spec(SPEC, package=PACKAGE)
    write_package(compiled.files, out / PACKAGE)
    return out, [d.message for d in compiled.warnings]


@pytest.fixture(scope="module")
def pkg(built: tuple[Path, list[str]]) -> Iterator[ModuleType]:
    out, _ = built
    sys.path.insert(0, str(out))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(out))
        for name in [m for m in sys.modules if m == PACKAGE or m.startswith(PACKAGE + ".")]:
            del sys.modules[name]


def client(pkg: Any, handler: Handler, *, is_async: bool = False) -> Any:
    if is_async:
        transport = httpx.MockTransport(handler)
        return pkg.AsyncFeaturesClient("tok", http_client=httpx.AsyncClient(transport=transport))
    return pkg.FeaturesClient(
        "tok", http_client=httpx.Client(transport=httpx.MockTransport(handler))
    )


def test_mypy_strict(built: tuple[Path, list[str]]) -> None:
    out, _ = built
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-error-summary",
            "--cache-dir",
            str(out / ".mypy_cache"),
            PACKAGE,
        ],
        cwd=out,
        env={**os.environ, "MYPYPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout


def test_warnings(built: tuple[Path, list[str]]) -> None:
    _, warnings = built
    assert warnings == ["cookie parameter 'session' is not supported; skipped"]


def test_config_and_layout(pkg: Any) -> None:
    config = importlib.import_module(PACKAGE + "._config").CONFIG
    assert config.default_base_url == "https://eu.example.com/api"
    assert config.default_security == ("bearer",)
    assert config.retry.max_retries == 1
    assert config.timeout == 5
    assert {
        "FeaturesClient",
        "AsyncFeaturesClient",
        "Thing",
        "NOT_GIVEN",
        "APIResponse",
        "FeaturesNotThere",
        "FeaturesMissing",
    } <= set(pkg.__all__)
    c = pkg.FeaturesClient("tok")
    assert type(c.chat.completions).__name__ == "ChatCompletions"
    assert type(c.things.tags).__name__ == "ThingsTags"


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
    page = c.things.list_things(limit=2)
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


def test_recursive_models_complete_on_first_use(pkg: Any) -> None:
    folder = Path(pkg.__file__).parent / "models"
    for module in folder.glob("*.py"):
        assert ".model_rebuild()\n" not in module.read_text()
    # Tree and Forest refer to each other: one module holds both (no import cycle).
    assert pkg.models.Tree.__module__ == pkg.models.Forest.__module__
    tree = pkg.Tree.model_validate(
        {"name": "a", "children": [{"name": "b", "children": []}], "parent": {"trees": []}}
    )
    assert tree.children[0].name == "b"
    assert isinstance(tree.parent, pkg.Forest)
    assert pkg.Forest(trees=[pkg.Tree(name="x")]).trees[0].name == "x"


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


# -- bad uses: shapes are SpecErrors, collisions too; link semantics warn -------------------


def _compile_variant(tmp_path: Path, old: str, new: str) -> Any:
    text = SPEC.read_text()
    assert old in text
    path = tmp_path / "openapi.yaml"
    path.write_text(text.replace(old, new))
    return compile_spec(path, package=PACKAGE), path.read_text()


def _line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


@pytest.mark.parametrize(
    ("old", "new", "needle", "pointer", "message"),
    [
        (
            "resource: catalog.shelf}",
            "resource: catalog..shelf}",
            "browse:",
            "/paths/~1things/get/x-methods/browse/resource",
            "x-methods: must be '' or dotted identifiers, not 'catalog..shelf'",
        ),
        (
            'resource: ""}   # links',
            "resource: [a]}   # links",
            "tag_thing:",
            "/paths/~1things~1{thing_id}~1tags/put/x-methods/tag_thing/resource",
            "must be '' or dotted identifiers",
        ),
        (
            "positional: [tags]",
            "positional: tags",
            "positional: tags",
            "/components/schemas/Thing/x-links/tag/positional",
            "x-links: must be a list, not 'tags'",
        ),
        (
            "positional: [tags]",
            "positional: [{a: 1}]",
            "positional: [{a: 1}]",
            "/components/schemas/Thing/x-links/tag/positional/0",
            "must be a string",
        ),
    ],
)
def test_bad_shapes_are_spec_errors(
    tmp_path: Path, old: str, new: str, needle: str, pointer: str, message: str
) -> None:
    text = SPEC.read_text()
    assert old in text
    path = tmp_path / "openapi.yaml"
    path.write_text(text.replace(old, new))
    with pytest.raises(SpecError) as info:
        compile_spec(path, package=PACKAGE)
    err = info.value
    assert (err.file, err.pointer) == (path, pointer)
    assert err.line == _line_of(path.read_text(), needle)
    assert message in err.message


def test_method_name_collision_is_a_spec_error(tmp_path: Path) -> None:
    text = SPEC.read_text().replace(
        "        browse: {kind: page",
        '        login: {kind: call, resource: ""}\n        browse: {kind: page',
    )
    path = tmp_path / "openapi.yaml"
    path.write_text(text)
    with pytest.raises(SpecError) as info:
        compile_spec(path, package=PACKAGE)
    err = info.value
    assert err.pointer == "/paths/~1login/post"  # the later of the two
    assert err.line == _line_of(text, "operationId: login") - 1
    assert "'login' of operation 'login'" in err.message
    assert "operation 'listThings' (/paths/~1things/get/x-methods/login)" in err.message
    assert "on the client" in err.message
    # the same name on different resources is fine
    path.write_text(text.replace('login: {kind: call, resource: ""}', "login: {kind: call}"))
    compiled = compile_spec(path, package=PACKAGE)
    assert "def login(" in compiled.files["resources/things.py"]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("positional: [tags]", "positional: [thing_id]", "'thing_id' is bound by the link"),
        ("positional: [tags]", "positional: [nope]", "'nope' is not a parameter of set_tags"),
        ("positional: [tags]", "positional: [tags, tags]", "'tags' is listed twice"),
        (
            "parameters: {name: $response.body#/id}",
            "parameters: {name: $response.body#/id}\n          positional: [color, X-Request-Id]",
            "required positional 'X-Request-Id' follows an optional one",
        ),
    ],
)
def test_bad_positional_skips_the_link_with_a_warning(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    compiled, _ = _compile_variant(tmp_path, old, new)
    found = [w for w in compiled.warnings if message in w.message]
    assert found, [w.message for w in compiled.warnings]
    assert found[0].pointer.endswith("/positional") and "link skipped" in found[0].message
    skipped = "tag" if "tags" in old else "clone"
    assert f"def {skipped}(" not in compiled.files["_links.py"]
