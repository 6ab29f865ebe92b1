"""Hypothesis strategies for the wire form (decoded JSON) of generated pydantic models.

``wire_values(Model)`` draws JSON values (dicts, lists, str, int, float, bool, None) that
a server may send for ``Model``; they are built from the models' field annotations, so
they follow what the class accepts rather than what a JSON schema export says:

* objects: required fields always, optional ones sometimes, keyed by the wire alias;
  a model with no fields that allows extras (the ``APIModel`` fallback of an opened
  union, free-form objects) gets arbitrary keys; ``RootModel`` is its root's value;
* ``X | None`` (nullable), unions (anyOf/oneOf), ``Literal`` (const), enums, lists,
  ``dict[str, V]`` (additionalProperties), ``Any`` (any JSON value);
* ``datetime`` / ``date`` / ``time`` as ISO 8601 strings in several spellings (``Z``,
  offsets, fractions), ``UUID`` as text; the codegen keeps uri/email/uuid formats as
  ``str`` (lenient parsing), so those positions get any text;
* ``ge``/``gt``/``le``/``lt``/``multiple_of``, ``min_length``/``max_length`` (strings and
  lists) and ``pattern``, from ``Field(...)`` or ``Annotated`` metadata.

Recursion is bounded by depth (``MAX_DEPTH`` nested objects): past it, optional fields
are left out, ``X | None`` is ``None``, lists and dicts are as short as allowed and
unions prefer members without objects.  Strategies are cached per (type, depth), so
building one for a large model graph is linear in the number of types.

``Mode`` adds the adversarial inputs a newer server may send: values a string enum does
not list and unknown tags for the variants of an opened union (``unknown_enums``), and
keys no model declares on every model that does not forbid them (``extra_keys``).
A hand-written type (schema ``x-python-type``: a class of a package's ``_custom``
modules) is drawn as the object itself, as a codec that is not JSON hands it to the
model (Decthings' envelope puts tensors where the JSON names them), by the strategy
:data:`CUSTOM` lists for its ``module.Name``.

A type without a strategy raises ``TypeError``: a new package's new type is noticed.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import math
import types
import typing
import uuid
from collections import abc
from dataclasses import dataclass, replace
from typing import Any

from hypothesis import strategies as st
from pydantic import BaseModel, RootModel
from pydantic.fields import FieldInfo

__all__ = [
    "CUSTOM",
    "MAX_DEPTH",
    "Mode",
    "any_json",
    "custom_ref",
    "extra_keys",
    "is_free_form",
    "is_tagged",
    "wire_values",
]

MAX_DEPTH = 3
_SIZE = 3  # longest list / dict / extras drawn above the depth bound
_LIMITS = ("gt", "ge", "lt", "le", "multiple_of", "min_length", "max_length", "pattern")
_UNIONS = (typing.Union, types.UnionType)


@dataclass(frozen=True)
class Mode:
    unknown_enums: bool = False  # string enums and opened-union tags take new values
    extra_keys: bool = False  # models that do not forbid extras get undeclared keys
    open_tags: bool = False  # internal: this model's Literal fields take new values


_leaf = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
any_json: st.SearchStrategy[Any] = st.recursive(
    _leaf | st.text(),
    lambda inner: (
        st.lists(inner, max_size=_SIZE) | st.dictionaries(st.text(), inner, max_size=_SIZE)
    ),
    max_leaves=8,
)
# Keys a server may add: any text, plus names that collide with Python or pydantic
# attributes of a model instance.
_ODD_KEYS = "_id _client __dict__ __class__ __pydantic_extra__ model_config model_fields model_dump"
extra_keys: st.SearchStrategy[str] = st.text() | st.sampled_from(
    [*_ODD_KEYS.split(), "root", "", "$ref", "__proto__"]
)


def wire_values(model: type[BaseModel], mode: Mode = Mode()) -> st.SearchStrategy[Any]:
    """Wire-form values of ``model`` (see the module docstring)."""
    return _model(model, mode, 0)


def _limits(metadata: typing.Iterable[Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for item in metadata:
        if isinstance(item, FieldInfo):
            out.update(_limits(item.metadata))
            continue
        for name in _LIMITS:
            value = getattr(item, name, None)
            if value is not None:
                out[name] = value
    return out


def is_free_form(tp: Any) -> bool:
    """A model without fields that keeps any key: the fallback of an opened union."""
    return (
        isinstance(tp, type)
        and issubclass(tp, BaseModel)
        and not issubclass(tp, RootModel)
        and not tp.model_fields
        and tp.model_config.get("extra") == "allow"
    )


def _has_object(tp: Any) -> bool:
    """Whether a value of ``tp`` may have to be an object (a model) at some level."""
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return True
    return any(_has_object(a) for a in typing.get_args(tp) if a is not Ellipsis)


def _wire_key(name: str, field: FieldInfo) -> str:
    key = field.validation_alias or field.alias or name
    if not isinstance(key, str):
        raise TypeError(f"field {name!r}: no strategy for validation alias {key!r}")
    return key


@functools.cache
def _model(cls: type[BaseModel], mode: Mode, depth: int) -> st.SearchStrategy[Any]:
    if depth > MAX_DEPTH + 8:
        raise TypeError(f"{cls.__name__}: required fields recurse without end")
    cls.model_rebuild()  # resolve forward references of deferred models
    if issubclass(cls, RootModel):
        root = cls.model_fields["root"]
        return _of(root.annotation, tuple(root.metadata), replace(mode, open_tags=False), depth)
    inner = replace(mode, open_tags=False)
    required: dict[str, st.SearchStrategy[Any]] = {}
    optional: dict[str, st.SearchStrategy[Any]] = {}
    for name, field in cls.model_fields.items():
        tagged = mode.open_tags and typing.get_origin(field.annotation) is typing.Literal
        value = _of(field.annotation, tuple(field.metadata), mode if tagged else inner, depth + 1)
        if field.is_required():
            required[_wire_key(name, field)] = value
        elif depth < MAX_DEPTH:
            optional[_wire_key(name, field)] = value
    objects = st.fixed_dictionaries(required, optional=optional)
    extra = cls.model_config.get("extra")
    if extra == "forbid" or not (mode.extra_keys or is_free_form(cls)):
        return objects  # ("ignore" gets keys: the runtime's rule is to keep them)
    taken = set(cls.model_fields) | {_wire_key(n, f) for n, f in cls.model_fields.items()}
    size = _SIZE if depth < MAX_DEPTH else 1
    extras = st.dictionaries(extra_keys.filter(lambda k: k not in taken), any_json, max_size=size)
    return st.tuples(objects, extras).map(lambda pair: {**pair[1], **pair[0]})


@functools.cache
def _of(tp: Any, metadata: tuple[Any, ...], mode: Mode, depth: int) -> st.SearchStrategy[Any]:
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin is typing.Annotated:
        return _of(args[0], metadata + tuple(args[1:]), mode, depth)
    limits = _limits(metadata)
    terminal = depth >= MAX_DEPTH
    if tp is Any or tp is object:
        return any_json if not terminal else _leaf
    if origin in _UNIONS:
        return _union(args, mode, depth)
    if origin is typing.Literal:
        known = st.sampled_from([a.value if isinstance(a, enum.Enum) else a for a in args])
        return known | st.text() if mode.open_tags else known
    if origin in (list, abc.Sequence) or tp is list:
        low = limits.get("min_length", 0)
        high = min(limits.get("max_length", low + _SIZE), low + _SIZE) if not terminal else low
        if high == 0:
            return st.just([])
        item = _of(args[0] if args else Any, (), mode, depth)
        return st.lists(item, min_size=low, max_size=high)
    if origin in (dict, abc.Mapping) or tp is dict:
        if args and args[0] is not str:
            raise TypeError(f"no strategy for object keys of type {args[0]!r}")
        if terminal:
            return st.just({})
        value = _of(args[1] if args else Any, (), mode, depth)
        return st.dictionaries(st.text(), value, max_size=_SIZE)
    if origin is not None:
        raise TypeError(f"no strategy for {tp!r}")
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return _model(tp, mode, depth)
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        known = st.sampled_from([member.value for member in tp])
        # Every string enum: one that is not an OpenEnum fails here, as it should.
        return known | st.text() if mode.unknown_enums and issubclass(tp, str) else known
    if tp is type(None):
        return st.none()
    if tp is bool:
        return st.booleans()
    if tp is int:
        return _integers(limits)
    if tp is float:
        return _floats(limits)
    if tp is str:
        return _strings(limits)
    if tp is bytes:  # JSON carries bytes as text (pydantic: UTF-8 both ways)
        return _strings(limits)
    if tp in _MOMENTS:
        return _MOMENTS[tp]
    if tp is uuid.UUID:
        return st.uuids().map(str)
    make = CUSTOM.get(custom_ref(tp) or "")
    if make is not None:
        return make(tp)
    raise TypeError(f"no strategy for {tp!r}")


def custom_ref(tp: Any) -> str | None:
    """``module.Name`` of a hand-written type (a class of a package's ``_custom``)."""
    module = getattr(tp, "__module__", "")
    _, found, last = module.rpartition("._custom.")
    return f"{last}.{tp.__name__}" if found and isinstance(tp, type) else None


def _tensors(cls: Any) -> st.SearchStrategy[Any]:
    f32 = st.floats(width=32, allow_nan=False, allow_infinity=False)
    return st.one_of(
        st.lists(f32, max_size=_SIZE).map(lambda xs: cls(xs, "f32", [len(xs)])),
        st.lists(st.text(max_size=5), max_size=_SIZE).map(lambda xs: cls(xs, "string", [len(xs)])),
        st.integers(-(2**63), 2**63 - 1).map(lambda x: cls([x], "i64", [])),
    )


def _money(cls: Any) -> st.SearchStrategy[Any]:
    amounts = st.decimals(-(10**6), 10**6, places=2, allow_nan=False, allow_infinity=False)
    return st.builds(cls, amounts, st.sampled_from(["EUR", "USD"]))


# module.Name of a hand-written type -> its strategy, given the package's class
CUSTOM: dict[str, typing.Callable[[Any], st.SearchStrategy[Any]]] = {
    "tensor.DecthingsTensor": _tensors,  # specs/decthings
    "money.Money": _money,  # tests/specs/pytype
}


def _union(members: tuple[Any, ...], mode: Mode, depth: int) -> st.SearchStrategy[Any]:
    if depth >= MAX_DEPTH:
        if type(None) in members:
            return st.none()
        flat = [m for m in members if not _has_object(m)]
        members = tuple(flat) or members
    options = [_of(m, (), mode, depth) for m in members]
    if mode.unknown_enums and any(is_free_form(m) for m in members):
        # An opened union: a variant the spec does not list must parse as the fallback.
        tagged = replace(mode, open_tags=True)
        options += [_model(m, tagged, depth) for m in members if is_tagged(m)]
    return st.one_of(options)


def is_tagged(tp: Any) -> bool:
    """A model with a ``Literal`` field: a variant of a (discriminated) union."""
    return (
        isinstance(tp, type)
        and issubclass(tp, BaseModel)
        and any(typing.get_origin(f.annotation) is typing.Literal for f in tp.model_fields.values())
    )


def _integers(limits: dict[str, Any]) -> st.SearchStrategy[int]:
    low = limits.get("ge", limits["gt"] + 1 if "gt" in limits else None)
    high = limits.get("le", limits["lt"] - 1 if "lt" in limits else None)
    step = limits.get("multiple_of")
    if not step:
        return st.integers(min_value=low, max_value=high)
    lo = None if low is None else -(-low // step)
    hi = None if high is None else high // step
    return st.integers(min_value=lo, max_value=hi).map(lambda k: k * step)


def _floats(limits: dict[str, Any]) -> st.SearchStrategy[float]:
    low, high = limits.get("ge", limits.get("gt")), limits.get("le", limits.get("lt"))
    step = limits.get("multiple_of")
    if step:
        lo = None if low is None else math.ceil(low / step) + ("gt" in limits)
        hi = None if high is None else math.floor(high / step) - ("lt" in limits)
        return st.integers(min_value=lo, max_value=hi).map(lambda k: float(k * step))
    floats = st.floats(
        min_value=low,
        max_value=high,
        exclude_min="gt" in limits,
        exclude_max="lt" in limits,
        allow_nan=False,
        allow_infinity=False,
    )
    # A JSON number may be written without a fraction; doubles hold integers to 2**53.
    return floats if limits else floats | st.integers(-(2**53), 2**53)


def _strings(limits: dict[str, Any]) -> st.SearchStrategy[str]:
    low, high = limits.get("min_length", 0), limits.get("max_length")
    if "pattern" not in limits:
        return st.text(min_size=low, max_size=high)
    matching = st.from_regex(limits["pattern"], fullmatch=True)
    return matching.filter(lambda s: low <= len(s) and (high is None or len(s) <= high))


_OFFSETS = st.integers(1 - 24 * 60, 24 * 60 - 1).map(lambda m: dt.timezone(dt.timedelta(minutes=m)))


def _datetime_text(moment: dt.datetime, utc: str, sep: str) -> str:
    text = moment.isoformat(sep=sep)  # RFC 3339 allows "t" and "z" as well
    return text[:-6] + utc if text.endswith("+00:00") else text


_MOMENTS: dict[type, st.SearchStrategy[str]] = {
    dt.datetime: st.builds(
        _datetime_text,
        st.datetimes(timezones=st.none() | st.just(dt.timezone.utc) | _OFFSETS),
        st.sampled_from(["+00:00", "Z", "z"]),
        st.sampled_from(["T", "t", " "]),
    ),
    dt.date: st.dates().map(dt.date.isoformat),
    dt.time: st.times(timezones=st.none() | _OFFSETS).map(dt.time.isoformat),
}
