# Copied by codegen from specs/decthings/python/tensor.py (sha256 8a933db6f4e147f8). Edit that file, not this one.
"""``DecthingsTensor``: the 16 element types, shapes, and the binary tensor format.

Design notes
------------
* Binary layout of one tensor (decthings.md §2.3): a type byte, a rank byte, one varint
  per dimension, then the body: for fixed-size types (numbers, booleans) exactly
  count x size little-endian bytes; for variable types (string, binary, image, audio,
  video) a varint of the body's byte length, then per element a varint length and the
  element's bytes. Tensors are concatenated inside a blob; a reader parses until the
  blob ends.
* Numeric tensors keep their little-endian bytes: encoding is the header plus those
  bytes, decoding a slice. ``numpy()`` is then ``frombuffer`` and ``tolist()`` an
  ``array.array`` round; numpy is optional (imported only by ``numpy()`` or when given
  an array).  A numpy array of the right dtype is not copied: the tensor reads it when
  encoded (as decthings-api's does), so encoding costs one copy of the data.
* Media elements use the generation B/C layout: a u8 length of the format text, the
  format (``png``, ``wav``...: at most 255 UTF-8 bytes), then the file bytes.
  decthings-api 0.0.4 (generation A) wrote a fixed 3-byte format with no length byte.
* Varints are unsigned 64-bit: < 253 in one byte; < 2**16 as 253 + u16 BE; < 2**32 as
  254 + u32 BE; else 255 + u64 BE.  (decthings-api 0.0.4 uses ``<=`` at the two upper
  thresholds and fails to encode exactly 65536 and 2**32; we follow the definition,
  which its decoder and the TS/Rust clients read.)
* Where decthings-api 0.0.4 is wrong (decthings.md §2.5) we differ on purpose: its
  ``binary`` constructor refuses ``bytes``, its audio/video writers raise, its reader
  refuses a numeric tensor followed by anything (the bounds check is inverted).
* Bad input gets a ``TensorFormatError`` (a ``ValueError``) naming what is wrong:
  unknown type, wrong element count for the shape, an element of the wrong kind, a
  value out of range, a truncated or malformed buffer.
"""

from __future__ import annotations

import array
import importlib
import math
import numbers
import struct
import sys
from collections.abc import Iterable, Sequence
from typing import Any, Literal, TypeAlias

__all__ = [
    "DTYPES",
    "DecthingsElementAudio",
    "DecthingsElementImage",
    "DecthingsElementVideo",
    "DecthingsTensor",
    "DType",
    "TensorFormatError",
    "read_varint",
    "write_varint",
]

DType: TypeAlias = Literal[
    "f32", "f64", "i8", "i16", "i32", "i64", "u8", "u16", "u32", "u64",
    "string", "binary", "boolean", "image", "audio", "video",
]  # fmt: skip

# name -> (type byte, element size or 0 for variable, array typecode)
_KINDS: dict[str, tuple[int, int, str]] = {
    "f32": (1, 4, "f"),
    "f64": (2, 8, "d"),
    "i8": (3, 1, "b"),
    "i16": (4, 2, "h"),
    "i32": (5, 4, "i" if array.array("i").itemsize == 4 else "l"),
    "i64": (6, 8, "q"),
    "u8": (7, 1, "B"),
    "u16": (8, 2, "H"),
    "u32": (9, 4, "I" if array.array("I").itemsize == 4 else "L"),
    "u64": (10, 8, "Q"),
    "string": (11, 0, ""),
    "binary": (12, 0, ""),
    "boolean": (13, 1, ""),
    "image": (14, 0, ""),
    "audio": (15, 0, ""),
    "video": (16, 0, ""),
}
DTYPES: tuple[str, ...] = tuple(_KINDS)
_BY_BYTE = {code: name for name, (code, _, _) in _KINDS.items()}
_NUMPY = {
    "f32": "<f4", "f64": "<f8", "i8": "i1", "i16": "<i2", "i32": "<i4", "i64": "<i8",
    "u8": "u1", "u16": "<u2", "u32": "<u4", "u64": "<u8", "boolean": "bool",
}  # fmt: skip
_SWAP = sys.byteorder != "little"
_U16 = struct.Struct(">H")
_U32 = struct.Struct(">I")
_U64 = struct.Struct(">Q")


