"""A diff leaves nothing large for the garbage collector.

The diff runs with the collector paused (``codegen.load.gcpause``). Its two versions
(a million objects for Plaid) must be freed by reference counting, inside the pause:
a reference cycle holding them (the schema parser's callbacks once did) or versions
still alive when the collector is re-enabled make its next collection scan them all
(0.3-0.4 s on Plaid, every diff).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest

from codegen.diff import compare
from codegen.diff.sides import build_side, load_version

ROOT = Path(__file__).resolve().parents[2]
DECTHINGS = ROOT / "specs" / "decthings" / "openapi.yaml"  # no recursive schemas
DIAL = ROOT / "specs" / "dial" / "openapi.yaml"


@pytest.fixture
def collector_paused() -> Iterator[None]:
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


@pytest.mark.parametrize("spec", [DECTHINGS, DIAL], ids=lambda p: p.parent.name)
def test_a_dropped_side_leaves_no_cycles(spec: Path, collector_paused: None) -> None:
    side = build_side(spec, "x")
    assert side.surface.methods  # something was built
    del side
    assert gc.collect() == 0


def _objects() -> int:
    return len(gc.get_objects())


def test_the_versions_are_freed_before_the_collector_runs_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    gc.collect()
    gc.disable()
    try:
        start = _objects()
        version = load_version(DECTHINGS)
        one_version = _objects() - start
        del version
    finally:
        gc.enable()
    young_at_enable: list[int] = []
    enable = gc.enable

    def counting_enable() -> None:
        young_at_enable.append(len(gc.get_objects(generation=0)))
        enable()

    monkeypatch.setattr(gc, "enable", counting_enable)
    gc.collect()
    result = compare.diff_specs(DECTHINGS, DIAL, api="x", parallel=False)
    monkeypatch.undo()
    assert result.changes
    assert len(young_at_enable) == 1  # the diff's own pause (the loader's nests in it)
    assert young_at_enable[0] < one_version / 4, (young_at_enable, one_version)
