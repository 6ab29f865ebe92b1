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
# spec -> the warnings it gives: each `warning:` line must contain one of these, and each
# of these must be in some line (a body field named like a parameter is renamed; values
# the spec shows that its own schemas refuse; what the client does not support)
_SHOWN = "a value the spec shows was not checked or does not match its schema: "
_FORMATS = (
    _SHOWN + "'23:20:50.52' is not a 'time'",
    _SHOWN + "'Bücher.example' is not a 'idn-hostname'",
    _SHOWN + "'12345' is not of type 'integer'",
    _SHOWN + "'3000000000' is not of type 'integer'",
    _SHOWN + "'1.0' is not of type 'number'",
    _SHOWN + "'3000000000.0' is not of type 'number'",
)
_MAXIMUM = _SHOWN + "12 is greater than or equal to the maximum of True"
EXPECTED: dict[str, tuple[str, ...]] = {
    "oas-examples/3.0/parameters-extreme.yaml": ("parameter 'id' (body) renamed to 'id_body'",),
    "oas-examples/3.0/petstore.yaml": ("parameter 'username' (body) renamed to 'username_body'",),
    "oas-examples/3.0/schema-circular.yaml": (
        "header parameter 'Authorization' is set by the client; skipped",
    ),
    "oas-examples/3.0/schema-deprecated.yaml": (
        "parameter 'status' (body) renamed to 'status_body'",
    ),
    "oas-examples/3.0/schema-validation.yaml": _FORMATS,
    "oas-examples/3.1/petstore.yaml": ("parameter 'username' (body) renamed to 'username_body'",),
    "oas-examples/3.1/schema-validation-local.yaml": (
        *_FORMATS,
        _MAXIMUM,
        _SHOWN + "Unknown JSON Schema dialect: 'https://json-schema.org/draft-05/schema#'",
        _SHOWN + "Unknown JSON Schema dialect: 'https://json-schema.org/draft-06/schema#'",
        _SHOWN + "Unknown JSON Schema dialect: 'https://json-schema.org/draft-07/schema#'",
        _SHOWN + "True is not of type 'number'",
    ),
    "oas-examples/3.1/schema-validation-top-level.yaml": (_MAXIMUM,),
    "oas-examples/3.1/security.yaml": ("security scheme not supported; ignored",),
    "spotify.yaml": (
        "parameter 'uris' (body) renamed to 'uris_body'",
        "parameter 'position' (body) renamed to 'position_body'",
        "parameter 'ids' (body) renamed to 'ids_body'",
    ),
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
