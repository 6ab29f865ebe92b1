"""DIAL URLs and upload arguments of ``dial_client``, without a server: ``DialPath``,
``parse_url`` (reference dial.md §4's table, plus what aidial-client gets wrong), the
per-segment encoding (a hypothesis property: no name leaves its segment), and
``file_part`` (every accepted ``file=`` form)."""

from __future__ import annotations

import io
import pickle
import re
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

import pytest
from dial_client import (
    DialException,
    DialParameterError,
    DialPath,
    InvalidDialURLError,
    InvalidDialURLException,
    NotDialURLError,
)
from dial_client._custom.uploads import file_part
from dial_client._custom.urls import encode_segment, parse_url
from hypothesis import given
from hypothesis import strategies as st

import clientcore

BASE = "http://dial.test:8080"


def parsed(url: object, base: str = BASE, expected: str = "files") -> tuple[str, str, str]:
    r = parse_url(url, base, expected)
    return r.group, r.bucket, r.path


# ---------------------------------------------------------------------------- DialPath


def test_dial_path_joins_like_a_posix_path() -> None:
    home = DialPath("files", "B")
    assert isinstance(home, PurePosixPath) and str(home) == "files/B"
    assert str(home / "some-relative-path/my-file.txt") == "files/B/some-relative-path/my-file.txt"
    joined = home / "a" / "b c.txt"
    assert isinstance(joined, DialPath) and joined.name == "b c.txt"
    assert joined.parent == DialPath("files/B/a") and joined.parts[:2] == ("files", "B")
    assert str(home.joinpath("x", "y/")) == "files/B/x/y/"
    assert repr(joined) == "DialPath('files/B/a/b c.txt')"


def test_dial_path_keeps_a_folder_slash() -> None:
    home = DialPath("files", "B")
    folder = home / "docs/"
    assert folder.is_folder and str(folder) == "files/B/docs/"
    assert not (folder / "a.txt").is_folder and str(folder / "a.txt") == "files/B/docs/a.txt"
    assert DialPath("files/B/docs/").is_folder and not DialPath("files/B/docs").is_folder
    assert DialPath("files/B/docs/") != DialPath("files/B/docs")
    assert str("files" / DialPath("B/docs/")) == "files/B/docs/"
    assert pickle.loads(pickle.dumps(folder)) == folder
    assert PurePosixPath("files/B/docs/") == PurePosixPath("files/B/docs")  # why it matters


# ---------------------------------------------------------------------------- parse_url


@pytest.mark.parametrize(
    ("url", "path"),
    [
        ("files/B/x.txt", "x.txt"),
        (PurePosixPath("files") / "B" / "x.txt", "x.txt"),
        ("files/B/a b/c#d?.txt", "a%20b/c%23d%3F.txt"),
        ("files/B/a%20b.txt", "a%20b.txt"),  # already encoded: not encoded twice
        ("files/B/ü.txt", "%C3%BC.txt"),
        ("files/B/x.txt?q=1", "x.txt%3Fq%3D1"),
        ("files/B/x.txt#frag", "x.txt%23frag"),
        ("files/B/100%.txt", "100%25.txt"),
        ("files/B/dir/", "dir/"),
        ("files/B/", ""),
        (DialPath("files/B") / "dir/", "dir/"),
        (f"{BASE}/v1/files/B/x.txt", "x.txt"),
        (f"{BASE}/v1/files/B/a%20b/c.txt", "a%20b/c.txt"),
        (f"{BASE}/v1/files/B/a b.txt", "a%20b.txt"),
    ],
)
def test_urls_become_encoded_api_paths(url: object, path: str) -> None:
    assert parsed(url) == ("files", "B", path)


def test_absolute_urls_under_a_base_path_prefix() -> None:
    base = "https://h.example/dial"
    assert parsed("https://h.example/dial/v1/files/B/x", base) == ("files", "B", "x")
    with pytest.raises(InvalidDialURLError, match="API URL"):
        parse_url("https://h.example/v1/files/B/x", base)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("files/B", "missing the path"),
        ("files//x.txt", "missing the bucket"),
        ("files/x-y/z.txt", "not a bucket name"),
        ("/v1/files/B/x", "root-relative"),
        ("/files/B/x", "root-relative"),
        ("v1/files/B/x", "API prefix v1/"),
        ("v2/files/B/x", "API prefix v2/"),
        ("files/B/../x", "'..' segment"),
        ("files/B/./x", "'.' segment"),
        ("files/B/%2E%2E/x", "'..' segment"),
        ("files/B/a//b", "empty path segment"),
        ("files/B/a%2Fb", "encoded '/'"),
        ("prompts/B/x", "wrong resource type 'prompts'"),
        ("other/B/x", "unknown resource type 'other'"),
        (f"{BASE}/v2/files/B/x", "API URL"),
        (f"{BASE}/files/B/x", "API URL"),
        (f"{BASE}/v1/files/B/x?y=1", "query or fragment"),
        ("", "empty URL"),
        (42, "not int"),
        (b"files/B/x", "not bytes"),
    ],
)
def test_invalid_urls_raise_invalid_dial_url_error(url: object, message: str) -> None:
    with pytest.raises(InvalidDialURLError, match=re.escape(message)) as err:
        parse_url(url, BASE)
    assert err.value.parameter == "url" and not isinstance(err.value, NotDialURLError)