class TensorFormatError(ValueError):
    """A tensor that cannot be built, encoded or decoded (the message says why)."""


# -- varints ------------------------------------------------------------------------------


def write_varint(value: int) -> bytes:
    """``value`` (0 <= value < 2**64) as a Decthings varint."""
    if value < 253:
        if value < 0:
            raise TensorFormatError(f"varint: {value} is negative")
        return bytes((value,))
    if value < 0x1_0000:
        return b"\xfd" + _U16.pack(value)
    if value < 0x1_0000_0000:
        return b"\xfe" + _U32.pack(value)
    if value < 0x1_0000_0000_0000_0000:
        return b"\xff" + _U64.pack(value)
    raise TensorFormatError(f"varint: {value} does not fit in 64 bits")


def read_varint(data: bytes | memoryview, pos: int) -> tuple[int, int]:
    """The varint at ``pos``: (value, position after it)."""
    try:
        first = data[pos]
        if first < 253:
            return first, pos + 1
        if first == 253:
            end = pos + 3
            value = _U16.unpack(data[pos + 1 : end])[0]
        elif first == 254:
            end = pos + 5
            value = _U32.unpack(data[pos + 1 : end])[0]
        else:
            end = pos + 9
            value = _U64.unpack(data[pos + 1 : end])[0]
    except (IndexError, struct.error):
        raise TensorFormatError(f"truncated varint at byte {pos}") from None
    return value, end


# -- media elements -----------------------------------------------------------------------


class _Media:
    """A file in one element: its format (``png``, ``wav``, ``mp4``...) and bytes."""

    __slots__ = ("data", "format")
    kind = ""

    def __init__(self, format: str, data: bytes | bytearray | memoryview) -> None:
        if not isinstance(format, str):
            raise TensorFormatError(
                f"{self.kind} format must be a str, not {type(format).__name__}"
            )
        if len(format.encode()) > 255:
            raise TensorFormatError(f"{self.kind} format is longer than 255 bytes")
        if not isinstance(data, (bytes, bytearray, memoryview)):
            raise TensorFormatError(f"{self.kind} data must be bytes, not {type(data).__name__}")
        self.format = format
        self.data = bytes(data)

    def _encode(self) -> bytes:
        tag = self.format.encode()
        return bytes((len(tag),)) + tag + self.data

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        assert isinstance(other, _Media)
        return (self.format, self.data) == (other.format, other.data)

    def __hash__(self) -> int:
        return hash((self.kind, self.format, self.data))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.format!r}, <{len(self.data)} bytes>)"


class DecthingsElementImage(_Media):
    """An image element (``DecthingsElementImage("png", data)``)."""

    __slots__ = ()
    kind = "image"


class DecthingsElementAudio(_Media):
    """An audio element (``DecthingsElementAudio("wav", data)``)."""

    __slots__ = ()
    kind = "audio"


class DecthingsElementVideo(_Media):
    """A video element (``DecthingsElementVideo("mp4", data)``)."""

    __slots__ = ()
    kind = "video"


_MEDIA: dict[str, type[_Media]] = {
    "image": DecthingsElementImage,
    "audio": DecthingsElementAudio,
    "video": DecthingsElementVideo,
}

Element: TypeAlias = int | float | bool | str | bytes | _Media


# -- the tensor ---------------------------------------------------------------------------


def _numpy() -> Any:
    """numpy, imported on first use: an optional dependency, never required."""
    try:
        return importlib.import_module("numpy")
    except ImportError:
        raise TensorFormatError("numpy is not installed (pip install numpy)") from None


def _is_ndarray(value: object) -> bool:
    return type(value).__module__ == "numpy" and hasattr(value, "__array_interface__")


