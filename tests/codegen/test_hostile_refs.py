"""What a spec may make the compiler read: files under the entry spec's folder only
(``--allow-ref-outside DIR`` / ``allow_ref_outside=`` open others), regular files only,
each under the size cap, and a refusal never shows (or reads) the target's content."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from codegen.diagnostics import SpecError
from codegen.load import guard
from codegen.load.guard import Limits, Reader, Refused, parse_size
from codegen.load.loader import load_spec
from tests.codegen.hostile_support import (
    CORPUS,
    assert_one_line,
    get_returning,
    run_cli,
    run_main,
    single_error_line,
    write,
)

SECRET = "s3cr3t-do-not-print"
OUTSIDE_SCHEMA = f"Secret:\n  type: object\n  description: {SECRET}\n"


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every path the loader stats or opens (it reads files only through these)."""
    seen: list[str] = []
    real_stat, real_open = os.stat, os.open

    def stat(path: object, *args: object, **kwargs: object) -> os.stat_result:
        seen.append(str(path))
        return real_stat(path, *args, **kwargs)  # type: ignore[arg-type]

    def open_(path: object, *args: object, **kwargs: object) -> int:
        seen.append(str(path))
        return real_open(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(guard.os, "stat", stat)
    monkeypatch.setattr(guard.os, "open", open_)
    return seen


def test_ref_outside_spec_folder_is_refused_without_reading_it(
    tmp_path: Path, opened: list[str]
) -> None:
    write(tmp_path / "outside" / "secret.yaml", OUTSIDE_SCHEMA)
    spec = write(tmp_path / "api" / "openapi.yaml", get_returning("../outside/secret.yaml#/Secret"))
    opened.clear()
    with pytest.raises(SpecError) as caught:
        load_spec(spec)
    text = assert_one_line(caught.value, file=spec)
    assert caught.value.line == 15
    assert caught.value.pointer.endswith("/schema/$ref")
    assert "outside the spec's folder" in text and "--allow-ref-outside" in text
    assert SECRET not in text
    assert opened == [str(spec)] * 2  # the spec: stat'ed, then opened; the secret: neither


def test_absolute_ref_to_etc_passwd_prints_nothing_of_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = write(tmp_path / "openapi.yaml", get_returning("/etc/passwd"))
    out = tmp_path / "out" / "x_client"
    status, err = run_main(
        ["generate", "--spec", str(spec), "--out", str(out), "--package", "x_client"], capsys
    )
    line = single_error_line(err)
    assert status == 2 and "root:" not in line and "/etc/passwd" in line
    assert not out.exists()


def test_ref_to_dev_zero_is_refused_without_reading_it(tmp_path: Path) -> None:
    spec = write(tmp_path / "openapi.yaml", get_returning("/dev/zero"))
    args = ["generate", "--spec", "openapi.yaml", "--out", "out", "--package", "x_client"]
    refused = run_cli(*args, cwd=tmp_path)  # the hang guard: reading /dev/zero never ends
    assert refused.returncode == 2 and "outside the spec's folder" in refused.stderr
    allowed = run_cli(*args, "--allow-ref-outside", "/dev", cwd=tmp_path)
    line = single_error_line(allowed.stderr)
    assert allowed.returncode == 2 and "a character device, not a regular file" in line
    assert f"{spec.name}:15:" in line


def test_fifo_and_directory_refs_are_refused_without_blocking(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.yaml")  # opened for reading, a FIFO blocks until a writer
    (tmp_path / "folder.yaml").mkdir()
    for name, kind in (("pipe.yaml", "a FIFO"), ("folder.yaml", "a directory")):
        write(tmp_path / "openapi.yaml", get_returning(f"{name}#/X"))
        done = run_cli(
            "generate", "--spec", "openapi.yaml", "--out", "o", "--package", "o", cwd=tmp_path
        )
        line = single_error_line(done.stderr)
        assert done.returncode == 2 and f"{kind}, not a regular file" in line, line


def test_entry_spec_that_is_a_device_is_refused(tmp_path: Path) -> None:
    done = run_cli("generate", "--spec", "/dev/zero", "--out", "o", "--package", "o", cwd=tmp_path)
    line = single_error_line(done.stderr)
    assert done.returncode == 2 and "a character device" in line


def test_symlink_out_of_spec_folder_is_refused_as_outside(tmp_path: Path) -> None:
    write(tmp_path / "outside" / "secret.yaml", OUTSIDE_SCHEMA)
    api = tmp_path / "api"
    spec = write(api / "openapi.yaml", get_returning("link.yaml#/Secret"))
    (api / "link.yaml").symlink_to(tmp_path / "outside" / "secret.yaml")
    with pytest.raises(SpecError) as caught:
        load_spec(spec)
    text = assert_one_line(caught.value, file=spec)
    assert "a link to" in text and "outside the spec's folder" in text and SECRET not in text


def test_hand_written_code_symlinked_out_of_spec_folder_is_refused(tmp_path: Path) -> None:
    write(tmp_path / "outside.py", "X = 1\n")
    spec = write(
        tmp_path / "api" / "openapi.yaml",
        get_returning("#/components/schemas/A")
        + "components:\n  schemas:\n    A: {type: object}\n",
    )
    (tmp_path / "api" / "python").mkdir()
    (tmp_path / "api" / "python" / "util.py").symlink_to(tmp_path / "outside.py")
    with pytest.raises(SpecError) as caught:
        load_spec(spec)
    assert "outside the spec's folder" in assert_one_line(caught.value)


def test_allow_ref_outside_opens_the_named_folder_only(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path / "shared" / "common.yaml", "Thing:\n  type: object\n")
    write(tmp_path / "other" / "common.yaml", "Thing:\n  type: object\n")
    spec = write(tmp_path / "api" / "openapi.yaml", get_returning("../shared/common.yaml#/Thing"))
    spec_other = write(
        tmp_path / "api" / "other.yaml", get_returning("../other/common.yaml#/Thing")
    )
    loaded = load_spec(spec, allow_ref_outside=[tmp_path / "shared"])
    assert "Thing" in loaded.document["components"]["schemas"]
    with pytest.raises(SpecError, match="outside the spec's folder"):
        load_spec(spec_other, allow_ref_outside=[tmp_path / "shared"])
    out = tmp_path / "out"
    args = ["generate", "--spec", str(spec), "--out", str(out), "--package", "x_client"]
    status, err = run_main([*args, "--allow-ref-outside", str(tmp_path / "shared")], capsys)
    assert status == 0, err
    assert (out / "x_client" / "models" / "thing.py").is_file()


def test_file_over_the_size_cap_is_refused_before_it_is_read(
    tmp_path: Path, opened: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    big = write(tmp_path / "big.yaml", "Big:\n  type: object\n  description: " + "x" * 5000)
    spec = write(tmp_path / "openapi.yaml", get_returning("big.yaml#/Big"))
    opened.clear()
    with pytest.raises(SpecError) as caught:
        load_spec(spec, limits=Limits(max_file_bytes=2000))
    text = assert_one_line(caught.value, file=spec)
    assert "over the 2,000 bytes limit" in text and caught.value.pointer.endswith("/$ref")
    assert str(big) in opened  # stat'ed, to learn its size ...
    assert opened.count(str(big)) == 1  # ... and never opened
    args = ["generate", "--spec", str(spec), "--out", str(tmp_path / "o"), "--package", "o"]
    status, err = run_main([*args, "--max-file-size", "1K"], capsys)
    assert status == 2 and "over the 1,024 bytes limit" in single_error_line(err)
    assert load_spec(spec).document["components"]["schemas"]["Big"]["type"] == "object"


def test_file_growing_past_the_cap_while_read_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    big = write(tmp_path / "big.yaml", "x" * 5000)
    real_stat = os.stat

    def shrunk(path: object, *args: object, **kwargs: object) -> os.stat_result:
        info = real_stat(path, *args, **kwargs)  # type: ignore[arg-type]
        fields = list(info)
        fields[6] = 10  # st_size: what the file claimed before it grew
        return os.stat_result(fields)

    monkeypatch.setattr(guard.os, "stat", shrunk)
    with pytest.raises(Refused, match="grew over the 1,000 bytes limit while it was read"):
        Reader([tmp_path], Limits(max_file_bytes=1000)).read(big)


def test_files_of_one_spec_together_are_capped(tmp_path: Path) -> None:
    write(tmp_path / "a.yaml", "A:\n  type: object\n  description: " + "a" * 600 + "\n")
    spec = write(
        tmp_path / "openapi.yaml",
        get_returning("a.yaml#/A") + "components:\n  schemas:\n    B: {$ref: 'b.yaml#/B'}\n",
    )
    write(tmp_path / "b.yaml", "B:\n  type: object\n  description: " + "b" * 600 + "\n")
    with pytest.raises(SpecError) as caught:
        load_spec(spec, limits=Limits(max_total_bytes=1500))
    assert "over 1,500 bytes together" in assert_one_line(caught.value, file=spec)
    assert load_spec(spec, limits=Limits(max_total_bytes=3000))


def test_nul_in_a_ref_file_name_is_refused(tmp_path: Path) -> None:
    spec = write(tmp_path / "openapi.yaml", get_returning("a%00b.yaml#/X"))
    with pytest.raises(SpecError) as caught:
        load_spec(spec)
    assert "NUL" in assert_one_line(caught.value, file=spec)


def test_reader_reads_regular_files_inside_its_roots_only(tmp_path: Path) -> None:
    inside = write(tmp_path / "in" / "a.yaml", "a: 1\n")
    reader = Reader([tmp_path / "in"], Limits(max_file_bytes=100))
    assert reader.read(inside) == b"a: 1\n"
    with pytest.raises(Refused, match="outside"):
        reader.read(tmp_path / "b.yaml")
    with pytest.raises(FileNotFoundError):
        reader.read(tmp_path / "in" / "missing.yaml")


@pytest.mark.parametrize(
    ("text", "size"),
    [("16M", 16 * 2**20), ("500K", 500 * 1024), ("1G", 2**30), ("1234", 1234), ("2MiB", 2 * 2**20)],
)
def test_size_option_accepts_bytes_and_suffixes(text: str, size: int) -> None:
    assert parse_size(text) == size


@pytest.mark.parametrize("text", ["", "M", "-1", "0", "lots"])
def test_size_option_refuses_what_is_not_a_positive_size(text: str) -> None:
    with pytest.raises(ValueError):
        parse_size(text)


@pytest.mark.skipif(not CORPUS.is_dir(), reason="spec corpus not available")
def test_default_size_cap_admits_plaid_three_megabyte_spec() -> None:
    plaid = CORPUS / "plaid-2020-09-14.yml"
    assert 2 * 2**20 < plaid.stat().st_size < Limits().max_file_bytes
    spec = load_spec(plaid)
    assert len(spec.document["components"]["schemas"]) > 1000
