"""Both versions built side by side (codegen.diff.sides): the older one in a forked
process gives the same report as a serial run, and the same errors."""

from __future__ import annotations

import gc
import os
import time
from pathlib import Path

import pytest

from codegen.diagnostics import SpecError
from codegen.diff import sides
from codegen.diff.compare import diff_specs
from codegen.diff.report import render
from codegen.diff.sides import FORK_BYTES, worth_forking
from tests.diff.support import HERE

REAL = HERE / "realistic"
GOOD = 'openapi: 3.1.0\ninfo: {title: T, version: "1"}\npaths: {}\n'
BAD = 'openapi: 3.1.0\ninfo: {title: T, version: "1"}\npaths: {}\npaths: {}\n'

needs_fork = pytest.mark.skipif(not hasattr(os, "fork"), reason="no os.fork here")


@needs_fork
def test_forked_and_serial_reports_are_the_same() -> None:
    old, new = (REAL / v / "museum" / "openapi.yaml" for v in ("v1", "v2"))
    forked = diff_specs(old, new, api="museum", parallel=True)
    serial = diff_specs(old, new, api="museum", parallel=False)
    assert len(serial.changes) > 5
    for fmt in ("text", "markdown", "json"):
        assert render([forked], fmt) == render([serial], fmt)


@needs_fork
@pytest.mark.parametrize(("old_text", "blamed"), [(BAD, "old"), (GOOD, "new")])
def test_a_bad_spec_on_either_side_fails_as_in_a_serial_run(
    tmp_path: Path, old_text: str, blamed: str
) -> None:
    (tmp_path / "old.yaml").write_text(old_text)
    (tmp_path / "new.yaml").write_text(BAD)  # both bad: the older one is reported first
    errors = []
    for parallel in (True, False):
        with pytest.raises(SpecError) as caught:
            diff_specs(tmp_path / "old.yaml", tmp_path / "new.yaml", api="x", parallel=parallel)
        errors.append(str(caught.value))
    assert errors[0] == errors[1]
    assert errors[0].startswith(str(tmp_path / f"{blamed}.yaml") + ":4:")
    assert "duplicate key 'paths'" in errors[0]


def test_only_large_specs_on_a_free_second_cpu_are_worth_a_fork(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a.yaml").write_text(GOOD)
    (tmp_path / "big.yaml").write_text(GOOD + "# padding\n" * (FORK_BYTES // 10))
    small, big = tmp_path / "a.yaml", tmp_path / "big.yaml"
    monkeypatch.setattr(sides, "_cpus", lambda: 2)
    monkeypatch.setattr(sides.threading, "active_count", lambda: 1)
    monkeypatch.setattr(os, "getloadavg", lambda: (0.5, 0.5, 0.5), raising=False)
    assert worth_forking(big, big) == hasattr(os, "fork")
    assert not worth_forking(small, small)
    assert not worth_forking(small, tmp_path / "missing.yaml")
    monkeypatch.setattr(os, "getloadavg", lambda: (1.5, 0.5, 0.5), raising=False)
    assert not worth_forking(big, big)  # the second CPU is busy
    monkeypatch.setattr(os, "getloadavg", lambda: (0.5, 0.5, 0.5), raising=False)
    monkeypatch.setattr(sides, "_cpus", lambda: 1)
    assert not worth_forking(big, big)
    monkeypatch.setattr(sides, "_cpus", lambda: 2)
    monkeypatch.setattr(sides.threading, "active_count", lambda: 2)
    assert not worth_forking(big, big)  # another thread: no fork


def test_the_diff_leaves_the_garbage_collector_as_it_found_it(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(GOOD)
    was = gc.isenabled()
    try:
        for state in (True, False):
            (gc.enable if state else gc.disable)()
            diff_specs(tmp_path / "a.yaml", tmp_path / "a.yaml", api="x")
            assert gc.isenabled() is state
    finally:
        (gc.enable if was else gc.disable)()


@needs_fork
def test_a_child_that_takes_too_long_is_killed_and_the_diff_runs_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parent, marker = os.getpid(), tmp_path / "child-finished"
    real = sides.build_side

    def stuck_in_the_child(path: Path, api: str) -> sides.Side:
        if os.getpid() != parent:
            time.sleep(60)
            marker.write_text("the parent waited for me")
        return real(path, api)

    monkeypatch.setattr(sides, "build_side", stuck_in_the_child)
    monkeypatch.setattr(sides, "MIN_PATIENCE_S", 0.2)
    old, new = (REAL / v / "museum" / "openapi.yaml" for v in ("v1", "v2"))
    assert sides.build_sides(old, new, "museum") is None
    assert not marker.exists()  # killed, not waited for
    forked = diff_specs(old, new, api="museum", parallel=True)  # falls back to serial
    assert forked.changes == diff_specs(old, new, api="museum", parallel=False).changes
    assert not marker.exists()
