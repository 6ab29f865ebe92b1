"""Bad uses of the features spec's extensions: malformed ``x-methods`` / ``x-links`` shapes and
method-name collisions are SpecErrors pointing at the right line, and a link whose
``positional`` list cannot work is skipped with a warning.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from codegen.diagnostics import SpecError
from codegen.pipeline import compile_spec
from tests.codegen.features.conftest import PACKAGE, SPEC


def _compile_variant(tmp_path: Path, old: str, new: str) -> Any:
    text = SPEC.read_text()
    assert old in text
    path = tmp_path / "openapi.yaml"
    path.write_text(text.replace(old, new))
    return compile_spec(path, package=PACKAGE), path.read_text()


def _line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


@pytest.mark.parametrize(
    ("old", "new", "needle", "pointer", "message"),
    [
        (
            "resource: catalog.shelf}",
            "resource: catalog..shelf}",
            "browse:",
            "/paths/~1things/get/x-methods/browse/resource",
            "x-methods: must be '' or dotted identifiers, not 'catalog..shelf'",
        ),
        (
            'resource: ""}   # links',
            "resource: [a]}   # links",
            "tag_thing:",
            "/paths/~1things~1{thing_id}~1tags/put/x-methods/tag_thing/resource",
            "must be '' or dotted identifiers",
        ),
        (
            "positional: [tags]",
            "positional: tags",
            "positional: tags",
            "/components/schemas/Thing/x-links/tag/positional",
            "x-links: must be a list, not 'tags'",
        ),
        (
            "positional: [tags]",
            "positional: [{a: 1}]",
            "positional: [{a: 1}]",
            "/components/schemas/Thing/x-links/tag/positional/0",
            "must be a string",
        ),
    ],
)
def test_bad_shapes_are_spec_errors(
    tmp_path: Path, old: str, new: str, needle: str, pointer: str, message: str
) -> None:
    text = SPEC.read_text()
    assert old in text
    path = tmp_path / "openapi.yaml"
    path.write_text(text.replace(old, new))
    with pytest.raises(SpecError) as info:
        compile_spec(path, package=PACKAGE)
    err = info.value
    assert (err.file, err.pointer) == (path, pointer)
    assert err.line == _line_of(path.read_text(), needle)
    assert message in err.message


def test_method_name_collision_is_a_spec_error(tmp_path: Path) -> None:
    text = SPEC.read_text().replace(
        "        browse: {kind: page",
        '        login: {kind: call, resource: ""}\n        browse: {kind: page',
    )
    path = tmp_path / "openapi.yaml"
    path.write_text(text)
    with pytest.raises(SpecError) as info:
        compile_spec(path, package=PACKAGE)
    err = info.value
    assert err.pointer == "/paths/~1login/post"  # the later of the two
    assert err.line == _line_of(text, "operationId: login") - 1
    assert "'login' of operation 'login'" in err.message
    assert "operation 'listThings' (/paths/~1things/get/x-methods/login)" in err.message
    assert "on the client" in err.message
    # the same name on different resources is fine
    path.write_text(text.replace('login: {kind: call, resource: ""}', "login: {kind: call}"))
    compiled = compile_spec(path, package=PACKAGE)
    assert "def login(" in compiled.files["resources/things.py"]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("positional: [tags]", "positional: [thing_id]", "'thing_id' is bound by the link"),
        ("positional: [tags]", "positional: [nope]", "'nope' is not a parameter of set_tags"),
        ("positional: [tags]", "positional: [tags, tags]", "'tags' is listed twice"),
        (
            "parameters: {name: $response.body#/id}",
            "parameters: {name: $response.body#/id}\n          positional: [color, X-Request-Id]",
            "required positional 'X-Request-Id' follows an optional one",
        ),
    ],
)
def test_bad_positional_skips_the_link_with_a_warning(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    compiled, _ = _compile_variant(tmp_path, old, new)
    found = [w for w in compiled.warnings if message in w.message]
    assert found, [w.message for w in compiled.warnings]
    assert found[0].pointer.endswith("/positional") and "link skipped" in found[0].message
    skipped = "tag" if "tags" in old else "clone"
    assert f"def {skipped}(" not in compiled.files["_links.py"]
