"""YAML and JSON a spec author can use against the compiler: alias bombs, nesting past
the limit, control bytes, half characters; every problem one line naming file and line
(and the pointer where there is one)."""

from __future__ import annotations

from pathlib import Path

import pytest

from codegen.diagnostics import Diagnostic, SpecError, one_line
from codegen.load.guard import Limits
from codegen.load.loader import load_spec
from tests.codegen.hostile_support import HEADER, assert_one_line, run_main, write

NO_PATHS = HEADER + "paths: {}\n"


def billion_laughs(levels: int = 9) -> str:
    """Each level lists the previous one nine times: 9**levels values from ~1 KB."""
    lines = ['  a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, levels + 1):
        lines.append(f"  a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]")
    return NO_PATHS + "x-bomb:\n" + "\n".join(lines) + "\n"


def test_billion_laughs_fails_fast_with_one_line_error_naming_file_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = write(tmp_path / "openapi.yaml", billion_laughs())
    assert spec.stat().st_size < 1024
    with pytest.raises(SpecError) as caught:
        load_spec(spec)
    text = assert_one_line(caught.value, file=spec)
    assert "YAML aliases expand to more than 100,000 values" in text
    assert caught.value.line is not None and 7 <= caught.value.line <= 16
    assert caught.value.pointer.startswith("/x-bomb/a")
    args = ["generate", "--spec", str(spec), "--out", str(tmp_path / "o"), "--package", "o"]
    status, err = run_main(args, capsys)
    assert status == 2 and err.count("\n") == 1 and "alias" in err


def test_aliases_within_the_limit_expand_as_before(tmp_path: Path) -> None:
    spec = write(
        tmp_path / "openapi.yaml",
        NO_PATHS
        + "x-shared: &err {type: object, properties: {message: {type: string}}}\n"
        + "components:\n  schemas:\n"
        + "".join(f"    E{i}: *err\n" for i in range(50))
        + "    Merged:\n      <<: *err\n      description: with a merge key\n",
    )
    schemas = load_spec(spec).document["components"]["schemas"]
    assert (
        schemas["E49"]
        == schemas["E0"]
        == {"type": "object", "properties": {"message": {"type": "string"}}}
    )
    assert schemas["Merged"]["description"] == "with a merge key"
    assert schemas["Merged"]["properties"] == schemas["E0"]["properties"]


def test_alias_limit_is_configurable(tmp_path: Path) -> None:
    spec = write(tmp_path / "openapi.yaml", billion_laughs(levels=2))  # 9 + 81 + 729 values
    assert load_spec(spec).document["x-bomb"]["a2"][8][8][8] == "lol"
    with pytest.raises(SpecError, match="more than 100 values"):
        load_spec(spec, limits=Limits(max_alias_values=100))


def test_nesting_through_aliases_past_the_depth_limit_is_refused_with_pointer(
    tmp_path: Path,
) -> None:
    inner = "[" * 600 + "1" + "]" * 600  # each part nests less than libyaml's own limit
    spec = write(
        tmp_path / "openapi.yaml", NO_PATHS + f"x-a: &a {inner}\nx-b: {'[' * 500}*a{']' * 500}\n"
    )
    with pytest.raises(SpecError) as caught:
        load_spec(spec)
    text = assert_one_line(caught.value, file=spec)
    assert "nested more than 1,000 levels deep" in text
    assert caught.value.line == 6  # the line of the text that nests (the anchored list)
    assert caught.value.pointer.startswith("/x-b/0/0/0")
    assert caught.value.pointer.count("/") == 1000


def test_yaml_nested_past_libyaml_limit_is_one_line_with_its_line(tmp_path: Path) -> None:
    spec = write(tmp_path / "openapi.yaml", NO_PATHS + "x-deep: " + "[" * 1001 + "]" * 1001 + "\n")
    with pytest.raises(SpecError) as caught:
        load_spec(spec)
    assert "exceeded maximum nesting depth" in assert_one_line(caught.value, file=spec)
    assert caught.value.line == 6


def test_json_nested_past_the_depth_limit_is_refused_with_pointer(tmp_path: Path) -> None:
    # "\/" is valid JSON and invalid YAML: the file goes through the JSON reader
    body = '{"openapi": "3.0.3", "info": {"title": "T\\/", "version": "1"}, "paths": {}, '
    for depth, pointer_depth in ((998, None), (5000, 1000)):
        spec = write(tmp_path / "openapi.json", body + f'"x-d": {"[" * depth}{"]" * depth}}}')
        if pointer_depth is None:
            assert load_spec(spec).document["info"]["title"] == "T/"
            continue
        with pytest.raises(SpecError) as caught:
            load_spec(spec)
        assert "nested more than 1,000 levels deep" in assert_one_line(caught.value, file=spec)
        assert caught.value.pointer.count("/") == pointer_depth


def test_bundled_document_past_the_depth_limit_is_refused_where_the_file_nests(
    tmp_path: Path,
) -> None:
    spec = write(tmp_path / "openapi.yaml", HEADER + "paths:\n  /x:\n    $ref: 'b.yaml#/item'\n")
    item = write(
        tmp_path / "b.yaml",
        "item:\n  get:\n    responses:\n      '200':\n        description: d\n        content:\n"
        "          application/json:\n            schema:\n              type: object\n"
        "              properties:\n                a:\n                  type: object\n"
        "                  properties:\n                    b: {type: string}\n",
    )
    assert load_spec(spec, limits=Limits(max_depth=13)).document["paths"]["/x"]["get"]
    with pytest.raises(SpecError) as caught:  # each file is 12 deep; bundled, 13
        load_spec(spec, limits=Limits(max_depth=12))
    text = assert_one_line(caught.value, file=item)
    assert "nested more than 12 levels deep (after bundling)" in text
    assert caught.value.line == 14 and caught.value.pointer.endswith("/properties/b")


def test_control_byte_in_yaml_is_a_one_line_error_with_its_line(tmp_path: Path) -> None:
    spec = write(tmp_path / "openapi.yaml", (NO_PATHS + "x-note: a\x01b\n").encode())
    with pytest.raises(SpecError) as caught:
        load_spec(spec)
    text = assert_one_line(caught.value, file=spec)
    assert caught.value.line == 6 and "control character U+0001" in text
    escaped = write(tmp_path / "ok.yaml", NO_PATHS + 'x-note: "a\\x01b"\n')
    assert load_spec(escaped).document["x-note"] == "a\x01b"


def test_nul_byte_in_yaml_is_a_one_line_error_with_its_line(tmp_path: Path) -> None:
    spec = write(tmp_path / "openapi.yaml", (NO_PATHS + "x-a: 1\nx-note: a\x00b\n").encode())
    with pytest.raises(SpecError) as caught:
        load_spec(spec)
    assert "U+0000" in assert_one_line(caught.value, file=spec) and caught.value.line == 7


def test_yaml_syntax_error_is_one_line(tmp_path: Path) -> None:
    spec = write(tmp_path / "openapi.yaml", NO_PATHS + "x-a: [1, 2\nx-b: }\n")
    with pytest.raises(SpecError) as caught:
        load_spec(spec)
    assert "YAML syntax error" in assert_one_line(caught.value, file=spec)


def test_undecodable_bytes_are_one_line(tmp_path: Path) -> None:
    spec = write(tmp_path / "openapi.yaml", NO_PATHS.encode() + b"x-a: \xff\xfe\n")
    with pytest.raises(SpecError) as caught:
        load_spec(spec)
    assert "not UTF-8" in assert_one_line(caught.value, file=spec)


def test_lone_surrogate_in_json_is_refused_with_pointer(tmp_path: Path) -> None:
    spec = write(
        tmp_path / "openapi.json",
        '{"openapi": "3.0.3", "info": {"title": "T\\/", "version": "1"}, "paths": {},'
        ' "x-a": ["fine \\ud83d\\ude00", "half \\ud800"]}',
    )
    with pytest.raises(SpecError) as caught:
        load_spec(spec)
    assert "lone UTF-16 surrogate" in assert_one_line(caught.value, file=spec)
    assert caught.value.pointer == "/x-a/1"


def test_spec_error_and_warning_text_is_one_printable_line_whatever_they_quote() -> None:
    hostile = "a\nb\r\nc\x00d\x1b[31m\u2028e\x85" + "x" * 2000
    error = SpecError(Path("spec\n.yaml"), 3, "/paths/a\nb" + "/k" * 500, hostile)
    text = str(error)
    assert "\n" not in text and "\r" not in text and text.isprintable()
    assert text.startswith("spec .yaml:3: /paths/a b/k/k") and "\\x00" in text and "\\x1b" in text
    assert " ..." in text and len(text) < 1000
    warning = Diagnostic(Path("w.yaml"), None, "", hostile)
    assert "\n" not in str(warning) and str(warning).startswith("w.yaml: /: warning: a b")
    assert one_line("tab\there") == "tab here" and one_line("\u2028") == "\\u2028"