def _check_shape(shape: object) -> tuple[int, ...]:
    if not isinstance(shape, (list, tuple)):
        raise TensorFormatError(f"shape must be a list of ints, not {type(shape).__name__}")
    if len(shape) > 255:
        raise TensorFormatError(f"rank {len(shape)} is above 255")
    for dim in shape:
        if isinstance(dim, bool) or not isinstance(dim, int) or dim < 0 or dim >= 1 << 64:
            raise TensorFormatError(f"shape {list(shape)!r}: dimensions are ints >= 0")
    return tuple(shape)


def _no_json(tensor: object) -> object:
    raise TypeError(
        "a DecthingsTensor has no JSON form: the envelope carries it as a blob "
        "(tolist() or numpy() give its values)"
    )


class DecthingsTensor:
    """A tensor: element type, shape (``[]`` = scalar) and row-major data.

    ``DecthingsTensor(["My input text"], "string", [])``; ``DecthingsTensor([1.0, 2.0],
    "f32", [2])``; a numpy array of the matching dtype works too (its own shape when
    ``shape`` is left out).
    """

    __slots__ = ("_dtype", "_elements", "_raw", "_shape")

    def __init__(self, data: Any, dtype: str, shape: Sequence[int] | None = None) -> None:
        if dtype not in _KINDS:
            raise TensorFormatError(f"unknown element type {dtype!r} (one of {', '.join(DTYPES)})")
        self._dtype = dtype
        self._raw: bytes | memoryview | None = None
        self._elements: tuple[Element, ...] | None = None
        if _is_ndarray(data):
            self._from_numpy(data, shape)
            return
        if shape is None:
            raise TensorFormatError("shape is required unless data is a numpy array")
        self._shape = _check_shape(shape)
        if isinstance(data, (str, bytes)) or not isinstance(data, Iterable):
            raise TensorFormatError(
                f"data must be a flat list of elements, not {type(data).__name__}"
            )
        items = list(data)
        if len(items) != self.size:
            raise TensorFormatError(
                f"shape {list(self._shape)} holds {self.size} elements, data has {len(items)}"
            )
        code = _KINDS[dtype][2]
        if code:
            self._raw = _pack_numbers(dtype, code, items)
        elif dtype == "boolean":
            for x in items:
                if not isinstance(x, bool):
                    raise TensorFormatError(f"boolean elements are bool, not {type(x).__name__}")
            self._raw = bytes(items)
        else:
            _check_elements(dtype, items)
            self._elements = tuple(items)

    def _from_numpy(self, arr: Any, shape: Sequence[int] | None) -> None:
        np = _numpy()

        dims = _check_shape(list(arr.shape) if shape is None else shape)
        self._shape = dims
        if arr.size != self.size:
            raise TensorFormatError(
                f"shape {list(dims)} holds {self.size} elements, array has {arr.size}"
            )
        want = _NUMPY.get(self._dtype)
        if want is None:
            items = arr.reshape(-1).tolist()
            _check_elements(self._dtype, items)
            self._elements = tuple(items)
            return
        if arr.dtype != np.dtype(want) and arr.dtype.newbyteorder("=") != np.dtype(
            want
        ).newbyteorder("="):
            raise TensorFormatError(
                f"element type {self._dtype} needs a {np.dtype(want)} array, not {arr.dtype}"
            )
        # not copied: the tensor reads the array when encoded (as decthings-api does)
        flat = np.ascontiguousarray(arr, dtype=np.dtype(want)).reshape(-1)
        self._raw = memoryview(flat).cast("B") if flat.size else b""

    # -- what it holds -------------------------------------------------------------------

    @property
    def dtype(self) -> str:
        """The element type (``f32`` ... ``video``)."""
        return self._dtype

    def type(self) -> str:
        """The element type (as decthings-api's ``type()``)."""
        return self._dtype

    def shape(self) -> list[int]:
        """The dimensions (``[]`` for a scalar)."""
        return list(self._shape)

    @property
    def size(self) -> int:
        """The number of elements (the product of the dimensions)."""
        return math.prod(self._shape)

    def elements(self) -> tuple[Element, ...]:
        """The elements, flat, in row-major order."""
        if self._elements is None:
            assert self._raw is not None
            if self._dtype == "boolean":
                self._elements = tuple(b != 0 for b in self._raw)
            else:
                values = array.array(_KINDS[self._dtype][2])
                values.frombytes(self._raw)
                if _SWAP:
                    values.byteswap()
                self._elements = tuple(values.tolist())
        return self._elements

    def tolist(self) -> Any:
        """The elements nested by the shape (a scalar for shape ``[]``)."""
        flat = self.elements()
        if not self._shape:
            return flat[0]
        return _nest(flat, self._shape)

    def item(self) -> Element:
        """The one element of a one-element tensor."""
        if self.size != 1:
            raise TensorFormatError(f"item() of a tensor with {self.size} elements")
        return self.elements()[0]

    def numpy(self) -> Any:
        """A numpy array (read-only view of the bytes for numeric and boolean types)."""
        np = _numpy()

        want = _NUMPY.get(self._dtype)
        if want is not None and self._raw is not None:
            return np.frombuffer(self._raw, dtype=np.dtype(want)).reshape(self._shape)
        out = np.empty(self.size, dtype=object)
        out[:] = list(self.elements())
        return out.reshape(self._shape)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, DecthingsTensor):
            return NotImplemented
        return self.serialize() == other.serialize()

    def __hash__(self) -> int:
        return hash(self.serialize())

    def __repr__(self) -> str:
        shown = self.elements()
        text = ", ".join(repr(x) for x in shown[:8]) + (", ..." if len(shown) > 8 else "")
        return f"DecthingsTensor([{text}], {self._dtype!r}, {list(self._shape)!r})"

    # -- as a model field (the spec's x-python-type) -----------------------------------

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> Any:
        """Fields typed ``DecthingsTensor`` accept a ``DecthingsTensor`` and keep it: the
        envelope codec puts tensors in (responses) and takes them out (requests), so a
        Python-mode dump returns the same object; a JSON dump refuses, saying why."""
        from pydantic_core import core_schema

        return core_schema.is_instance_schema(
            cls,
            serialization=core_schema.plain_serializer_function_ser_schema(
                _no_json, when_used="json"
            ),
        )

    # -- binary format -------------------------------------------------------------------

    def serialize(self) -> bytes:
        """The tensor in the binary format."""
        head = bytearray((_KINDS[self._dtype][0], len(self._shape)))
        for dim in self._shape:
            head += write_varint(dim)
        if self._raw is not None:
            return b"".join((head, self._raw))
        assert self._elements is not None
        parts = []
        for element in self._elements:
            encoded = _encode_element(element)
            parts.append(write_varint(len(encoded)))
            parts.append(encoded)
        body = b"".join(parts)
        return bytes(head) + write_varint(len(body)) + body

    @staticmethod
    def deserialize(
        data: bytes | bytearray | memoryview, pos: int = 0
    ) -> tuple[DecthingsTensor, int]:
        """The tensor at ``pos`` of ``data``: (tensor, position after it)."""
        view = memoryview(data).cast("B") if not isinstance(data, bytes) else data
        if len(view) < pos + 2:
            raise TensorFormatError(f"truncated tensor header at byte {pos}")
        dtype = _BY_BYTE.get(view[pos])
        if dtype is None:
            raise TensorFormatError(f"unknown tensor type byte {view[pos]} at byte {pos}")
        rank = view[pos + 1]
        pos += 2
        shape = []
        for _ in range(rank):
            dim, pos = read_varint(view, pos)
            shape.append(dim)
        tensor = DecthingsTensor.__new__(DecthingsTensor)
        tensor._dtype = dtype
        tensor._shape = tuple(shape)
        tensor._raw = None
        tensor._elements = None
        count = tensor.size
        size = _KINDS[dtype][1]
        if size:
            end = pos + count * size
            if end > len(view):
                raise TensorFormatError(
                    f"{dtype} tensor of {count} elements needs {count * size} bytes, "
                    f"{len(view) - pos} left"
                )
            tensor._raw = bytes(view[pos:end])
            return tensor, end
        length, pos = read_varint(view, pos)
        end = pos + length
        if end > len(view):
            raise TensorFormatError(
                f"{dtype} tensor body of {length} bytes, {len(view) - pos} left"
            )
        elements: list[Element] = []
        for _ in range(count):
            n, pos = read_varint(view, pos)
            if pos + n > end:
                raise TensorFormatError(f"{dtype} element runs past its tensor's body")
            elements.append(_decode_element(dtype, bytes(view[pos : pos + n])))
            pos += n
        if pos != end:
            raise TensorFormatError(
                f"{dtype} tensor body says {length} bytes, elements use {length - (end - pos)}"
            )
        tensor._elements = tuple(elements)
        return tensor, end

    @staticmethod
    def deserialize_many(data: bytes | bytearray | memoryview) -> list[DecthingsTensor]:
        """Every tensor of a blob, in order (parsed until the blob ends)."""
        out = []
        pos = 0
        while pos < len(data):
            tensor, pos = DecthingsTensor.deserialize(data, pos)
            out.append(tensor)
        return out


