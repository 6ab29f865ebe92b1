"""Fields an ``allOf`` subclass redeclares (``tests/specs/overrides``,
``codegen/ir/overrides.py``): the generated package passes ``mypy --strict``, each class's
fields have the type the spec gives that class, and the open discriminated unions still
parse a known tag to its class and an unknown one to ``APIModel``, from a real server.

* ``EpisodeItem``/``ClipItem`` (spotify's ``EpisodeObject``): a tag narrowed to
  ``Literal[MediaBaseType.EPISODE]``, still a ``MediaBase``;
* ``ItemPage`` (train-travel's ``GetTripsResponse``): flattened, ``data: list[...Item]``;
* ``NamedRequired``: a compatible override, still a ``Named``;
* ``Playing.item``: a discriminator keyword among others in ``Field`` is opened too.
"""

from __future__ import annotations

import importlib
import typing
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

import clientcore
from codegen.ir.overrides import fix_overrides
from tests.support.compiled import compiled_package, mypy_strict
from tests.support.server import serve

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "tests" / "specs" / "overrides" / "openapi.yaml"
PACKAGE = "overrides_test_client"

EPISODE = {"id": "e1", "type": "episode", "show": "s1"}
CLIP = {"id": "c1", "type": "clip", "seconds": 30}
TRACK = {"id": "t1", "type": "track", "artist": "a"}
CHAPTER = {"id": "h1", "type": "chapter", "book": {"title": "b", "pages": [1, 2]}}
PAGE = {"data": [EPISODE, CLIP, TRACK, CHAPTER], "links": {"next": "/items?page=2"}}

# What a user writes; mypy --strict must accept it with the package.
USER_CODE = """\
from typing import assert_type

from . import Media
from .models import ClipItem, EpisodeItem, ItemPage, Links, MediaBase, MediaBaseType, Track
from clientcore import APIModel


def first_episode(page: ItemPage) -> EpisodeItem | None:
    assert_type(page.links, Links | None)
    for item in page.data or []:
        assert_type(item, EpisodeItem | ClipItem | Track | APIModel)
        if isinstance(item, EpisodeItem):
            return item
    return None


def kind(item: MediaBase) -> MediaBaseType:
    return item.type


def check(client: Media) -> None:
    episode = first_episode(client.items.list_items())
    if episode is not None:
        print(kind(episode), episode.show)
"""


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    with compiled_package(SPEC, PACKAGE, tmp_path_factory.mktemp("overrides")) as p:
        yield p


@pytest.fixture(scope="module")
def models(pkg: ModuleType) -> ModuleType:
    return importlib.import_module(f"{pkg.__name__}.models")


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    bodies: dict[str, Any] = {
        "/items": PAGE,
        "/playing": {"item": CHAPTER},
        "/named": {"name": "n"},
    }

    async def reply(request: Request) -> JSONResponse:
        return JSONResponse(bodies[request.url.path])

    app = Starlette(routes=[Route(path, reply) for path in bodies])
    with serve(app) as url:
        yield url


def test_the_package_passes_mypy_strict_with_a_users_code(pkg: ModuleType) -> None:
    folder = Path(str(pkg.__file__)).parent
    (folder / "_user.py").write_text(USER_CODE, encoding="utf-8")
    done = mypy_strict(pkg)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]


def test_a_tag_over_a_base_enum_is_narrowed_to_its_member(models: ModuleType) -> None:
    assert issubclass(models.EpisodeItem, models.MediaBase)
    assert issubclass(models.ClipItem, models.MediaBase)
    hints = typing.get_type_hints(models.EpisodeItem)
    assert hints["type"] == typing.Literal[models.MediaBaseType.EPISODE]
    assert (
        typing.get_type_hints(models.ClipItem)["type"] == typing.Literal[models.MediaBaseType.CLIP]
    )


def test_an_unrelated_redeclaration_flattens_the_subclass(models: ModuleType) -> None:
    assert not issubclass(models.ItemPage, models.Wrapper)
    assert list(models.ItemPage.model_fields) == list(models.Wrapper.model_fields)
    assert typing.get_type_hints(models.ItemPage)["links"] == models.Links | None


def test_a_compatible_override_keeps_the_base(models: ModuleType) -> None:
    assert issubclass(models.NamedRequired, models.Named)
    assert models.NamedRequired.model_fields["name"].is_required()
    assert not models.Named.model_fields["name"].is_required()


def _wire(value: Any) -> Any:
    return value.model_dump(mode="json", by_alias=True, exclude_unset=True)


