"""The event path of the YAML reader (codegen.load.yamlevents) gives what the composer
path gives, value for value (types and key order included) and line for line, and hands
every case it does not cover back to the composer path, whose errors stay exact."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml  # type: ignore[import-untyped]
from hypothesis import given, settings
from hypothesis import strategies as st

from codegen.diagnostics import SpecError
from codegen.load.guard import DEFAULT_LIMITS
from codegen.load.yamlevents import read_events
from codegen.load.yamlsrc import parse
from tests.codegen.loader_support import CORPUS

ROOT = Path(__file__).parents[2]


def _typed(value: Any) -> Any:
    """A value with every scalar's type spelled out (``1``, ``1.0`` and ``True`` differ)
    and every mapping's key order kept."""
    if isinstance(value, dict):
        return ("map", [(k, _typed(v)) for k, v in value.items()])
    if isinstance(value, list):
        return ("seq", [_typed(v) for v in value])
    return (type(value).__name__, repr(value))


def _both(text: str) -> tuple[Any, Any]:
    raw = text.encode()
    return parse(Path("t.yaml"), raw), parse(Path("t.yaml"), raw, events=False)


def _spec_files() -> list[Path]:
    found = [
        p
        for folder in (ROOT / "specs", ROOT / "tests", CORPUS)
        if folder.is_dir()
        for p in sorted(folder.rglob("*"))
        if p.suffix in {".yaml", ".yml", ".json"} and p.is_file() and ".venv" not in p.parts
    ]
    return [p for p in found if p.stat().st_size < 4_000_000]


def test_event_path_equals_the_composer_path_on_every_spec_file() -> None:
    files = _spec_files()
    assert len(files) > 100  # specs/, the test specs and the corpus
    read = 0
    for path in files:
        raw = path.read_bytes()
        try:
            slow = parse(path, raw, events=False)
        except SpecError:
            continue  # bad on purpose: test_errors_stay_exact below
        fast = read_events(raw.decode("utf-8-sig"), DEFAULT_LIMITS.max_depth)
        if fast is None:
            continue  # anchors, merge keys...: the composer path read it
        read += 1
        assert _typed(fast[0]) == _typed(slow[0]), path
        assert fast[1] == slow[1], path
    assert read > 100


@pytest.mark.parametrize(
    "text",
    [
        "a: 1\nb: 1.5\nc: true\nd: ~\ne: null\nf: 0x1F\ng: 0o17\nh: .inf\ni: -.INF\nj: .nan\n",
        "on: yes\nno: off\ndate: 2020-01-01\nver: 1.2.3\nsci: 1e3\nsigned: +12\nneg: -0.5\n",
        "quoted: '12'\ndq: \"true\"\nempty:\nexplicit: !!str 12\nint: !!int '7'\nf: !!float 1\n",
        "custom: !thing value\nbang: ! 12\nts: !!timestamp 2001-12-14\nblock: |\n  x\n  y\n",
        "200:\n  x: 1\n'404': 2\ntrue: 3\n1.5: 4\n",
        "- a\n- - b\n  - c\n- {k: v}\n-\n  - 1\n",
        "",
        "just text\n",
        "---\na: [1, 2, {b: [c, d]}]\n...\n",
        '{"json": {"a": [1, 2.5, true, null, "x"]}, "b": {}}',
        "a:\n  b:\n    c: [\n      1,\n      2]\n  d: >\n    folded\n    text\n",
        "value: <<\nlist: [<<]\n",
    ],
)
def test_event_path_equals_the_composer_path_on_edge_cases(text: str) -> None:
    fast, slow = _both(text)
    assert _typed(fast[0]) == _typed(slow[0])
    assert fast[1] == slow[1]


@pytest.mark.parametrize(
    "text",
    [
        "a: &x {b: 1}\nc: *x\n",  # anchors and aliases
        "base: &b {x: 1}\nm:\n  <<: *b\n  y: 2\n",  # a merge key
        "a: 1\na: 2\n",  # a duplicate key (an error)
        "? [a, b]\n: 1\n",  # a collection as a key (an error)
        "a: 1\n---\nb: 2\n",  # two documents (an error)
        "a: !!int abc\n",  # a scalar that fails its tag (an error)
        "a: [1, 2\n",  # a syntax error
        "!!str key: 1\n",  # a tagged key
    ],
)
def test_event_path_gives_up_where_the_composer_path_owns_the_case(text: str) -> None:
    assert read_events(text, DEFAULT_LIMITS.max_depth) is None


def test_event_path_gives_up_past_the_depth_limit() -> None:
    assert read_events("a: {b: {c: 1}}\n", 3) is not None
    assert read_events("a: {b: {c: {d: 1}}}\n", 3) is None


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("a: 1\nb:\n  c: 1\n  c: 2\n", 4, "duplicate key 'c' (first at line 3)"),
        ("a: !!int abc\n", 1, "cannot read 'abc'"),
        ("a: [1, 2\nb: 3\n", 2, "YAML syntax error: did not find expected ',' or ']'"),
        ("a: 1\n---\nb: 2\n", 2, "but found another document"),
    ],
)
def test_errors_stay_exact(text: str, line: int, words: str) -> None:
    messages = []
    for events in (True, False):
        with pytest.raises(SpecError) as caught:
            parse(Path("t.yaml"), text.encode(), events=events)
        assert caught.value.line == line
        assert words in str(caught.value)
        messages.append(str(caught.value))
    assert messages[0] == messages[1]


_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=False),
    st.text(max_size=12),
    st.sampled_from(["on", "no", "yes", "~", "null", "0x1F", "0o17", "1e3", ".inf", "<<", "-"]),
    st.sampled_from(["2020-01-01", "1.2.3", "+12", "-.5", "12:30", "a: b", "#x", "'q'", "\\t"]),
)
_KEYS = st.one_of(st.text(min_size=1, max_size=8), st.sampled_from(["200", "true", "1.5", "~"]))
_DOCS = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(_KEYS, inner, max_size=4)),
    max_leaves=25,
)


@settings(max_examples=150, deadline=None)
@given(
    doc=_DOCS,
    flow=st.sampled_from([None, True, False]),
    style=st.sampled_from([None, "'", '"', "|"]),
)
def test_event_path_equals_the_composer_path_on_generated_documents(
    doc: Any, flow: bool | None, style: str | None
) -> None:
    text = yaml.safe_dump(doc, default_flow_style=flow, default_style=style, allow_unicode=True)
    slow = parse(Path("t.yaml"), text.encode(), events=False)
    fast = read_events(text, DEFAULT_LIMITS.max_depth)
    if fast is None:  # the one case of these documents the event path leaves alone
        assert "<<" in text
        return
    assert _typed(fast[0]) == _typed(slow[0])
    assert fast[1] == slow[1]
