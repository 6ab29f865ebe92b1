"""datamodel-code-generator's call made in a forked child (:mod:`codegen.ir.modelsaside`).

* The package compiled with the call in a child is byte for byte the serial one
  (``CODEGEN_SERIAL=1``), and the call did run in another process;
* a child that fails has its call made again here (a serial run's result or error); a
  child that fails to answer in time is killed, reaped, and the call made here;
* no fork below :data:`codegen.ir.modelsaside.FORK_SCHEMAS` schemas, with
  ``CODEGEN_SERIAL=1``, or while other threads run.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

import pytest

from codegen.diagnostics import SpecError
from codegen.ir import models, modelsaside
from codegen.pipeline import compile_spec
from codegen.spec import aside

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")

SPEC = """\
openapi: 3.1.0
info: {title: Pets, version: "1"}
paths:
  /pets/{id}:
    get:
      operationId: getPet
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Pet"}
components:
  schemas:
    Kind: {type: string, enum: [cat, dog]}
    Cat:
      type: object
      required: [kind]
      properties: {kind: {type: string, const: cat}, lives: {type: integer}}
    Dog:
      type: object
      required: [kind]
      properties: {kind: {type: string, const: dog}, goodBoy: {type: boolean}}
    Pet:
      oneOf: [{$ref: "#/components/schemas/Cat"}, {$ref: "#/components/schemas/Dog"}]
      discriminator: {propertyName: kind}
"""


@pytest.fixture
def spec(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "openapi.yaml"
    path.write_text(SPEC, encoding="utf-8")
    monkeypatch.delenv("CODEGEN_SERIAL", raising=False)
    monkeypatch.setattr(modelsaside, "FORK_SCHEMAS", 1)  # this small API forks too
    # even if this test process runs threads of its own (servers of other tests)
    monkeypatch.setattr(modelsaside, "forking_enabled", aside._can_fork)
    return path


def _compiled(spec: Path) -> dict[str, str]:
    return compile_spec(spec, package="pets_client").files


def _serial(spec: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    with monkeypatch.context() as serial:
        serial.setenv("CODEGEN_SERIAL", "1")
        return _compiled(spec)


def _spy(monkeypatch: pytest.MonkeyPatch, log: Path, child: str = "") -> None:
    """Record the pid of every generator call in ``log``; in a child process, ``child``
    says what goes wrong: ``"fail"`` raises, ``"hang"`` never returns."""
    parent, real = os.getpid(), models._run_dmcg

    def run(*args: Any) -> str:
        with log.open("a") as out:
            out.write(f"{os.getpid()}\n")
        if os.getpid() != parent and child == "fail":
            raise ValueError("the child's generator broke")
        if os.getpid() != parent and child == "hang":
            threading.Event().wait(60)
        return real(*args)

    monkeypatch.setattr(models, "_run_dmcg", run)


def _calls(log: Path) -> list[int]:
    return [int(line) for line in log.read_text().split()]


def test_models_made_in_a_child_are_the_serial_ones(
    spec: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = tmp_path / "calls"
    _spy(monkeypatch, log)
    forked = _compiled(spec)
    assert [pid != os.getpid() for pid in _calls(log)] == [True]  # one call, in a child
    log.unlink()
    assert forked == _serial(spec, monkeypatch)
    assert _calls(log) == [os.getpid()]
    assert any("class Cat(" in text for text in forked.values())  # the child's models


def test_a_failing_child_has_its_call_made_again_here(
    spec: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = tmp_path / "calls"
    _spy(monkeypatch, log, child="fail")
    files = _compiled(spec)
    calls = _calls(log)
    assert len(calls) == 2 and calls[0] != os.getpid() and calls[1] == os.getpid()
    assert files == _serial(spec, monkeypatch)


def test_a_failure_is_the_serial_runs_error(spec: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: Any) -> str:
        raise models.ModelsError("datamodel-code-generator failed: unsupported schema shape")

    monkeypatch.setattr(models, "_run_dmcg", broken)
    with pytest.raises(SpecError) as forked:
        _compiled(spec)
    with pytest.raises(SpecError) as serial:
        _serial(spec, monkeypatch)
    assert str(forked.value) == str(serial.value)
    assert "unsupported schema shape" in str(forked.value)


def test_a_hung_child_is_killed_and_the_call_made_here(
    spec: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = tmp_path / "calls"
    _spy(monkeypatch, log, child="hang")
    monkeypatch.setattr(modelsaside, "patience", lambda schemas: 1.0)
    files = _compiled(spec)
    child, here = _calls(log)
    assert child != os.getpid() and here == os.getpid()
    with pytest.raises(ChildProcessError):  # killed and already reaped: no zombie
        os.waitpid(child, os.WNOHANG)
    assert files == _serial(spec, monkeypatch)


def test_no_fork_when_small_serial_or_threaded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CODEGEN_SERIAL", raising=False)
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    big = modelsaside.FORK_SCHEMAS
    assert modelsaside.worth_forking(big) and not modelsaside.worth_forking(big - 1)
    monkeypatch.setattr(threading, "active_count", lambda: 3)  # other threads: no fork
    assert not modelsaside.worth_forking(big)
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    monkeypatch.setenv("CODEGEN_SERIAL", "1")
    assert not modelsaside.worth_forking(big)
    assert modelsaside.generate_aside(lambda: str(os.getpid()), schemas=big) == str(os.getpid())
