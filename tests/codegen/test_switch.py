"""Stream-switch methods (``tests/specs/switch``): one method, ``stream=True`` gives a
typed event stream, ``stream=False`` (the default) the typed result; a type checker
infers each from the literal (``@overload`` with ``Literal[True]``/``Literal[False]``).
Driven against a real server on 127.0.0.1."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

import clientcore
from tests.support.compiled import compiled_package
from tests.support.server import serve

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "tests" / "specs" / "switch" / "openapi.yaml"
PACKAGE = "switch_test_client"


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    with compiled_package(SPEC, PACKAGE, tmp_path_factory.mktemp("switch")) as p:
        yield p


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    async def completions(request: Request) -> Response:
        body = json.loads(await request.body())
        if body["prompt"] == "bad":
            return JSONResponse({"error": {"message": "no"}}, status_code=400)
        if not body.get("stream"):
            assert "stream" not in body or body["stream"] is False
            return JSONResponse({"text": body["prompt"].upper()})

        async def events() -> AsyncIterator[bytes]:
            for ch in body["prompt"]:
                yield f"data: {json.dumps({'delta': ch})}\n\n".encode()
            yield b"data: [DONE]\n\n"

        return StreamingResponse(events(), media_type="text/event-stream")

    app = Starlette(routes=[Route("/chat/completions", completions, methods=["POST"])])
    with serve(app) as url:
        yield url


def test_one_method_returns_a_result_or_a_stream(pkg: Any, base_url: str) -> None:
    with pkg.Switch(base_url=base_url) as client:
        create = client.chat.completions.create
        assert create(prompt="hi").text == "HI"
        assert create(prompt="hi", stream=False).text == "HI"
        stream = create(prompt="hey", stream=True)
        assert isinstance(stream, clientcore.Stream)
        assert [c.delta for c in stream] == ["h", "e", "y"]
        assert not hasattr(client.chat.completions, "create_stream")
        with pytest.raises(pkg.SwitchError) as info:
            create(prompt="bad", stream=True)
        assert info.value.status_code == 400 and info.value.message == "no"


async def test_async_twin(pkg: Any, base_url: str) -> None:
    async with pkg.AsyncSwitch(base_url=base_url) as client:
        create = client.chat.completions.create
        assert (await create(prompt="hi")).text == "HI"
        stream = await create(prompt="yo", stream=True)
        assert stream.response is not None  # sent by the await, not on first iteration
        assert [c.delta async for c in stream] == ["y", "o"]
        with pytest.raises(pkg.SwitchError) as info:
            await create(prompt="bad", stream=True)  # an error status raises at the await
        assert info.value.status_code == 400


def test_overloads_are_inferred_from_the_literal(pkg: Any, tmp_path: Path) -> None:
    folder = Path(pkg.__file__).parent.parent
    probe = tmp_path / "probe.py"
    probe.write_text(
        textwrap.dedent(
            f"""
            from typing import assert_type

            import clientcore
            from {PACKAGE} import AsyncSwitch, Chunk, Completion, Switch


            def sync(client: Switch, flag: bool) -> None:
                c = client.chat.completions
                assert_type(c.create(prompt="p"), Completion)
                assert_type(c.create(prompt="p", stream=False), Completion)
                assert_type(c.create(prompt="p", stream=True), clientcore.Stream[Chunk])
                assert_type(c.create(prompt="p", stream=flag), Completion | clientcore.Stream[Chunk])


            async def run(client: AsyncSwitch) -> None:
                c = client.chat.completions
                assert_type(await c.create(prompt="p"), Completion)
                assert_type(await c.create(prompt="p", stream=True), clientcore.AsyncStream[Chunk])
            """
        )
    )
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(probe)],
        env={"MYPYPATH": f"{folder}:{ROOT}", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    # ... and the check can fail: a wrong expectation is reported.
    probe.write_text(
        probe.read_text().replace(
            'assert_type(c.create(prompt="p"), Completion)',
            'assert_type(c.create(prompt="p"), clientcore.Stream[Chunk])',
            1,
        )
    )
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(probe)],
        env={"MYPYPATH": f"{folder}:{ROOT}", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1 and "[assert-type]" in done.stdout
