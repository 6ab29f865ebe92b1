"""Property tests of the tensor codec (``decthings_client.DecthingsTensor``).

Every dtype and shape round-trips; the official client (decthings-api 0.0.4) decodes
what we encode and encodes byte-for-byte what we encode, outside its known bugs
(decthings.md §1.3, §2.5, §6.6), each of which has its own test here saying how we
differ: varints at exactly 65,536 and 2**32, media elements (generation A's fixed
3-byte format; its audio/video writers raise), a numeric tensor followed by another in
one blob, ``binary`` elements (its constructor, and so its reader, refuses ``bytes``).
"""

from __future__ import annotations

import math
import struct
import subprocess
import sys
import warnings
from typing import Any

import numpy as np
import pytest
from decthings_client import (
    DecthingsElementAudio,
    DecthingsElementImage,
    DecthingsElementVideo,
    DecthingsTensor,
    TensorFormatError,
)
from decthings_client._custom.tensor import DTYPES, read_varint, write_varint

with warnings.catch_warnings():  # its package imports websockets' deprecated legacy API
    warnings.simplefilter("ignore", DeprecationWarning)
    from decthings_api import tensor as official
    from decthings_api import varint as official_varint
from hypothesis import given, settings
from hypothesis import strategies as st

INT_RANGES = {
    "i8": (-(2**7), 2**7 - 1),
    "i16": (-(2**15), 2**15 - 1),
    "i32": (-(2**31), 2**31 - 1),
    "i64": (-(2**63), 2**63 - 1),
    "u8": (0, 2**8 - 1),
    "u16": (0, 2**16 - 1),
    "u32": (0, 2**32 - 1),
    "u64": (0, 2**64 - 1),
}
MEDIA = {
    "image": DecthingsElementImage,
    "audio": DecthingsElementAudio,
    "video": DecthingsElementVideo,
}
NUMPY = {"f32": "<f4", "f64": "<f8", "boolean": "bool"} | {
    k: ("i1" if k == "i8" else "u1" if k == "u8" else f"<{k[0]}{int(k[1:]) // 8}")
    for k in INT_RANGES
}

shapes = st.lists(st.integers(0, 4), min_size=0, max_size=3)


def elements(dtype: str) -> st.SearchStrategy[Any]:
    if dtype in INT_RANGES:
        return st.integers(*INT_RANGES[dtype])
    if dtype == "f32":
        return st.floats(width=32)
    if dtype == "f64":
        return st.floats()
    if dtype == "boolean":
        return st.booleans()
    if dtype == "string":
        return st.text(max_size=12)
    if dtype == "binary":
        return st.binary(max_size=12)
    fmt = st.text(max_size=8).filter(lambda s: len(s.encode()) <= 255)
    return st.builds(MEDIA[dtype], fmt, st.binary(max_size=12))


@st.composite
def tensors(draw: st.DrawFn, dtypes: tuple[str, ...] = DTYPES) -> tuple[str, list[int], list[Any]]:
    dtype = draw(st.sampled_from(dtypes))
    shape = draw(shapes)
    count = math.prod(shape)
    data = draw(st.lists(elements(dtype), min_size=count, max_size=count))
    return dtype, shape, data


def same(a: Any, b: Any) -> bool:
    """Equal, NaN equal to NaN (floats compared as their f64 bits)."""
    if isinstance(a, float) and isinstance(b, float):
        return struct.pack("<d", a) == struct.pack("<d", b) or (math.isnan(a) and math.isnan(b))
    return bool(a == b)


@settings(max_examples=300, deadline=None)
@given(tensors())
def test_every_dtype_and_shape_round_trips(case: tuple[str, list[int], list[Any]]) -> None:
    dtype, shape, data = case
    tensor = DecthingsTensor(data, dtype, shape)
    encoded = tensor.serialize()
    back, end = DecthingsTensor.deserialize(encoded)
    assert end == len(encoded)
    assert back.type() == dtype and back.shape() == shape
    assert len(back.elements()) == len(data)
    expected = (
        data if dtype != "f32" else [struct.unpack("<f", struct.pack("<f", x))[0] for x in data]
    )
    assert all(same(x, y) for x, y in zip(back.elements(), expected, strict=True))
    assert back == tensor and back.serialize() == encoded


@settings(max_examples=100, deadline=None)
@given(st.lists(tensors(), max_size=4))
def test_a_blob_of_concatenated_tensors_parses_back(
    cases: list[tuple[str, list[int], list[Any]]],
) -> None:
    made = [DecthingsTensor(d, t, s) for t, s, d in cases]
    blob = b"".join(t.serialize() for t in made)
    assert DecthingsTensor.deserialize_many(blob) == made


