"""The spec side of the transport seam: ``x-transport-options`` reach the generated
``Operation``, are refused without a transport, and ``x-python-custom.dependencies``
reach a generated project's ``pyproject.toml`` (how Decthings' ``websockets`` does);
every Decthings operation's options are ones its transport accepts."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from decthings_client._custom.wscore import ROUTES, route_of

from codegen.diagnostics import SpecError
from codegen.pipeline import compile_spec
from codegen.render.project import render_project
from tests.decthings.fake_server import load_methods

SPECS = Path(__file__).resolve().parents[1] / "specs"


def _spec(tmp_path: Path, old: str, new: str) -> Path:
    target = tmp_path / "transport"
    shutil.copytree(SPECS / "transport", target)
    spec = target / "openapi.yaml"
    text = spec.read_text()
    assert old in text
    spec.write_text(text.replace(old, new, 1))
    return spec


def test_options_reach_the_generated_operation(tmp_path: Path) -> None:
    spec = _spec(
        tmp_path,
        "      x-transport: stdlib\n",
        "      x-transport: stdlib\n      x-transport-options: {lane: fast, ids: [1, 2]}\n",
    )
    files = compile_spec(spec, package="wire_client").files
    text = "".join(files.values())
    assert "transport_options={'lane': 'fast', 'ids': [1, 2]}" in text  # before ruff format
    assert text.count("transport_options=") == 1  # helloWorld: no transport, no options


def test_options_without_a_transport_are_a_spec_error(tmp_path: Path) -> None:
    spec = _spec(
        tmp_path,
        "      operationId: helloWorld\n",
        "      operationId: helloWorld\n      x-transport-options: {lane: fast}\n",
    )
    with pytest.raises(SpecError) as info:
        compile_spec(spec, package="wire_client")
    assert "x-transport-options without a transport" in info.value.message
    assert info.value.pointer.endswith("/get/x-transport-options") and info.value.line is not None


def test_root_options_without_a_root_transport_are_a_spec_error(tmp_path: Path) -> None:
    spec = _spec(tmp_path, "paths:\n", "x-transport-options: {lane: slow}\npaths:\n")
    with pytest.raises(SpecError) as info:
        compile_spec(spec, package="wire_client")
    assert info.value.pointer == "/x-transport-options"


def test_declared_dependencies_reach_the_project(tmp_path: Path) -> None:
    spec = _spec(
        tmp_path,
        "x-transports:\n",
        "x-python-custom:\n  dependencies: ['websockets>=13,<18']\nx-transports:\n",
    )
    compiled = compile_spec(spec, package="wire_client")
    assert compiled.api is not None
    pyproject = render_project(compiled.api, "# header")["pyproject.toml"]
    assert '"websockets>=13,<18",' in pyproject
    plain = compile_spec(SPECS / "transport" / "openapi.yaml", package="wire_client")
    assert plain.api is not None
    assert "websockets" not in render_project(plain.api, "# header")["pyproject.toml"]


def test_a_bad_requirement_is_a_spec_error(tmp_path: Path) -> None:
    spec = _spec(
        tmp_path,
        "x-transports:\n",
        "x-python-custom:\n  dependencies: ['web sockets!!']\nx-transports:\n",
    )
    with pytest.raises(SpecError) as info:
        compile_spec(spec, package="wire_client")
    assert "requirement" in info.value.message


def test_every_decthings_operation_has_options_its_transport_accepts() -> None:
    routes = {m.path: route_of(m.transport) for m in load_methods()}
    assert {r.mode for r in routes.values()} == set(ROUTES)
    assert [p for p, r in routes.items() if r.mode == "if_open"] == [
        "/Debug/unsubscribeFromEvents",
        "/Language/unsubscribeFromEvents",
        "/Spawned/unsubscribeFromEvents",
        "/Terminal/unsubscribeFromEvents",
    ]
    assert sorted(p for p, r in routes.items() if r.mode == "subscribing") == [
        "/Debug/launchDebugSession",
        "/Spawned/spawnCommand",
        "/Spawned/spawnCommandForModel",
        "/Terminal/launchTerminalSession",
    ]
    with pytest.raises(ValueError, match="route is one of"):
        route_of({"route": "sometimes"})
    with pytest.raises(ValueError, match="takes a flag"):
        route_of({"route": "subscribing"})


def test_websockets_and_the_event_models_load_only_when_needed() -> None:
    """``import decthings_client`` and HTTP calls load neither ``websockets`` nor the event
    models (a fresh interpreter: this one has both by now)."""
    import subprocess
    import sys

    code = """
import sys, httpx, decthings_client as dc
assert "websockets" not in sys.modules and "decthings_client._custom.wsclient" not in sys.modules
text = b'{"result": {"quotas": []}}'
seen = []
def answer(request):
    seen.append(request)
    return httpx.Response(200, content=bytes([len(text)]) + text)
mock = httpx.MockTransport(answer)
client = dc.DecthingsClientSync(api_key="k", http_client=httpx.Client(transport=mock))
assert client.user.get_quotas({}).quotas == [] and len(seen) == 1
assert "decthings_client._custom.wsclient" in sys.modules  # the transport declined
assert "websockets" not in sys.modules, "websockets"
assert "decthings_client._custom.events" not in sys.modules, "events"
print("ok")
"""
    root = Path(__file__).resolve().parents[2]
    run = subprocess.run(
        [sys.executable, "-c", code],
        cwd=root,
        env={"PYTHONPATH": f"{root}:{root / 'generated'}", "PATH": ""},
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.stdout.strip() == "ok", run.stderr
