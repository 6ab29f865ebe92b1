"""Progress lines on stderr, and validation run aside in a child process.

* :class:`codegen.pipeline.Progress` holds its lines back until the run has lasted
  ``after`` seconds (a fake clock here: no test measures time), then prints what it
  held and every later stage;
* the CLI prints them on stderr only (``--progress`` from the start, on a terminal once a
  run is long, never with ``--quiet`` or into a pipe), never on stdout;
* :class:`codegen.spec.validate.Validation` gives the same warnings, in the same place,
  and the same errors forked as run in-process (``CODEGEN_SERIAL=1``), and a structural
  error wins over whatever the invalid document breaks later.
"""

from __future__ import annotations

import contextlib
import io
import os
import pickle
import sys
import threading
from pathlib import Path

import pytest

from codegen import cli, pipeline
from codegen.cli import main
from codegen.diagnostics import SpecError
from codegen.load.loader import load_spec
from codegen.pipeline import Progress, compile_spec, report, reporting
from codegen.spec import aside
from codegen.spec.aside import Aside
from codegen.spec.validate import Validation

SPEC = """\
openapi: 3.1.0
info: {title: Notes, version: "1"}
paths:
  /notes/{id}:
    get:
      operationId: getNote
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Note"}
components:
  schemas:
    Note:
      type: object
      properties:
        id: {type: string}
        size: {type: integer, minimum: 0, default: -1}
"""
STAGES = ["load", "models", "validate", "clients", "format", "write"]


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_progress_is_held_back_until_the_run_is_long() -> None:
    clock, out = FakeClock(), io.StringIO()
    progress = Progress(out, after=2.0, clock=clock)
    clock.now += 0.5
    progress.stage("load")
    clock.now += 1.0
    progress.stage("models")
    progress.stage("validate", 1.25, "beside the models")
    assert out.getvalue() == ""  # 1.5 s so far: a short run says nothing
    clock.now += 1.0
    progress.stage("clients")  # 2.5 s: the held lines come out, then this one
    clock.now += 0.25
    progress.stage("format")
    assert out.getvalue().splitlines() == [
        "progress: load 0.50 s (0.50 s so far)",
        "progress: models 1.00 s (1.50 s so far)",
        "progress: validate 1.25 s, beside the models (1.50 s so far)",
        "progress: clients 1.00 s (2.50 s so far)",
        "progress: format 0.25 s (2.75 s so far)",
    ]


def test_progress_from_the_start_and_labelled() -> None:
    clock, out = FakeClock(), io.StringIO()
    progress = Progress(out, after=0.0, clock=clock)
    progress.label = "scale"
    clock.now += 0.125
    progress.stage("load")
    assert out.getvalue() == "progress: scale: load 0.12 s (0.12 s so far)\n"


def test_stages_report_to_the_innermost_block_from_any_thread() -> None:
    outer, inner = io.StringIO(), io.StringIO()
    report("load")  # outside any block: nothing to report to, no error
    with reporting(Progress(outer, after=0.0)):
        with reporting(Progress(inner, after=0.0)):
            worker = threading.Thread(target=report, args=("models",))
            worker.start()
            worker.join()
        report("write")
        with reporting(None):  # --quiet
            report("format")
    assert inner.getvalue().startswith("progress: models ")
    assert [line.split()[1] for line in outer.getvalue().splitlines()] == ["write", "format"]


def _generate(tmp_path: Path, *flags: str) -> list[str]:
    spec = tmp_path / "openapi.yaml"
    spec.write_text(SPEC, encoding="utf-8")
    out = tmp_path / "out"
    args = ["generate", "--spec", str(spec), "--out", str(out), "--package", "notes_client"]
    assert main([*args, *flags]) == 0
    return [str(out)]


def test_cli_progress_goes_to_stderr_one_line_per_stage(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _generate(tmp_path, "--progress")
    captured = capsys.readouterr()
    assert "progress: " not in captured.out
    lines = [line for line in captured.err.splitlines() if line.startswith("progress: ")]
    assert [line.split()[1] for line in lines] == STAGES
    assert all(line.endswith(" s so far)") for line in lines)
    assert "warning: " in captured.err  # the spec's bad default: warnings are not progress


def test_cli_quiet_silences_progress_but_not_warnings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _generate(tmp_path, "--progress", "--quiet")
    captured = capsys.readouterr()
    assert "progress: " not in captured.err + captured.out
    assert "warning: " in captured.err


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("terminal", [True, False])
def test_cli_shows_progress_on_a_terminal_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, terminal: bool
) -> None:
    monkeypatch.setattr(cli, "_PROGRESS_AFTER", 0.0)  # every run counts as long here
    err = _Terminal() if terminal else io.StringIO()
    monkeypatch.setattr(sys, "stderr", err)
    _generate(tmp_path)
    shown = [line.split()[1] for line in err.getvalue().splitlines() if "progress: " in line]
    assert shown == (STAGES if terminal else [])


