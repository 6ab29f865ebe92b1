"""Fuzzing the compiler with mutated specs (hypothesis): whatever is done to a valid spec
(one to three of: keys removed, values given another type, refs broken, files truncated,
bytes inserted), the compiler either succeeds, and every generated module compiles, or
reports SpecErrors whose text is one line; never another exception, never a hang.

The sources are small valid specs (``tests/specs/*``, ``tests/codegen/good_multifile``)
and every API's spec (``specs/*``: Scale, and each API as it lands); each example
changes files of a fresh copy. Examples are derandomized (the same ones on every run)
and few, to keep CI short; set ``CODEGEN_FUZZ_EXAMPLES`` to run a longer campaign.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from codegen.diagnostics import SpecError
from codegen.load.yamlsrc import parse
from codegen.pipeline import Compiled, compile_spec
from tests.codegen.hostile_support import ROOT, assert_one_line

SOURCES = [
    *sorted(p.parent for p in (ROOT / "tests" / "specs").glob("*/openapi.yaml")),
    ROOT / "tests" / "codegen" / "good_multifile",
    *sorted(p.parent for p in (ROOT / "specs").glob("*/openapi.yaml")),  # every API's spec
]
EXAMPLES = int(os.environ.get("CODEGEN_FUZZ_EXAMPLES", "40"))
HANG_GUARD = 120.0  # seconds: a hang guard, not a speed limit

BROKEN_REFS = [
    "#/components/schemas/Nowhere",
    "#/paths",
    "#",
    "#not-a-pointer",
    "missing.yaml#/X",
    "openapi.yaml#/components/schemas",
    "../../../../etc/passwd",
    "/dev/zero",
    "https://example.com/spec.yaml#/X",
    "%00",
    "#/components/schemas/~2",
    "",
]
VALUES: list[Any] = [
    42,
    -1.5,
    "text",
    "",
    None,
    True,
    [],
    {},
    [1, "a"],
    {"$ref": "#/x"},
    "\0\u2028",
]
KINDS = ["drop_key", "retype", "break_ref", "truncate", "insert_bytes"]


@dataclass(frozen=True)
class Mutation:
    source: int
    file: int
    kind: str
    where: int  # which key, ref or byte position (taken modulo what the file has)
    value: int  # which replacement value or broken ref
    data: bytes  # inserted bytes


mutations = st.builds(
    Mutation,
    source=st.integers(0, len(SOURCES) - 1),
    file=st.integers(0, 1000),
    kind=st.sampled_from(KINDS),
    where=st.integers(0, 10**6),
    value=st.integers(0, 1000),
    data=st.binary(min_size=1, max_size=8),
)


def _places(node: Any, only_refs: bool) -> list[tuple[Any, Any]]:
    """(container, key) of every dict entry (or, with ``only_refs``, every ``$ref``)."""
    out: list[tuple[Any, Any]] = []
    stack = [node]
    while stack:
        item = stack.pop()
        pairs = item.items() if isinstance(item, dict) else enumerate(item)
        for key, value in pairs:
            if isinstance(item, dict) and (
                not only_refs or (key == "$ref" and isinstance(value, str))
            ):
                out.append((item, key))
            if isinstance(value, (dict, list)):
                stack.append(value)
    return out


def mutate(path: Path, m: Mutation) -> None:
    raw = path.read_bytes()
    if m.kind == "truncate":
        path.write_bytes(raw[: m.where % max(1, len(raw))])
        return
    if m.kind == "insert_bytes":
        at = m.where % (len(raw) + 1)
        path.write_bytes(raw[:at] + m.data + raw[at:])
        return
    try:
        data, _ = parse(path, raw)
    except SpecError:  # an earlier change broke the file: nothing to edit as data
        return
    if not isinstance(data, (dict, list)):
        return
    places = _places(data, only_refs=m.kind == "break_ref")
    if not places:
        return
    container, key = places[m.where % len(places)]
    if m.kind == "drop_key":
        del container[key]
    elif m.kind == "retype":
        container[key] = VALUES[m.value % len(VALUES)]
    else:
        container[key] = BROKEN_REFS[m.value % len(BROKEN_REFS)]
    path.write_text(json.dumps(data, indent=1), encoding="utf-8")  # JSON is YAML


def compile_guarded(root: Path) -> Compiled | BaseException:
    """``compile_spec`` in a thread: its result or exception; a hang fails the test."""
    outcome: list[Compiled | BaseException] = []

    def work() -> None:
        try:
            outcome.append(compile_spec(root, package="fuzzed_client"))
        except BaseException as exc:  # handed to the test below
            outcome.append(exc)

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    thread.join(HANG_GUARD)
    assert not thread.is_alive(), f"the compiler hung on {root}"
    return outcome[0]


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(st.lists(mutations, min_size=1, max_size=3))
def test_mutated_spec_compiles_or_gives_one_line_errors_never_a_crash_or_hang(
    changes: list[Mutation],
) -> None:
    source = SOURCES[changes[0].source]  # one to three changes to one copy of one spec
    with tempfile.TemporaryDirectory(prefix="codegen-fuzz-") as tmp:
        copy = Path(tmp) / source.name
        shutil.copytree(source, copy)
        files = sorted(p for p in copy.rglob("*") if p.suffix in (".yaml", ".yml", ".json"))
        for m in changes:
            mutate(files[m.file % len(files)], m)
        outcome = compile_guarded(copy / "openapi.yaml")
        if isinstance(outcome, SpecError):
            assert_one_line(outcome)
            return
        if isinstance(outcome, BaseException):
            raise outcome  # any other exception is a compiler bug
        for rel, text in outcome.files.items():
            if rel.endswith(".py"):
                compile(text, rel, "exec")
            assert "\0" not in text, rel