@pytest.mark.parametrize(
    "url",
    [
        "http://other.host:8080/v1/files/B/x",
        "https://dial.test:8080/v1/files/B/x",  # same host, other scheme
        "http://dial.test:9999/v1/files/B/x",
        "//other.host/v1/files/B/x",
    ],
)
def test_urls_of_another_dial_raise_not_dial_url_error(url: str) -> None:
    with pytest.raises(NotDialURLError, match="not on this client's DIAL"):
        parse_url(url, BASE)


def test_url_errors_are_the_apis_parameter_errors() -> None:
    assert InvalidDialURLException is InvalidDialURLError
    for cls in (DialException, DialParameterError, clientcore.ParameterError, ValueError):
        assert issubclass(InvalidDialURLError, cls)
    assert issubclass(NotDialURLError, InvalidDialURLError)
    err = InvalidDialURLError("url", "bad")
    assert err.status_code is None and pickle.loads(pickle.dumps(err)).message == err.message


def test_expected_groups_and_parameter_names() -> None:
    assert parsed("prompts/B/p/x", expected="prompts") == ("prompts", "B", "p/x")
    with pytest.raises(InvalidDialURLError) as err:
        parse_url("files/B/..", BASE, parameter="destination")
    assert err.value.parameter == "destination"
    assert parse_url("files/B/d/", BASE).name is None
    assert parse_url("files/B/d/a%20b", BASE).name == "a b"
    with pytest.raises(InvalidDialURLError, match="is a folder"):
        parse_url("files/B/d/", BASE).require_item()


_SEGMENT = st.text(min_size=1, max_size=30).filter(lambda s: unquote(s) not in ("", ".", ".."))


@given(_SEGMENT)
def test_no_name_leaves_its_segment(segment: str) -> None:
    """Every encoded segment is unreserved characters and %XX only, and decodes back."""
    try:
        encoded = encode_segment(segment)
    except ValueError:
        assert "/" in unquote(segment)
        return
    assert re.fullmatch(r"(?:[A-Za-z0-9_.~-]|%[0-9A-F]{2})+", encoded)
    assert unquote(encoded) == unquote(segment)
    assert encode_segment(encoded) == encoded  # idempotent: never encoded twice


# ---------------------------------------------------------------------------- file_part


def test_file_forms_become_the_part_aidial_client_sends(tmp_path: Path) -> None:
    assert file_part(b"data") == ("upload", b"data", "application/octet-stream")
    assert file_part(bytearray(b"ab")) == ("upload", b"ab", "application/octet-stream")
    assert file_part("text ü") == ("upload", "text ü".encode(), "application/octet-stream")
    buffer = io.BytesIO(b"in memory")
    assert file_part(buffer) == ("upload", buffer, "application/octet-stream")
    local = tmp_path / "report.csv"
    local.write_bytes(b"a,b")
    with open(local, "rb") as handle:
        assert file_part(handle) == ("report.csv", handle)  # httpx guesses text/csv
    with open(local) as text_mode:
        with pytest.raises(DialParameterError, match="binary mode"):
            file_part(text_mode)  # type: ignore[arg-type]


def test_file_tuples_in_either_order() -> None:
    data = io.BytesIO(b"x")
    seed = ("filename.txt", "text/plain", data)
    aidial = ("filename.txt", data, "text/plain")
    assert file_part(seed) == file_part(aidial) == ("filename.txt", data, "text/plain")
    assert file_part(("f.txt", "text/plain", b"b")) == ("f.txt", b"b", "text/plain")
    assert file_part(("f.txt", b"b", "text/plain")) == ("f.txt", b"b", "text/plain")
    assert file_part(("f.txt", "text/plain", "words")) == ("f.txt", b"words", "text/plain")
    assert file_part(("f.txt", "words", "text/plain")) == ("f.txt", b"words", "text/plain")
    assert file_part(("f.csv", b"a,b")) == ("f.csv", b"a,b")
    assert file_part((None, b"a")) == ("upload", b"a")  # Q11: never a part without a name
    assert file_part(("f.bin", b"a", None)) == ("f.bin", b"a")
    with pytest.raises(DialParameterError, match="4 items"):
        file_part(("f", b"a", "text/plain", {"X": "1"}))  # type: ignore[arg-type]
    with pytest.raises(DialParameterError, match="not int"):
        file_part(("f", 5, "text/plain"))  # type: ignore[arg-type]