def _nest(flat: Sequence[Any], shape: tuple[int, ...]) -> list[Any]:
    if len(shape) == 1:
        return list(flat)
    step = len(flat) // shape[0] if shape[0] else 0
    return [_nest(flat[i * step : (i + 1) * step], shape[1:]) for i in range(shape[0])]


def _pack_numbers(dtype: str, code: str, items: list[Any]) -> bytes:
    floats = dtype in ("f32", "f64")
    for x in items:
        if isinstance(x, bool) or not isinstance(x, numbers.Real if floats else numbers.Integral):
            kind = "numbers" if floats else "ints"
            raise TensorFormatError(f"{dtype} elements are {kind}, not {type(x).__name__} ({x!r})")
    if not floats:
        items = [int(x) for x in items]
    try:
        packed = array.array(code, items)
    except OverflowError:
        bad = next(x for x in items if _out_of_range(code, x))
        raise TensorFormatError(f"{bad!r} is out of range for {dtype}") from None
    if dtype == "f32":
        for x in items:
            if math.isfinite(x) and abs(x) > 3.4028234663852886e38:
                raise TensorFormatError(f"{x!r} is out of range for f32")
    if _SWAP:
        packed.byteswap()
    return packed.tobytes()


def _out_of_range(code: str, value: Any) -> bool:
    try:
        array.array(code, [value])
    except OverflowError:
        return True
    return False


