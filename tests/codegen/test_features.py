"""``tests/specs/features/openapi.yaml`` compiled and driven over ``httpx.MockTransport``.

One small API exercising the compiler's less common paths: what the generated methods
put on the wire (query styles, headers, bodies, forms, files, fixed and always-sent
values), what they return (pagers, counts, maps, bytes, streams switched by a body
flag), links on returned models, and the exception classes.
"""

from __future__ import annotations

import importlib
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
    assert [d.text for d in c.chat.completions.chat_stream(prompt="p")] == ["a", "b"]


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
    source = (Path(pkg.__file__).parent / "models.py").read_text()
    assert ".model_rebuild()\n" not in source
    tree = pkg.Tree.model_validate(
        {"name": "a", "children": [{"name": "b", "children": []}], "parent": {"trees": []}}
    )
    assert tree.children[0].name == "b"
    assert isinstance(tree.parent, pkg.Forest)
    assert pkg.Forest(trees=[pkg.Tree(name="x")]).trees[0].name == "x"