def test_known_and_unknown_tags_parse_from_a_server(
    pkg: ModuleType, models: ModuleType, base_url: str
) -> None:
    with pkg.Media(base_url=base_url) as client:
        page = client.items.list_items()
        playing = client.items.get_playing()
        named = client.items.get_named()
    episode, clip, track, chapter = page.data
    assert [type(v).__name__ for v in page.data] == ["EpisodeItem", "ClipItem", "Track", "APIModel"]
    assert episode.type is models.MediaBaseType.EPISODE and episode.type == "episode"
    assert clip.type is models.MediaBaseType.CLIP and clip.seconds == 30
    assert type(chapter) is clientcore.APIModel and _wire(chapter) == CHAPTER
    assert isinstance(page.links, models.Links) and page.links.next == "/items?page=2"
    assert _wire(page) == PAGE
    assert type(playing.item) is clientcore.APIModel and _wire(playing.item) == CHAPTER
    assert type(named) is models.NamedRequired and named.name == "n"


async def test_the_async_client_parses_them_too(pkg: ModuleType, base_url: str) -> None:
    async with pkg.AsyncMedia(base_url=base_url) as client:
        page = await client.items.list_items()
    assert [type(v).__name__ for v in page.data] == ["EpisodeItem", "ClipItem", "Track", "APIModel"]


@pytest.mark.parametrize(
    ("body", "cls"), [(EPISODE, "EpisodeItem"), (TRACK, "Track"), (CHAPTER, "APIModel")]
)
def test_a_discriminator_among_other_field_arguments_is_opened(
    models: ModuleType, body: dict[str, Any], cls: str
) -> None:
    playing = models.Playing.model_validate({"item": body})
    assert type(playing.item).__name__ == cls
    assert _wire(playing.item) == body


def test_an_episode_validated_alone_rejects_another_tag(models: ModuleType) -> None:
    with pytest.raises(ValueError, match="type"):
        models.EpisodeItem.model_validate({**EPISODE, "type": "clip"})


# -- the pass on its own ---------------------------------------------------------------

_HEAD = "from typing import Any, Literal\n\nfrom clientcore import APIModel, OpenEnum\n\n\n"


@pytest.mark.parametrize(
    ("base", "sub", "kept"),
    [
        ("str | None = None", "str", True),  # made required
        ("str", "Literal['a']", True),
        ("Kind", "Literal['a']", True),  # narrowed to Literal[Kind.A]
        ("Kind", "Literal['z']", False),  # not a member: flattened
        ("list[dict[str, Any]] | None = None", "list[Other] | None = None", False),
        ("dict[str, Any] | None = None", "Other | None = None", False),
        ("Any", "Other", True),
        ("Other", "Other2", True),  # a subclass of the base's class
        ("Other2", "Other", False),
        ("float", "int", True),
        ("list[int]", "list[bool]", False),  # invariant
    ],
)
def test_overrides_kept_or_flattened(base: str, sub: str, kept: bool) -> None:
    source = (
        _HEAD
        + "class Kind(OpenEnum):\n    A = 'a'\n\n\n"
        + "class Other(APIModel):\n    x: int\n\n\n"
        + "class Other2(Other):\n    y: int\n\n\n"
        + f"class Base(APIModel):\n    id: str\n    f: {base}\n\n\n"
        + f"class Sub(Base):\n    f: {sub}\n"
    )
    out = fix_overrides(source)
    namespace: dict[str, Any] = {}
    exec(compile(out, "<models>", "exec"), namespace)
    assert issubclass(namespace["Sub"], namespace["Base"]) is kept
    assert list(namespace["Sub"].model_fields) == ["id", "f"]
    if sub == "Literal['a']" and base == "Kind":
        assert "f: Literal[Kind.A]" in out
    elif kept:
        assert out == source


def test_flattening_through_two_levels_keeps_other_bases_order_and_config() -> None:
    """``C(B, M)`` with ``B(A)``, ``C.x`` clashing with ``A.x``: ``C`` takes ``B``'s and
    ``A``'s fields and keeps ``M``; pydantic's field order and the config are as before;
    a subclass of ``C`` is left alone."""
    source = (
        _HEAD
        + "class A(APIModel):\n    model_config = ConfigDict(frozen=False, title='A')\n"
        + "    a: int\n    x: dict[str, Any] | None = None\n\n\n"
        + "class B(A):\n    b: str\n\n\n"
        + "class M(APIModel):\n    m: int\n\n\n"
        + "class C(B, M):\n    '''C.'''\n\n    model_config = ConfigDict(title='C')\n"
        + "    c: int\n    x: M | None = None\n\n\n"
        + "class D(C):\n    d: int\n"
    ).replace("from clientcore", "from pydantic import ConfigDict\nfrom clientcore")
    before: dict[str, Any] = {}
    exec(compile(source, "<before>", "exec", dont_inherit=True), before)
    after: dict[str, Any] = {}
    exec(compile(fix_overrides(source), "<after>", "exec", dont_inherit=True), after)
    assert after["C"].__bases__ == (after["M"],)
    assert after["D"].__bases__ == (after["C"],)
    for name in ("C", "D"):
        assert list(after[name].model_fields) == list(before[name].model_fields)
    assert after["C"].model_fields["x"].annotation == after["M"] | None
    assert after["C"].model_config["title"] == "C"
    assert after["C"].model_config["frozen"] is False
    assert after["C"].__doc__ == "C."