def _check_elements(dtype: str, items: list[Any]) -> None:
    if dtype == "string":
        want: tuple[type, ...] = (str,)
    elif dtype == "binary":
        want = (bytes, bytearray, memoryview)
    else:
        want = (_MEDIA[dtype],)
    for x in items:
        if not isinstance(x, want):
            names = " or ".join(t.__name__ for t in want)
            raise TensorFormatError(f"{dtype} elements are {names}, not {type(x).__name__}")
    if dtype == "binary":
        for i, x in enumerate(items):
            items[i] = bytes(x)


def _encode_element(element: Element) -> bytes:
    if isinstance(element, str):
        return element.encode()
    if isinstance(element, _Media):
        return element._encode()
    assert isinstance(element, bytes)
    return element


def _decode_element(dtype: str, raw: bytes) -> Element:
    if dtype == "string":
        try:
            return raw.decode()
        except UnicodeDecodeError as exc:
            raise TensorFormatError(f"string element is not UTF-8: {exc}") from None
    if dtype == "binary":
        return raw
    if not raw or len(raw) < 1 + raw[0]:
        raise TensorFormatError(f"{dtype} element shorter than its format")
    try:
        fmt = raw[1 : 1 + raw[0]].decode()
    except UnicodeDecodeError:
        raise TensorFormatError(f"{dtype} element format is not UTF-8") from None
    return _MEDIA[dtype](fmt, raw[1 + raw[0] :])