def _official(dtype: str, shape: list[int], data: list[Any]) -> Any:
    if dtype == "binary":  # its list constructor refuses bytes (a known bug): an object array
        arr = np.empty(len(data), dtype=object)
        arr[:] = data
        return official.DecthingsTensor(arr, dtype, shape)
    if dtype in NUMPY:
        return official.DecthingsTensor(np.array(data, dtype=NUMPY[dtype]), dtype, shape)
    return official.DecthingsTensor(data, dtype, shape)


NON_MEDIA = tuple(d for d in DTYPES if d not in MEDIA)


@settings(max_examples=300, deadline=None)
@given(tensors(NON_MEDIA))
def test_byte_identical_to_the_official_codec(case: tuple[str, list[int], list[Any]]) -> None:
    dtype, shape, data = case
    ours = DecthingsTensor(data, dtype, shape).serialize()
    theirs = _official(dtype, shape, data).serialize()
    assert ours == theirs


@settings(max_examples=300, deadline=None)
@given(tensors(tuple(d for d in NON_MEDIA if d != "binary")))
def test_the_official_client_decodes_what_we_encode(case: tuple[str, list[int], list[Any]]) -> None:
    dtype, shape, data = case
    ours = DecthingsTensor(data, dtype, shape)
    decoded, end = official.DecthingsTensor.deserialize(ours.serialize())
    assert end == len(ours.serialize())
    assert decoded.type() == dtype and decoded.shape() == shape
    flat = decoded.numpy().reshape(-1).tolist()
    assert all(same(x, y) for x, y in zip(flat, ours.elements(), strict=True))


@settings(max_examples=300, deadline=None)
@given(tensors(NON_MEDIA))
def test_we_decode_what_the_official_client_encodes(case: tuple[str, list[int], list[Any]]) -> None:
    dtype, shape, data = case
    theirs = _official(dtype, shape, data)
    back, _ = DecthingsTensor.deserialize(theirs.serialize())
    flat = theirs.numpy().reshape(-1).tolist()
    assert back.shape() == shape
    assert all(same(x, y) for x, y in zip(back.elements(), flat, strict=True))


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(tuple(NUMPY)), shapes, st.data())
def test_numpy_arrays_in_and_out(dtype: str, shape: list[int], draw: st.DataObject) -> None:
    data = draw.draw(
        st.lists(elements(dtype), min_size=math.prod(shape), max_size=math.prod(shape))
    )
    arr = np.array(data, dtype=NUMPY[dtype]).reshape(shape)
    tensor = DecthingsTensor(arr, dtype)
    assert tensor.shape() == shape
    assert tensor.numpy().tobytes() == arr.tobytes() and tensor.numpy().shape == arr.shape
    assert tensor == DecthingsTensor(data, dtype, shape)


# -- varints -------------------------------------------------------------------------------


@settings(max_examples=500)
@given(
    st.one_of(
        st.integers(0, 2**64 - 1),
        st.sampled_from(
            [252, 253, 2**16 - 1, 2**16, 2**16 + 1, 2**32 - 1, 2**32, 2**32 + 1, 2**64 - 1]
        ),
    )
)
def test_varints_round_trip_and_match_the_official_reader(value: int) -> None:
    encoded = write_varint(value)
    assert read_varint(encoded, 0) == (value, len(encoded))
    assert official_varint.deserialize_varuint64(encoded) == (value, len(encoded))
    if value not in (2**16, 2**32):
        assert official_varint.serialize_varuint64(value) == encoded


@pytest.mark.parametrize(
    ("value", "encoded"), [(2**16, "fe00010000"), (2**32, "ff0000000100000000")]
)
def test_varint_thresholds_where_the_official_writer_fails(value: int, encoded: str) -> None:
    # decthings-api 0.0.4 compares with <= and cannot fit 65536 in two bytes (nor 2**32 in
    # four); the definition (and its own reader) put these in the next width.
    assert write_varint(value).hex() == encoded
    with pytest.raises(OverflowError):
        official_varint.serialize_varuint64(value)


def test_a_65536_byte_element_encodes_where_the_official_client_cannot() -> None:
    element = "a" * 2**16
    ours = DecthingsTensor([element], "string", [])
    encoded = ours.serialize()
    assert encoded[:3] == bytes([11, 0, 254])  # body length 65541: the u32 form
    assert encoded[7:12] == bytes([254, 0, 1, 0, 0])  # element length 65536: u32 too
    assert DecthingsTensor.deserialize(encoded)[0].item() == element
    assert official.DecthingsTensor.deserialize(encoded)[0].item() == element  # it reads it
    with pytest.raises(OverflowError):
        official.DecthingsTensor([element], "string", []).serialize()