def _compiled(path: Path, monkeypatch: pytest.MonkeyPatch, serial: bool) -> object:
    if serial:
        monkeypatch.setenv("CODEGEN_SERIAL", "1")
    else:
        monkeypatch.delenv("CODEGEN_SERIAL", raising=False)
    try:
        compiled = compile_spec(path, package="notes_client")
    except SpecError as exc:
        return ("error", str(exc))
    return ("ok", [str(w) for w in compiled.warnings], compiled.files)


needs_fork = pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork here")


@needs_fork
@pytest.mark.parametrize(
    "text",
    [
        SPEC,  # valid, with a validator warning (the default its schema refuses)
        SPEC.replace("title: Notes, ", ""),  # structural error
        SPEC.replace("{name: id, in: path", "{name: other, in: path"),  # semantic error
    ],
    ids=["warning", "structure", "semantic"],
)
def test_forked_validation_gives_what_the_serial_one_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    spec = tmp_path / "openapi.yaml"
    spec.write_text(text, encoding="utf-8")
    # fork even if this test process runs threads of its own (servers of other tests)
    monkeypatch.setattr(aside, "forking_enabled", aside._can_fork)
    monkeypatch.delenv("CODEGEN_SERIAL", raising=False)
    validation = Validation(load_spec(spec))
    with contextlib.suppress(SpecError):
        validation.wait()
    assert validation.ran_aside

    forked = _compiled(spec, monkeypatch, serial=False)
    serial = _compiled(spec, monkeypatch, serial=True)
    assert forked == serial
    if text == SPEC:
        assert any("does not match its schema" in w for w in forked[1])  # type: ignore[index]


def test_a_structural_error_wins_over_a_later_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = tmp_path / "openapi.yaml"
    spec.write_text(SPEC.replace("title: Notes, ", ""), encoding="utf-8")

    def broken(*args: object, **kwargs: object) -> object:
        raise ValueError("the IR builder tripped over the invalid document")

    monkeypatch.setattr(pipeline, "build_api", broken)
    with pytest.raises(SpecError, match="'title' is a required property"):
        compile_spec(spec, package="notes_client")


class _Unpicklable:
    def __reduce__(self) -> str:
        raise pickle.PicklingError("not here")


@needs_fork
def test_no_fork_while_other_threads_run(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CODEGEN_SERIAL", raising=False)
    stop = threading.Event()
    others = [threading.Thread(target=stop.wait) for _ in range(2)]
    for thread in others:  # with the caller: three threads, one more than allowed
        thread.start()
    try:
        assert not aside.forking_enabled()
        assert not Aside(lambda: 1).forked
    finally:
        stop.set()
        for thread in others:
            thread.join()
    monkeypatch.setenv("CODEGEN_SERIAL", "1")
    assert not aside.forking_enabled() and not Aside(lambda: 1, fork=True).forked


def test_aside_runs_in_a_child_and_falls_back_to_the_caller(tmp_path: Path) -> None:
    marker = tmp_path / "ran"

    def work() -> int:
        marker.write_text(str(os.getpid()))
        return 42

    child = Aside(work, fork=True)
    assert child.forked and child.result() == 42 and child.ran_aside
    assert marker.read_text() != str(os.getpid())  # another process did it
    inline = Aside(work, fork=False)
    assert not inline.forked and inline.result() == 42 and not inline.ran_aside
    assert marker.read_text() == str(os.getpid())

    def fail() -> int:
        raise KeyError("child")

    with pytest.raises(KeyError, match="child"):
        Aside(fail, fork=True).result()

    unpicklable = Aside(_Unpicklable, fork=True)  # the child cannot send it: the caller makes it
    assert isinstance(unpicklable.result(), _Unpicklable) and not unpicklable.ran_aside

    stopped = Aside(lambda: threading.Event().wait(60), fork=True)
    assert stopped.forked
    stopped.close()  # killed and reaped, not waited for
    stopped.close()


@needs_fork
def test_an_interrupted_wait_still_stops_and_reaps_the_child(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real_fdopen = os.fdopen

    class Interrupted:
        def __init__(self, fd: int, mode: str) -> None:
            self.pipe = real_fdopen(fd, mode)

        def __enter__(self) -> Interrupted:
            return self

        def __exit__(self, *exc: object) -> None:
            self.pipe.close()

        def read(self, size: int) -> bytes:
            raise KeyboardInterrupt  # Ctrl-C while waiting for the verdict

    slow = Aside(lambda: threading.Event().wait(60), fork=True)
    pid = slow._pid
    monkeypatch.setattr(os, "fdopen", Interrupted)
    with pytest.raises(KeyboardInterrupt):
        slow.result()
    monkeypatch.undo()
    slow.close()  # no double close of the pipe, the child killed and reaped
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, 0)
