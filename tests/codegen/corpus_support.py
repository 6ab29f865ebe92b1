"""The spec corpus (``../shared/specs-corpus``): its specs, the package name each gets, and
the warnings each must give (shared by ``test_corpus_all`` and ``test_corpus_install``)."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

__all__ = ["CORPUS", "EXPECTED", "SPECS", "generate_project", "package_name"]

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "specs-corpus"
# Every spec, Plaid included, as a path relative to the corpus.
SPECS = sorted(
    p.relative_to(CORPUS).as_posix()
    for p in CORPUS.rglob("*")
    if p.suffix in (".yaml", ".yml", ".json")
)
# spec -> the warnings it gives (substrings of the `warning:` lines), beyond none
EXPECTED: dict[str, tuple[str, ...]] = {
    "oas-examples/3.0/parameters-extreme.yaml": ("parameter 'id' (body) renamed to 'id_body'",),
    "oas-examples/3.0/schema-validation.yaml": ("is not a 'time'",),
    "oas-examples/3.1/schema-validation-local.yaml": (
        "Unknown JSON Schema dialect",
        "greater than or equal to the maximum",
    ),
    "oas-examples/3.1/schema-validation-top-level.yaml": ("greater than or equal to the maximum",),
}


def package_name(spec: str) -> str:
    """``oas-examples/3.0/petstore.yaml`` -> ``oas_examples_3_0_petstore_client``."""
    stem = spec.rsplit(".", 1)[0].lower()
    return re.sub(r"[^a-z0-9]+", "_", stem).strip("_") + "_client"


def generate_project(spec: str, out: str) -> tuple[int, str]:
    """``python -m codegen generate --spec CORPUS/spec --out out --package NAME``, in this
    process (no flags); the exit status and what it printed on stderr."""
    from codegen import cli

    err = io.StringIO()
    args = ["generate", "--spec", str(CORPUS / spec), "--out", out]
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        status = cli.main([*args, "--package", package_name(spec)])
    return status, err.getvalue()
