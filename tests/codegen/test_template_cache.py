"""codegen.render.templatecache: compiled templates are reused only where output cannot change."""

from __future__ import annotations

import sys
from pathlib import Path

import jinja2
import pytest

from codegen.render import templatecache
from codegen.render.templatecache import attach_cache, settings_digest

TEMPLATE = "{% for x in items %}\n  {{ x | twice }}\n{% endfor %}\n"


def _env(templates: Path, cache: Path, **options: object) -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(templates)), **options)  # type: ignore[arg-type]
    env.filters["twice"] = lambda x: f"{x}{x}"
    return attach_cache(env, cache)


def _forbid_compiling(env: jinja2.Environment, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("compiled although a cached copy was there")

    monkeypatch.setattr(env, "compile", refuse)


@pytest.fixture
def templates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "t.jinja").write_text(TEMPLATE)
    return folder


def test_a_second_environment_renders_from_the_cache(
    templates: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    first = _env(templates, cache).get_template("t.jinja").render(items=[1, 2])
    assert len(list(cache.iterdir())) == 1
    again = _env(templates, cache)
    _forbid_compiling(again, monkeypatch)
    assert again.get_template("t.jinja").render(items=[1, 2]) == first == "\n  11\n\n  22\n"


def test_changed_text_or_settings_are_compiled_again(
    templates: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    _env(templates, cache).get_template("t.jinja").render(items=[1])
    trimmed = _env(templates, cache, trim_blocks=True, lstrip_blocks=True)
    assert settings_digest(trimmed) != settings_digest(_env(templates, cache))
    assert (
        trimmed.get_template("t.jinja").render(items=[1, 2]) == "  11\n  22\n"
    )  # not the cached code
    (templates / "t.jinja").write_text("[{{ items | length }}]")
    assert _env(templates, cache).get_template("t.jinja").render(items=[1, 2]) == "[2]"


def test_nothing_written_without_bytecode_and_bad_files_are_misses(
    templates: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    assert _env(templates, cache).get_template("t.jinja").render(items=[3]) == "\n  33\n"
    assert not cache.exists()
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    _env(templates, cache).get_template("t.jinja")
    (written,) = cache.iterdir()
    written.write_bytes(written.read_bytes()[:20])  # cut short
    assert _env(templates, cache).get_template("t.jinja").render(items=[4]) == "\n  44\n"


def test_an_unwritable_cache_folder_is_no_error(
    templates: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    env = _env(templates, blocked / "cache")
    assert env.get_template("t.jinja").render(items=[5]) == "\n  55\n"


def test_module_exports() -> None:
    assert templatecache.__all__ == ["attach_cache", "settings_digest"]
