"""Every spec of ../shared/specs-corpus (oas-examples 3.0 and 3.1, museum, petstore...,
Plaid aside: it has its own test) compiles in-process with no flags, as published.

Specs whose shown values their own schemas refuse, or that declare a JSON Schema
dialect the validator does not know, compile with warnings naming the schema; vendor
extensions are one info line.  (``test_corpus.py`` also imports and type-checks the
larger ones.)
"""

from __future__ import annotations

import pytest

from codegen.pipeline import compile_spec
from tests.codegen.corpus_support import CORPUS, EXPECTED
from tests.codegen.corpus_support import SPECS as ALL_SPECS

SPECS = [spec for spec in ALL_SPECS if not spec.startswith("plaid")]

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="spec corpus not available")


def test_the_corpus_is_all_here() -> None:
    assert len(SPECS) >= 50 and set(EXPECTED) <= set(SPECS)


@pytest.mark.parametrize("spec", SPECS)
def test_every_corpus_spec_compiles_as_published(spec: str) -> None:
    compiled = compile_spec(CORPUS / spec, package="corpus_client")
    assert "corpus_client/__init__.py" in compiled.files or "__init__.py" in compiled.files
    warnings = [str(w) for w in compiled.warnings]
    for expected in EXPECTED.get(spec, ()):
        assert any(expected in w for w in warnings), (expected, warnings)
    assert all("\n" not in w for w in warnings)
