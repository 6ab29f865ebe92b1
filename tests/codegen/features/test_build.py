"""The generated features package as a package: it passes ``mypy --strict``, the compiler has
nothing to warn about (its cookie parameter is supported), its config, exports and resource layout are
as the spec says, and mutually recursive models are complete on first use.
"""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.codegen.features.conftest import PACKAGE, ROOT


def test_mypy_strict(built: tuple[Path, list[str]]) -> None:
    out, _ = built
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-error-summary",
            "--cache-dir",
            str(out / ".mypy_cache"),
            PACKAGE,
        ],
        cwd=out,
        env={**os.environ, "MYPYPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout


def test_warnings(built: tuple[Path, list[str]]) -> None:
    _, warnings = built
    assert warnings == []


def test_config_and_layout(pkg: Any) -> None:
    config = importlib.import_module(PACKAGE + "._config").CONFIG
    assert config.default_base_url == "https://eu.example.com/api"
    assert config.default_security == ("bearer",)
    assert config.retry.max_retries == 1
    assert config.timeout == 5
    assert {
        "FeaturesClient",
        "AsyncFeaturesClient",
        "Thing",
        "NOT_GIVEN",
        "APIResponse",
        "FeaturesNotThere",
        "FeaturesMissing",
    } <= set(pkg.__all__)
    c = pkg.FeaturesClient("tok")
    assert type(c.chat.completions).__name__ == "ChatCompletions"
    assert type(c.things.tags).__name__ == "ThingsTags"


def test_recursive_models_complete_on_first_use(pkg: Any) -> None:
    folder = Path(pkg.__file__).parent / "models"
    for module in folder.glob("*.py"):
        assert ".model_rebuild()\n" not in module.read_text()
    # Tree and Forest refer to each other: one module holds both (no import cycle).
    assert pkg.models.Tree.__module__ == pkg.models.Forest.__module__
    tree = pkg.Tree.model_validate(
        {"name": "a", "children": [{"name": "b", "children": []}], "parent": {"trees": []}}
    )
    assert tree.children[0].name == "b"
    assert isinstance(tree.parent, pkg.Forest)
    assert pkg.Forest(trees=[pkg.Tree(name="x")]).trees[0].name == "x"
