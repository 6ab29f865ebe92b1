"""Every model of every generated package survives its wire form (issue 6, fuzzing).

For each model class of ``generated/*`` and of the compiled test specs (see
``packages.py``), hypothesis draws wire values (``wire.py``) and checks what a client
relies on when it parses a response or sends a model back:

* the dump the runtime sends (``model_dump(mode="json", by_alias=True,
  exclude_unset=True)``, the JSON codec's rule for models) is the wire value received:
  same keys, same values, datetimes only respelled; it parses back to an equal model;
* the response fast path (``model_validate_json`` on the bytes) and the decoded path
  (``model_validate`` on the value another codec decodes) give equal models;
* a value no string enum lists, an unknown variant tag of an opened union, or a key the
  model does not declare is parsed and kept (``APIModel`` has ``extra="allow"``,
  ``OpenEnum._missing_`` admits new values: clientcore/_models.py,
  docs/runtime-contract.md "Models and enums"); only models whose schema says
  ``additionalProperties: false`` refuse extra keys, and no response can contain one;
* every union of tagged variants (in a model or an operation's result) ends in the
  ``APIModel`` fallback, so a variant a newer server adds parses too.

Bugs found are strict xfails (cases listed in ``KNOWN_BUGS`` and ``KNOWN_RESULT_BUGS``,
or a mark on the test): fixing one turns its test into a failure until the mark is
removed. The two ``get_annotation`` tests at the end pin the first two found (closed
unions of the Scale annotation variants, fixed in the compiler).

Examples are few per model and derandomized (same examples on every run) so the folder
stays fast and deterministic in CI.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import types
import typing
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, RootModel, TypeAdapter, ValidationError

from clientcore import JSON_CODEC, APIModel, OpenEnum

from .packages import (
    ENUMS,
    MODELS,
    PACKAGES,
    Case,
    custom_types,
    response_models,
    result_types,
)
from .wire import Mode, any_json, extra_keys, is_free_form, is_tagged, wire_values

FUZZ = settings(
    max_examples=15,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
    ],
)


# "<package>.<Class>" / "<package>.<OPERATION>" -> why the case fails (strict xfail).
KNOWN_BUGS: dict[str, str] = {}
KNOWN_RESULT_BUGS: dict[str, str] = {}


def _marks(label: str, known: dict[str, str] | None) -> Any:
    reason = (known or {}).get(label)
    return pytest.mark.xfail(strict=True, reason=reason) if reason else ()


# Why a model reaching a hand-written type is skipped by the tests of the JSON wire form
# (test_hand_written_types_stay_the_objects_given covers it instead).
CUSTOM_TYPE_SKIP = (
    "reaches a hand-written type (x-python-type: {names}), which these JSON checks do not "
    "apply to (Decthings tensors travel in envelope blobs, never in JSON); "
    "test_hand_written_types_stay_the_objects_given runs on it instead"
)


def _skips(case: Case) -> Any:
    found = custom_types(case)
    if not found:
        return ()
    names = ", ".join(sorted(t.__name__ for t in found))
    return pytest.mark.skip(reason=CUSTOM_TYPE_SKIP.format(names=names))


def _ids(cases: list[Case], known: dict[str, str] | None = None) -> list[Any]:
    """One parameter per case; ``known`` marks the cases of a reported bug strict xfail;
    a model whose fields reach a hand-written type is skipped (``CUSTOM_TYPE_SKIP``)."""
    return [
        pytest.param(c, id=c.label, marks=[*_as_list(_marks(c.label, known)), *_as_list(_skips(c))])
        for c in cases
    ]


def _as_list(mark: Any) -> list[Any]:
    return [] if mark == () else [mark]


def _extra(case: Case) -> Any:
    return case.cls.model_config.get("extra")


def _is_union(tp: Any) -> bool:
    return typing.get_origin(tp) in (typing.Union, types.UnionType)


def admits_unknown_values(model: type[BaseModel]) -> bool:
    """Whether some position of ``model`` (at any depth) is a string enum or an opened
    union with tagged variants, the places ``Mode(unknown_enums=True)`` changes."""
    seen: set[Any] = set()

    def walk(tp: Any) -> bool:
        if isinstance(tp, type) and issubclass(tp, enum.Enum):
            return issubclass(tp, str)
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            if tp in seen:
                return False
            seen.add(tp)
            tp.model_rebuild()
            return any(walk(f.annotation) for f in tp.model_fields.values())
        args = [a for a in typing.get_args(tp) if a is not Ellipsis]
        if _is_union(tp) and any(map(is_free_form, args)) and any(map(is_tagged, args)):
            return True
        return any(walk(a) for a in args)

    return walk(model)


def _unions(tp: Any) -> typing.Iterator[Any]:
    if _is_union(tp):
        yield tp
    if not isinstance(tp, type):
        for arg in typing.get_args(tp):
            yield from _unions(arg)


def tagged_unions(tp: Any) -> dict[Any, bool]:
    """The unions of tagged variants (models with a ``Literal`` field) in ``tp``, each
    with whether it ends in the free-form ``APIModel`` fallback that parses a variant the
    spec does not list.  Containers and ``Annotated`` are looked through, models not."""
    return {
        u: any(map(is_free_form, typing.get_args(u)))
        for u in _unions(tp)
        if any(map(is_tagged, typing.get_args(u)))
    }


def closed_fields(model: type[BaseModel]) -> list[str]:
    """Fields of ``model`` holding a union of tagged variants without the fallback."""
    return [
        n for n, f in model.model_fields.items() if not all(tagged_unions(f.annotation).values())
    ]


def _has_tagged_union(model: type[BaseModel]) -> bool:
    model.model_rebuild()
    return any(tagged_unions(f.annotation) for f in model.model_fields.values())


ALLOWING = [c for c in MODELS if _extra(c) != "forbid"]
FORBIDDING = [c for c in MODELS if _extra(c) == "forbid"]
WITH_OPEN_VALUES = [c for c in MODELS if admits_unknown_values(c.cls)]
WITH_TAGGED_UNIONS = [c for c in MODELS if _has_tagged_union(c.cls)]
STRING_ENUMS = [c for c in ENUMS if issubclass(c.cls, str)]

_MOMENTS = [TypeAdapter(dt.datetime), TypeAdapter(dt.date), TypeAdapter(dt.time)]


def _same_moment(got: str, sent: str) -> bool:
    for adapter in _MOMENTS:
        try:
            a, b = adapter.validate_python(got), adapter.validate_python(sent)
        except ValidationError:
            continue
        return bool(a == b and _offset(a) == _offset(b))
    return False


def _offset(moment: Any) -> Any:
    return moment.utcoffset() if isinstance(moment, (dt.datetime, dt.time)) else None


def same_wire(got: Any, sent: Any) -> bool:
    """``got`` is ``sent``: same keys and items, same values (an int read into a float
    field is equal), a datetime/date/time string may be spelled differently."""
    if isinstance(sent, dict):
        return (
            isinstance(got, dict)
            and got.keys() == sent.keys()
            and all(same_wire(got[k], sent[k]) for k in sent)
        )
    if isinstance(sent, list):
        return isinstance(got, list) and len(got) == len(sent) and all(map(same_wire, got, sent))
    if isinstance(sent, bool) or isinstance(got, bool):
        return got is sent
    if isinstance(sent, str) and isinstance(got, str) and got != sent:
        return _same_moment(got, sent)
    return bool(type(got) in (type(sent), float) and got == sent)


def _dump(model: BaseModel) -> Any:
    return model.model_dump(mode="json", by_alias=True, exclude_unset=True)


def _survives(cls: type[BaseModel], wire: Any) -> BaseModel:
    """Everything a parsed and re-sent value must satisfy; returns the parsed model."""
    model = cls.model_validate(wire)
    sent = _dump(model)
    assert same_wire(sent, wire), f"the dump is not the wire value:\n{sent!r}\n{wire!r}"
    assert cls.model_validate(sent) == model, "the dump parses to a different model"
    assert json.loads(JSON_CODEC.encode(model)) == sent, "the JSON codec sends another body"
    return model


@pytest.mark.parametrize("case", _ids(MODELS))
@FUZZ
@given(data=st.data())
def test_every_model_round_trips_through_its_wire_form(case: Case, data: st.DataObject) -> None:
    wire = data.draw(wire_values(case.cls), label="wire")
    _survives(case.cls, wire)


@pytest.mark.parametrize("case", _ids(MODELS))
@FUZZ
@given(data=st.data())
def test_json_bytes_and_decoded_values_parse_alike(case: Case, data: st.DataObject) -> None:
    wire = data.draw(wire_values(case.cls), label="wire")
    body = JSON_CODEC.encode(wire)
    assert case.cls.model_validate_json(body) == case.cls.model_validate(wire)


@pytest.mark.parametrize("case", _ids(WITH_OPEN_VALUES))
@FUZZ
@given(data=st.data())
def test_unknown_enum_values_never_crash_validation(case: Case, data: st.DataObject) -> None:
    """New enum values and new variants of an opened union parse and are kept verbatim."""
    wire = data.draw(wire_values(case.cls, Mode(unknown_enums=True)), label="wire")
    model = _survives(case.cls, wire)
    assert case.cls.model_validate_json(JSON_CODEC.encode(wire)) == model


@pytest.mark.parametrize("case", _ids(ALLOWING))
@FUZZ
@given(data=st.data())
def test_extra_fields_never_crash_validation(case: Case, data: st.DataObject) -> None:
    """Undeclared keys, at every level that allows them, parse and are kept."""
    wire = data.draw(wire_values(case.cls, Mode(extra_keys=True)), label="wire")
    model = _survives(case.cls, wire)
    assert case.cls.model_validate_json(JSON_CODEC.encode(wire)) == model
    if isinstance(wire, dict) and not isinstance(model, RootModel):
        declared = {f.alias or name for name, f in case.cls.model_fields.items()}
        assert model.model_extra == {k: v for k, v in wire.items() if k not in declared}


@pytest.mark.parametrize("case", _ids(FORBIDDING))
@FUZZ
@given(data=st.data())
def test_only_request_models_refuse_extra_fields(case: Case, data: st.DataObject) -> None:
    """``additionalProperties: false`` refuses an undeclared key, so such a model must
    never be (part of) a response."""
    assert case.cls not in response_models(case.package), "a response could not carry new keys"
    wire = data.draw(wire_values(case.cls), label="wire")
    declared = set(case.cls.model_fields)
    declared |= {f.alias for f in case.cls.model_fields.values() if f.alias}
    key = data.draw(extra_keys.filter(lambda k: k not in declared), label="key")
    with pytest.raises(ValidationError) as caught:
        case.cls.model_validate({**wire, key: data.draw(any_json, label="value")})
    assert {e["type"] for e in caught.value.errors()} == {"extra_forbidden"}


WITH_CUSTOM_TYPES = [c for c in MODELS if custom_types(c)]


def _custom_objects(value: Any, types: tuple[type, ...]) -> list[int]:
    """The ids of the hand-written objects in a decoded value, sorted."""
    if isinstance(value, types):
        return [id(value)]
    if isinstance(value, dict):
        return sorted(i for v in value.values() for i in _custom_objects(v, types))
    if isinstance(value, list):
        return sorted(i for v in value for i in _custom_objects(v, types))
    return []


@pytest.mark.parametrize("case", [pytest.param(c, id=c.label) for c in WITH_CUSTOM_TYPES])
@FUZZ
@given(data=st.data())
def test_hand_written_types_stay_the_objects_given(case: Case, data: st.DataObject) -> None:
    """A codec that is not JSON (Decthings' envelope) hands a model its decoded value with
    the hand-written objects in place (``wire.CUSTOM`` draws them), new enum values and
    extra keys included: the model keeps those very objects, and its Python dump (where
    such a codec takes them out again) holds them and parses back to an equal model."""
    mode = Mode(unknown_enums=True, extra_keys=True)
    wire = data.draw(wire_values(case.cls, mode), label="wire")
    model = case.cls.model_validate(wire)
    dumped = model.model_dump(by_alias=True, exclude_unset=True)
    types = tuple(custom_types(case))
    assert _custom_objects(dumped, types) == _custom_objects(wire, types)
    assert case.cls.model_validate(dumped) == model


@pytest.mark.parametrize("case", _ids(STRING_ENUMS))
@FUZZ
@given(value=st.text())
def test_every_string_enum_admits_unknown_values(case: Case, value: str) -> None:
    assert issubclass(case.cls, OpenEnum), "a string enum that rejects new server values"
    adapter = TypeAdapter(case.cls)
    member = adapter.validate_python(value)
    assert member is adapter.validate_json(json.dumps(value)) is case.cls(value)
    assert isinstance(member, case.cls)
    assert member.value == str(member) == f"{member}" == value
    assert adapter.dump_python(member, mode="json") == value
    known = {m.value for m in case.cls.__members__.values()}
    assert (member in list(case.cls)) == (value in known)


@pytest.mark.parametrize(
    "case",
    [pytest.param(c, id=c.label, marks=_marks(c.label, KNOWN_BUGS)) for c in WITH_TAGGED_UNIONS],
)
def test_unions_of_tagged_variants_admit_new_variants(case: Case) -> None:
    """A server may add a variant to any discriminated union at any time: the union must
    end in the ``APIModel`` fallback (codegen/ir/models.py ``open_unions``)."""
    closed = closed_fields(case.cls)
    assert not closed, f"fields whose union rejects a new variant: {closed}"


RESULTS = [(label, tp) for p in PACKAGES for label, tp in result_types(p).items()]
TAGGED_RESULTS = [(label, tp) for label, tp in RESULTS if tagged_unions(tp)]


@pytest.mark.parametrize(
    ("label", "result"),
    [
        pytest.param(label, tp, id=label, marks=_marks(label, KNOWN_RESULT_BUGS))
        for label, tp in TAGGED_RESULTS
    ],
)
def test_operation_results_admit_new_variants(label: str, result: Any) -> None:
    """An operation whose result is a union of tagged variants must parse a variant the
    spec does not list (the union ends in the ``APIModel`` fallback)."""
    assert all(tagged_unions(result).values()), f"{label} fails on a new variant: {result}"


def _get_annotation(body: dict[str, Any]) -> Any:
    import httpx
    import scale_client

    transport = httpx.MockTransport(lambda request: httpx.Response(200, json=body))
    http = httpx.Client(transport=transport)
    with scale_client.ScaleClient("key", base_url="http://scale.test", http_client=http) as client:
        return client.v2.get_annotation(annotation_id="a1")


def test_an_annotation_of_a_new_type_never_crashes_get_annotation() -> None:
    annotation = _get_annotation({"id": "a1", "key": "k", "type": "new_kind"})
    assert type(annotation) is APIModel
    assert annotation.type == "new_kind"


def test_an_expanded_criteria_of_a_new_type_never_crashes_get_annotation() -> None:
    criteria = {"id": "a2", "key": "k2", "type": "new_kind"}
    body = {"id": "a1", "key": "k", "type": "boolean", "metadata": {"criteria": criteria}}
    annotation = _get_annotation(body)
    assert type(annotation).__name__ == "AnnotationBoolean"
    assert type(annotation.metadata.criteria) is APIModel
    assert annotation.metadata.criteria.type == "new_kind"
