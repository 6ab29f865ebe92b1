"""Hand-written per-API code (``specs/<api>/python/`` -> ``<package>/_custom/``).

``tests/specs/custom`` declares re-exports and client mixins through
``x-python-custom``; the compiled package is driven against a real server on
127.0.0.1, and the compiler's checks of the declaration are shown to fail loudly.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from codegen.diagnostics import SpecError
from codegen.pipeline import compile_spec
from tests.support.compiled import compiled_package, mypy_strict
from tests.support.server import serve

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "tests" / "specs" / "custom" / "openapi.yaml"


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    with compiled_package(SPEC, "notes_test_client", tmp_path_factory.mktemp("custom")) as p:
        yield p


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    async def bucket(request: Request) -> JSONResponse:
        return JSONResponse({"bucket": f"b-{request.headers['api-key']}"})

    async def note(request: Request) -> JSONResponse:
        return JSONResponse({"text": request.scope["raw_path"].decode()})

    app = Starlette(
        routes=[
            Route("/bucket", bucket),
            Route("/notes/{path:path}", note),
            Route("/archive/{path:path}", note, methods=["DELETE"]),
        ]
    )
    with serve(app) as url:
        yield url


def test_files_are_copied_with_a_header_naming_their_source(pkg: Any) -> None:
    folder = Path(pkg.__file__).parent / "_custom"
    assert sorted(p.name for p in folder.glob("*.py")) == ["__init__.py", "paths.py", "util.py"]
    source = (SPEC.parent / "python" / "paths.py").read_text()
    copied = (folder / "paths.py").read_text()
    first, rest = copied.split("\n", 1)
    assert first.startswith("# Copied by codegen from tests/specs/custom/python/paths.py (sha256 ")
    assert rest == source  # verbatim: never reformatted


def test_exports_are_lazy_and_listed(pkg: Any) -> None:
    assert {"NotePath", "InvalidNoteURLError"} <= set(pkg.__all__)
    assert "NotePath" not in vars(pkg)  # resolved on first access, then cached
    assert pkg.NotePath.__module__ == f"{pkg.__name__}._custom.paths"
    assert vars(pkg)["NotePath"] is pkg.NotePath
    with pytest.raises(pkg.InvalidNoteURLError, match="invalid path segment '..'"):
        pkg.NotePath("b") / ".."


def test_sync_client_mixin_calls_generated_methods(pkg: Any, base_url: str) -> None:
    with pkg.Notes("k1", base_url=base_url) as client:
        home = client.home()
        assert home == pkg.NotePath("b-k1")
        assert client.read(home / "a b" / "c?d") == "/notes/b-k1/a%20b/c%3Fd"


async def test_async_client_mixin_calls_generated_methods(pkg: Any, base_url: str) -> None:
    async with pkg.AsyncNotes("k2", base_url=base_url) as client:
        home = await client.home()
        assert str(home) == "b-k2"
        assert await client.read(home / "x") == "/notes/b-k2/x"


def test_resource_mixins_add_hand_written_methods_to_a_resource(pkg: Any, base_url: str) -> None:
    with pkg.Notes("k3", base_url=base_url) as client:
        assert isinstance(client.archive, pkg._custom.paths.ArchiveMixin)
        home = client.home()
        assert client.archive.put_away(home / "old #1") == "/archive/b-k3/old%20%231"


async def test_async_resource_mixins(pkg: Any, base_url: str) -> None:
    async with pkg.AsyncNotes("k4", base_url=base_url) as client:
        assert await client.archive.put_away((await client.home()) / "x") == "/archive/b-k4/x"


def test_generated_package_type_checks(pkg: Any) -> None:
    done = mypy_strict(pkg)
    assert done.returncode == 0, done.stdout + done.stderr


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "custom"
    shutil.copytree(SPEC.parent, target)
    return target / "openapi.yaml"


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("paths.NotePath,", "paths.NoSuch,", "paths.NoSuch: python/paths.py defines no top-level"),
        ("client: paths.NotesMixin", "client: nope.Mixin", "nope.Mixin: no python/nope.py"),
        ("paths.NotePath,", "paths.GetBucketResponse,", ""),
        ("paths.NotePath,", "paths.quote_segment, paths.quote_segment,", "already exported"),
        ("    archive:\n", "    archives:\n", "no resource 'archives' (the spec makes: archive)"),
        ("sync: paths.ArchiveMixin", "sync: paths.Nope", "paths.Nope: python/paths.py defines"),
    ],
)
def test_bad_declarations_name_the_pointer(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    spec = _copy(tmp_path)
    text = spec.read_text()
    assert old in text
    spec.write_text(text.replace(old, new))
    if not message:  # a module-level name that is not defined there
        message = "paths.GetBucketResponse: python/paths.py defines no top-level"
    with pytest.raises(SpecError) as info:
        compile_spec(spec, package="notes_client")
    assert message in info.value.message
    assert info.value.pointer.startswith("/x-python-custom/")
    assert info.value.line is not None


def test_a_syntax_error_in_hand_written_code_names_file_and_line(tmp_path: Path) -> None:
    spec = _copy(tmp_path)
    (spec.parent / "python" / "util.py").write_text("def ok():\n    return 1\nx = (\n")
    with pytest.raises(SpecError) as info:
        compile_spec(spec, package="notes_client")
    assert info.value.file.name == "util.py" and info.value.line == 3
    assert "invalid Python" in info.value.message


def test_declaring_custom_code_without_a_python_folder_is_an_error(tmp_path: Path) -> None:
    spec = _copy(tmp_path)
    shutil.rmtree(spec.parent / "python")
    with pytest.raises(SpecError, match="no python/\\*.py beside the spec"):
        compile_spec(spec, package="notes_client")


def test_api_md_lists_the_hand_written_methods_where_they_are_called(pkg: Any) -> None:
    api_md = (Path(pkg.__file__).parent / "api.md").read_text()
    client_part, _, archive_part = api_md.partition("## `client.archive`")
    assert "### `client.home` (hand-written)" in client_part
    assert "def read(self, path: NotePath) -> str" in client_part  # ``self: _Client`` hidden
    assert "Written by hand in `tests/specs/custom/python/paths.py`" in client_part
    assert "### `client.archive.put_away` (hand-written)" in archive_part
    assert "(no methods)" not in api_md
    # the async twin's line says whether it is awaited: ``async def`` here ...
    assert "async def read(self, path: NotePath) -> str  # async client" in client_part


def test_api_md_marks_a_plain_def_of_an_async_client_as_such() -> None:
    # ... and a plain ``def`` on the async client (Decthings' on_event) is not awaited
    api_md = (Path(__file__).parents[2] / "generated/decthings_client/api.md").read_text()
    assert "\ndef on_event(self, callback: Callable[[DecthingsEvent], object] | " in api_md
    assert "async def on_event" not in api_md
