"""codegen.pipeline: the garbage collector is paused while a spec compiles, then restored."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from codegen import pipeline
from codegen.diagnostics import SpecError

SPEC = Path(__file__).resolve().parents[1] / "specs" / "enums" / "openapi.yaml"


def _watch(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Whether the collector was enabled each time the compile reached rendering."""
    seen: list[bool] = []
    real = pipeline.render_package

    def render(*args: object, **kwargs: object) -> dict[str, str]:
        seen.append(gc.isenabled())
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "render_package", render)
    return seen


def test_paused_while_compiling_and_enabled_again_after(monkeypatch: pytest.MonkeyPatch) -> None:
    seen = _watch(monkeypatch)
    assert gc.isenabled()
    compiled = pipeline.compile_spec(SPEC, package="enums_client")
    assert seen == [False] and gc.isenabled()
    assert "models/__init__.py" in compiled.files


def test_a_caller_that_disabled_it_keeps_it_disabled(monkeypatch: pytest.MonkeyPatch) -> None:
    seen = _watch(monkeypatch)
    gc.disable()
    try:
        pipeline.compile_spec(SPEC, package="enums_client")
        assert seen == [False] and not gc.isenabled()
    finally:
        gc.enable()


def test_enabled_again_when_the_compile_fails(tmp_path: Path) -> None:
    bad = tmp_path / "openapi.yaml"
    bad.write_text("openapi: 3.1.0\ninfo:\n  title: T\npaths: 7\n")
    with pytest.raises(SpecError):
        pipeline.compile_spec(bad, package="bad_client")
    assert gc.isenabled()