def test_the_official_reader_cannot_rebuild_binary_tensors() -> None:
    # its deserialize() passes the bytes elements to its own constructor, which refuses
    # bytes for dtype=binary (it checks for str): no binary tensor ever decodes there.
    tensor = DecthingsTensor([b"\x00\xff", b""], "binary", [2])
    assert DecthingsTensor.deserialize(tensor.serialize())[0] == tensor
    with pytest.raises(TypeError, match="dtype=binary"):
        official.DecthingsTensor.deserialize(tensor.serialize())


def test_the_official_reader_fails_on_a_numeric_tensor_followed_by_another() -> None:
    first, second = DecthingsTensor([1, 2], "i32", [2]), DecthingsTensor(["x"], "string", [1])
    blob = first.serialize() + second.serialize()
    assert DecthingsTensor.deserialize_many(blob) == [first, second]
    with pytest.raises(ValueError, match="Unexpected end"):
        official.DecthingsTensor.deserialize_many(blob)


# -- media elements -------------------------------------------------------------------------


def test_media_uses_the_length_prefixed_format_of_generations_b_and_c() -> None:
    image = DecthingsTensor([DecthingsElementImage("png", b"\x01\x02")], "image", [1])
    assert image.serialize().hex() == "0e0101070603706e670102"  # decthings.md §2.3
    old = official.DecthingsTensor(
        [official.DecthingsElementImage("png", b"\x01\x02")], "image", [1]
    )
    assert old.serialize().hex() == "0e01010605706e670102"  # generation A: no length byte
    assert old.serialize() != image.serialize()


@pytest.mark.parametrize("kind", ["audio", "video"])
def test_audio_and_video_round_trip_where_the_official_writer_raises(kind: str) -> None:
    element = MEDIA[kind]("wav" if kind == "audio" else "mp4", b"\x00\x01\x02")
    tensor = DecthingsTensor([element, element], kind, [2])
    assert DecthingsTensor.deserialize(tensor.serialize())[0].elements() == (element, element)
    cls = official.DecthingsElementAudio if kind == "audio" else official.DecthingsElementVideo
    with pytest.raises(ValueError, match="Corrupt tensor"):
        official.DecthingsTensor([cls(element.format, element.data)], kind, [1]).serialize()


# -- the seed's call and bad input ------------------------------------------------------------


def test_the_seeds_tensor() -> None:
    tensor = DecthingsTensor(["My input text"], "string", [])
    assert (
        tensor.item() == "My input text"
        and tensor.shape() == []
        and tensor.tolist() == "My input text"
    )
    assert (
        tensor.serialize() == official.DecthingsTensor(["My input text"], "string", []).serialize()
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (([1, 2], "i33", [2]), "unknown element type 'i33'"),
        (([1, 2, 3], "i32", [2]), r"shape \[2\] holds 2 elements, data has 3"),
        (([1.5], "i32", [1]), "i32 elements are ints, not float"),
        (([300], "u8", [1]), "300 is out of range for u8"),
        (([1e39], "f32", [1]), "out of range for f32"),
        ((["a"], "binary", [1]), "binary elements are bytes"),
        (([1], "boolean", [1]), "boolean elements are bool, not int"),
        (([b"x"], "image", [1]), "image elements are DecthingsElementImage"),
        (([1], "i32", [-1]), "dimensions are ints >= 0"),
        (("abc", "string", [3]), "flat list of elements"),
    ],
)
def test_bad_tensors_name_the_problem(args: tuple[Any, str, list[int]], message: str) -> None:
    with pytest.raises(TensorFormatError, match=message):
        DecthingsTensor(*args)


@pytest.mark.parametrize(
    ("blob", "message"),
    [
        (b"\x05", "truncated tensor header"),
        (b"\x63\x00", "unknown tensor type byte 99"),
        (b"\x05\x01\x02\x01\x00", "needs 8 bytes, 2 left"),
        (b"\x0b\x01\x01\x05\x01", "body of 5 bytes, 1 left"),
        (b"\x0b\x01\x01\x02\x05a", "element runs past"),
        (b"\x0b\x00\x02\x01\xff", "not UTF-8"),
        (b"\x05\x01\xfd\x01", "truncated varint"),
    ],
)
def test_malformed_blobs_name_the_problem(blob: bytes, message: str) -> None:
    with pytest.raises(TensorFormatError, match=message):
        DecthingsTensor.deserialize_many(blob)


def test_numpy_is_never_imported_unless_used() -> None:
    code = (
        "import sys\n"
        "from decthings_client import DecthingsTensor\n"
        "t = DecthingsTensor([1, 2], 'i32', [2])\n"
        "assert DecthingsTensor.deserialize(t.serialize())[0].tolist() == [1, 2]\n"
        "assert 'numpy' not in sys.modules, 'numpy imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
