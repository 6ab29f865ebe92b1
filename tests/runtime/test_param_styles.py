"""Parameter serialisation against the OpenAPI 3.x style examples table.

The table's values: ``color`` is the string ``"blue"``, the array ``["blue", "black",
"brown"]`` or the object ``{"R": 100, "G": 200, "B": 150}``.  Each case below is one cell
of the table, run through the runtime's encoders the way a call runs them (an
``Operation`` with the parameter's style, then ``render_path`` / ``encode_query`` +
``query_string`` / ``encode_headers`` / ``with_cookies``).

Where we differ from the letter of the table, on purpose:

* ``label`` without ``explode`` joins items with ``,`` (``.blue,black,brown``), as RFC 6570
  and the corrected table of OpenAPI 3.1.1 do (3.0.3's table printed ``.``), and as
  Prism reads it.
* Path items are joined by ``%2C`` rather than a literal ``,``: a server decodes a
  segment before splitting it, so it reads the same value, while URI-template routers
  (Prism's) fail on a literal comma (``tests/corpus_prism``).  The cells are compared
  after turning ``%2C`` back into ``,``.
* The query string is percent-encoded as httpx encodes ``params=`` (space as ``+``,
  ``,`` as ``%2C``); the cells are compared after decoding.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any
from urllib.parse import unquote_plus

import pydantic
import pytest

import clientcore
from clientcore._encode import (
    encode_data,
    encode_headers,
    encode_query,
    query_string,
    render_path,
    with_cookies,
)

STRING = "blue"
ARRAY = ["blue", "black", "brown"]
OBJECT = {"R": 100, "G": 200, "B": 150}


def path(style: str, explode: bool, value: object) -> str:
    op = clientcore.Operation(
        "GET",
        "/p/{color}",
        path_params={"color": clientcore.PathParam(style=style, explode=explode)},  # type: ignore[arg-type]
    )
    return render_path(op, {"color": value}).removeprefix("/p/").replace("%2C", ",")


def query(style: str, explode: bool, value: object, reserved: bool = False) -> str:
    param = clientcore.QueryParam(style=style, explode=explode, reserved=reserved)  # type: ignore[arg-type]
    op = clientcore.Operation("GET", "/q", query_params={"color": param})
    return query_string(encode_query(op, {"color": value}))


PATH_TABLE = [
    # style, explode, value, expected
    ("simple", False, STRING, "blue"),
    ("simple", False, ARRAY, "blue,black,brown"),
    ("simple", False, OBJECT, "R,100,G,200,B,150"),
    ("simple", True, STRING, "blue"),
    ("simple", True, ARRAY, "blue,black,brown"),
    ("simple", True, OBJECT, "R=100,G=200,B=150"),
    ("label", False, STRING, ".blue"),
    ("label", False, ARRAY, ".blue,black,brown"),
    ("label", False, OBJECT, ".R,100,G,200,B,150"),
    ("label", True, STRING, ".blue"),
    ("label", True, ARRAY, ".blue.black.brown"),
    ("label", True, OBJECT, ".R=100.G=200.B=150"),
    ("matrix", False, STRING, ";color=blue"),
    ("matrix", False, ARRAY, ";color=blue,black,brown"),
    ("matrix", False, OBJECT, ";color=R,100,G,200,B,150"),
    ("matrix", True, STRING, ";color=blue"),
    ("matrix", True, ARRAY, ";color=blue;color=black;color=brown"),
    ("matrix", True, OBJECT, ";R=100;G=200;B=150"),
]


@pytest.mark.parametrize(("style", "explode", "value", "expected"), PATH_TABLE)
def test_path_styles(style: str, explode: bool, value: object, expected: str) -> None:
    assert path(style, explode, value) == expected


QUERY_TABLE = [
    ("form", False, STRING, "color=blue"),
    ("form", False, ARRAY, "color=blue,black,brown"),
    ("form", False, OBJECT, "color=R,100,G,200,B,150"),
    ("form", True, STRING, "color=blue"),
    ("form", True, ARRAY, "color=blue&color=black&color=brown"),
    ("form", True, OBJECT, "R=100&G=200&B=150"),
    ("spaceDelimited", False, ARRAY, "color=blue black brown"),
    ("spaceDelimited", False, OBJECT, "color=R 100 G 200 B 150"),
    ("pipeDelimited", False, ARRAY, "color=blue|black|brown"),
    ("pipeDelimited", False, OBJECT, "color=R|100|G|200|B|150"),
    ("spaceDelimited", True, ARRAY, "color=blue&color=black&color=brown"),
    ("deepObject", True, OBJECT, "color[R]=100&color[G]=200&color[B]=150"),
]


@pytest.mark.parametrize(("style", "explode", "value", "expected"), QUERY_TABLE)
def test_query_styles(style: str, explode: bool, value: object, expected: str) -> None:
    assert unquote_plus(query(style, explode, value)) == expected


def test_query_bytes_are_encoded_like_httpx_params() -> None:
    assert query("spaceDelimited", False, ARRAY) == "color=blue+black+brown"
    assert query("pipeDelimited", False, ARRAY) == "color=blue%7Cblack%7Cbrown"
    assert query("deepObject", True, {"a b": "x&y"}) == "color%5Ba+b%5D=x%26y"


def test_allow_reserved_keeps_reserved_characters_in_the_query() -> None:
    assert query("form", True, "a/b?c=d,e") == "color=a%2Fb%3Fc%3Dd%2Ce"
    assert query("form", True, "a/b?c=d,e f", reserved=True) == "color=a/b?c=d,e%20f"


HEADER_TABLE = [
    (False, STRING, "blue"),
    (False, ARRAY, "blue,black,brown"),
    (False, OBJECT, "R,100,G,200,B,150"),
    (True, ARRAY, "blue,black,brown"),
    (True, OBJECT, "R=100,G=200,B=150"),
]


@pytest.mark.parametrize(("explode", "value", "expected"), HEADER_TABLE)
def test_header_simple_style(explode: bool, value: object, expected: str) -> None:
    op = clientcore.Operation(
        "GET", "/h", header_params={"X-Color": clientcore.HeaderParam(explode=explode)}
    )
    assert encode_headers(op, {"X-Color": value}) == {"X-Color": expected}


def test_header_scalars_and_none() -> None:
    op = clientcore.Operation("GET", "/h")
    sent = encode_headers(op, {"a": True, "b": 3, "c": None, "d": "as is, kept"})
    assert sent == {"a": "true", "b": "3", "d": "as is, kept"}


COOKIE_TABLE = [
    (True, STRING, "color=blue"),
    (True, ARRAY, "color=blue; color=black; color=brown"),
    (True, OBJECT, "R=100; G=200; B=150"),
    (False, ARRAY, "color=blue,black,brown"),
    (False, OBJECT, "color=R,100,G,200,B,150"),
]


@pytest.mark.parametrize(("explode", "value", "expected"), COOKIE_TABLE)
def test_cookie_form_style(explode: bool, value: object, expected: str) -> None:
    op = clientcore.Operation(
        "GET", "/c", cookie_params={"color": clientcore.CookieParam(explode=explode)}
    )
    assert with_cookies(op, None, {"color": value}) == {"cookie": expected}


def test_cookies_join_a_given_cookie_header_and_encode_what_rfc_6265_forbids() -> None:
    op = clientcore.Operation("GET", "/c")
    headers = with_cookies(op, {"Cookie": "session=1", "X": "y"}, {"q": "a b;c", "n": None})
    assert headers == {"X": "y", "cookie": "session=1; q=a%20b%3Bc"}
    assert with_cookies(op, {"X": "y"}, {"n": None}) == {"X": "y"}


class Color(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(populate_by_name=True)

    red: int = pydantic.Field(alias="R")
    green: int | None = pydantic.Field(default=None, alias="G")


class Shade(str, enum.Enum):
    DARK = "dark"


def test_models_enums_dates_and_nesting() -> None:
    # a model is an object by its aliases, None fields dropped
    assert path("matrix", True, Color(R=1)) == ";R=1"
    assert unquote_plus(query("deepObject", True, Color(R=1, G=2))) == "color[R]=1&color[G]=2"
    # enums by value, dates ISO 8601, booleans lower-case
    assert path("simple", False, [Shade.DARK, dt.date(2025, 1, 2), True]) == "dark,2025-01-02,true"
    # an item that is itself an array or object is compact JSON
    assert unquote_plus(query("form", True, {"a": [1, 2], "b": {"c": "d"}})) == (
        'a=[1,2]&b={"c":"d"}'
    )


def test_form_fields_arrays_and_objects() -> None:
    assert encode_data({"a": ["x", "y"], "o": {"foo": "x"}, "m": Color(R=3), "n": None}) == {
        "a": ["x", "y"],
        "o": '{"foo":"x"}',
        "m": '{"R":3}',
    }


@pytest.mark.parametrize(
    ("where", "value"),
    [("path", object()), ("path", []), ("query", object()), ("query", ["ok", object()])],
)
def test_bad_values_name_the_parameter(where: str, value: Any) -> None:
    with pytest.raises(clientcore.ParameterError) as info:
        path("label", False, value) if where == "path" else query("form", True, value)
    assert info.value.parameter == "color"


def test_deep_object_needs_an_object() -> None:
    with pytest.raises(clientcore.ParameterError, match="deepObject") as info:
        query("deepObject", True, ["a"])
    assert info.value.parameter == "color"


def test_unknown_styles_are_refused_when_the_operation_is_built() -> None:
    with pytest.raises(ValueError, match="path parameter style"):
        clientcore.PathParam(style="form")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="query parameter style"):
        clientcore.QueryParam(style="matrix")  # type: ignore[arg-type]


def test_content_typed_parameters_are_sent_as_json_text() -> None:
    json_type = "application/json"
    op = clientcore.Operation(
        "GET",
        "/c/{f}",
        path_params={"f": clientcore.PathParam(content=json_type)},
        query_params={"filter": clientcore.QueryParam(content=json_type)},
        header_params={"X-Filter": clientcore.HeaderParam(content=json_type)},
        cookie_params={"pref": clientcore.CookieParam(content=json_type)},
    )
    value = {"color": ["blue", "black"], "min": 1}
    text = '{"color":["blue","black"],"min":1}'
    assert unquote_plus(render_path(op, {"f": value})) == "/c/" + text
    assert unquote_plus(query_string(encode_query(op, {"filter": value}))) == "filter=" + text
    assert unquote_plus(query_string(encode_query(op, {"filter": "a b"}))) == 'filter="a b"'
    assert encode_headers(op, {"X-Filter": Color(R=1)}) == {"X-Filter": '{"R":1}'}
    assert with_cookies(op, None, {"pref": [1, 2]}) == {"cookie": "pref=[1%2C2]"}
    with pytest.raises(clientcore.ParameterError) as info:
        encode_query(op, {"filter": {"bad": object()}})
    assert info.value.parameter == "filter"


def test_the_compiler_keeps_style_explode_and_content(tmp_path: Any) -> None:
    """The generated ``Operation`` says how each parameter is serialised."""
    from codegen.pipeline import compile_spec, write_package

    spec = tmp_path / "styles.yaml"
    spec.write_text(
        """\
openapi: 3.0.3
info: {title: Styles, version: "1"}
paths:
  /s/{id}:
    get:
      operationId: styled
      parameters:
        - {name: id, in: path, required: true, style: matrix, explode: true,
           schema: {type: array, items: {type: string}}}
        - {name: q, in: query, style: deepObject, schema: {type: object}}
        - {name: f, in: query, content: {application/json: {schema: {type: object}}}}
        - {name: X-Tags, in: header, explode: true, schema: {type: object}}
        - {name: c, in: cookie, explode: false, schema: {type: array, items: {type: string}}}
      responses: {"200": {description: ok}}
"""
    )
    write_package(compile_spec(spec, package="styles_client").files, tmp_path / "styles_client")
    source = (tmp_path / "styles_client" / "_client.py").read_text()
    assert '"id": clientcore.PathParam(style="matrix", explode=True)' in source
    assert '"q": clientcore.QueryParam(style="deepObject")' in source
    assert '"f": clientcore.QueryParam(content="application/json")' in source
    assert 'header_params={\n        "X-Tags": clientcore.HeaderParam(explode=True)' in source
    assert 'cookie_params={\n        "c": clientcore.CookieParam(explode=False)' in source
    assert 'cookies={"c": c}' in source
