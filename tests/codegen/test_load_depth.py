"""The bundled document's depth check walks only what bundling moved
(codegen.load.loader._too_deep_after_bundling): at every limit it refuses exactly what a
walk of the whole bundled document refuses, and names the same file, line and pointer."""

from __future__ import annotations

from pathlib import Path

import pytest

from codegen.diagnostics import SpecError
from codegen.load.guard import Limits
from codegen.load.loader import load_spec
from codegen.load.yamlsrc import too_deep
from tests.codegen.loader_support import GOOD, HEADER

NESTED = (
    "item:\n  get:\n    responses:\n      '200':\n        description: d\n        content:\n"
    "          application/json:\n            schema:\n              type: object\n"
    "              properties:\n                a:\n                  type: object\n"
    "                  properties:\n                    b: {type: string}\n"
)


def _stacked(folder: Path) -> Path:
    """A path item put in place from another file, a response and a schema hoisted."""
    (folder / "b.yaml").write_text(NESTED)
    (folder / "c.yaml").write_text(
        "ok:\n  description: fine\n  content:\n    application/json:\n      schema:\n"
        "        $ref: 'b.yaml#/item/get/responses/200/content/application~1json/schema'\n"
    )
    spec = folder / "openapi.yaml"
    spec.write_text(
        HEADER + "paths:\n  /x:\n    $ref: 'b.yaml#/item'\n"
        "  /y:\n    get:\n      responses:\n        '200':\n          $ref: 'c.yaml#/ok'\n"
    )
    return spec


@pytest.mark.parametrize("name", ["stacked", "openapi.yaml", "openapi31.yaml"])
def test_bundled_depth_check_agrees_with_a_whole_walk_at_every_limit(
    tmp_path: Path, name: str
) -> None:
    spec = _stacked(tmp_path) if name == "stacked" else GOOD / name
    whole = load_spec(spec)  # under the default limit
    outcomes = set()
    for limit in range(2, 40):
        expected = too_deep(whole.document, limit)
        try:
            load_spec(spec, limits=Limits(max_depth=limit))
        except SpecError as err:
            if "(after bundling)" not in err.message:
                outcomes.add("a file")  # a file itself is that deep: refused while reading
                continue
            assert expected is not None, limit
            assert (err.file, err.line, err.pointer) == whole.origin(expected), limit
            outcomes.add("bundled")
        else:
            assert expected is None, limit
            outcomes.add("loaded")
    assert "loaded" in outcomes and "a file" in outcomes
    if name == "stacked":
        assert "bundled" in outcomes  # some limit only the bundled document passes
