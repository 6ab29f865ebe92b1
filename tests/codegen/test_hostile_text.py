"""NUL and control characters in spec text (descriptions, titles, enum values, names) are
escaped in the generated code, which compiles and holds the spec's text; a generated
module that would not compile is a compiler bug caught before anything is written."""

from __future__ import annotations

from pathlib import Path

import pytest

from codegen import pipeline
from codegen.diagnostics import CompilerBug
from codegen.ir.escapes import escape_nonprintable
from codegen.pipeline import Compiled, check_compiles, compile_spec, generate_into, write_package
from tests.codegen.hostile_support import python, run_main, single_error_line, write

CONTROL_SPEC = r"""openapi: 3.0.3
info:
  title: "Ctl\0T\r"
  version: "1\0"
paths:
  "/x/{id}":
    get:
      operationId: getX
      summary: "sum\0mary \x1b[31m red"
      description: "d\0esc \r x \u2029 \"\"\" \\ end"
      parameters:
        - name: id
          in: path
          required: true
          description: "p\0 \r \u2028"
          schema: {type: string, enum: ["a\0", "b\r", "c\u2028", "d\x85"]}
      responses:
        "200":
          description: "o\0k"
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Note"}
components:
  schemas:
    Note:
      type: object
      title: "Ti\0tle"
      description: "a\0b \x01 \r \x0b \x0c \x1c \x85 \u2028 \u2029 end \\ \"\"\""
      properties:
        "i\0d": {type: string, description: "x\0y \r \u2028", title: "t\0"}
        after: {type: string}
        kind: {type: string, enum: ["a\0", "e\x1b", "f\u2028"], default: "a\0"}
    Odd:
      type: string
      description: "\u2028 \r \0"
      enum: ["\0", "\r", "\u2028", "\\", "'", "\"\"\""]
"""


def _raw_controls(text: str) -> set[str]:
    return {c for c in text if not c.isprintable() and c not in "\n\t"}


def test_nul_and_control_characters_in_text_are_escaped_and_the_package_compiles(
    tmp_path: Path,
) -> None:
    spec = write(tmp_path / "openapi.yaml", CONTROL_SPEC)
    compiled = compile_spec(spec, package="ctl_client")
    write_package(compiled.files, tmp_path / "ctl_client")
    for path in (tmp_path / "ctl_client").rglob("*"):
        if path.is_file() and path.suffix in (".py", ".md"):
            text = path.read_text(encoding="utf-8")
            assert not _raw_controls(text), (path, _raw_controls(text))
            if path.suffix == ".py":
                compile(text, str(path), "exec")
    check = python(
        "from ctl_client import Note, Odd, GetXId, CtlTClient\n"
        "assert [m.value for m in Odd] == ['\\0', '\\r', '\\u2028', '\\\\', \"'\", '\"\"\"']\n"
        "assert [m.value for m in GetXId] == ['a\\0', 'b\\r', 'c\\u2028', 'd\\x85']\n"
        "assert '\\0' in Note.__doc__ and '\\u2028' in Note.__doc__ and '\\x85' in Note.__doc__\n"
        "assert Note.model_fields['i_d'].alias == 'i\\0d'\n"
        "assert Note.model_fields['i_d'].description == 'x\\0y \\r \\u2028'\n"
        "note = Note.model_validate({'i\\0d': 'v', 'after': 'w'})\n"
        "assert note.i_d == 'v' and note.after == 'w' and note.kind.value == 'a\\0'\n"
        "doc = CtlTClient.get_x.__doc__\n"
        "assert 'sum\\0mary \\x1b[31m red' in doc and '\\u2029' in doc\n",
        tmp_path,
    )
    assert check.returncode == 0, check.stderr


def test_line_separator_in_a_description_keeps_every_field_after_it(tmp_path: Path) -> None:
    spec = write(
        tmp_path / "openapi.yaml",
        CONTROL_SPEC.replace('"a\\0b \\x01', '"\\u2028 first \\x85 \\x1c'),
    )
    note = compile_spec(spec, package="n_client").files["models/note.py"]
    assert all(f"{name}:" in note for name in ("i_d", "after", "kind"))


def test_escaping_keeps_the_value_of_any_string_literal() -> None:
    for text in ["plain", "a\0b", "\r\n\t", "\u2028\u2029\x85", "\x1b[0m", "\ud800", "\\ \x01"]:
        body = text.replace("\\", "\\\\").replace('"', '\\"')
        literal = escape_nonprintable(f'"""{body}"""')  # a docstring-like literal
        assert "\0" not in literal and "\r" not in literal
        assert eval(literal) == text  # our own literal
    assert escape_nonprintable("tab\tand\nnewline stay") == "tab\tand\nnewline stay"


def test_generated_module_that_would_not_compile_is_caught_before_writing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = write(tmp_path / "openapi.yaml", CONTROL_SPEC)
    real = pipeline.render_package

    def broken(*args: object, **kwargs: object) -> dict[str, str]:
        files = real(*args, **kwargs)  # type: ignore[arg-type]
        files["models/note.py"] += "\nclass Broken(:\n"
        return files

    monkeypatch.setattr(pipeline, "render_package", broken)
    with pytest.raises(CompilerBug) as caught:
        compile_spec(spec, package="ctl_client")
    text = str(caught.value)
    assert text.startswith("models/note.py:") and "\n" not in text
    assert "generated code does not compile" in text and "compiler bug" in text

    out = tmp_path / "out" / "ctl_client"
    write(out / "marker.txt", "the previous package")
    args = ["generate", "--spec", str(spec), "--out", str(out), "--package", "ctl_client"]
    status, err = run_main(args, capsys)
    assert status == 3 and "models/note.py" in single_error_line(err)
    assert sorted(p.name for p in out.iterdir()) == ["marker.txt"]  # untouched
    assert [p.name for p in out.parent.iterdir()] == ["ctl_client"]  # no staging left


def test_nul_in_generated_source_is_a_compiler_bug_not_a_package(tmp_path: Path) -> None:
    files = {"__init__.py": "X = 1\n", "models/bad.py": 'DOC = "a\0b"\n', "api.md": "x"}
    with pytest.raises(CompilerBug, match="models/bad.py"):
        check_compiles(files)
    out = tmp_path / "pkg"
    write(out / "kept.py", "KEPT = True\n")
    with pytest.raises(CompilerBug, match="models/bad.py"):
        generate_into(Compiled("pkg", files, []), out)  # ruff refuses it; compile() names it
    assert [p.name for p in out.iterdir()] == ["kept.py"]


def test_header_label_with_a_line_break_stays_one_comment_line(tmp_path: Path) -> None:
    spec = write(tmp_path / "openapi.yaml", CONTROL_SPEC)
    compiled = compile_spec(spec, package="h_client", label="evil\nimport os\rlabel")
    for rel, text in compiled.files.items():
        if rel.endswith(".py") and not rel.startswith("_custom"):
            first, second = text.splitlines()[:2]
            assert first.startswith("# Generated by codegen from evil import os label"), rel
            assert not second.startswith("import os"), rel
