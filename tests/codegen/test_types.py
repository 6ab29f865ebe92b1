"""``codegen.ir.types.TypeRef``: the structured types the templates print.

The text of a type is what the generated code says; the structure answers what the
templates used to ask the text (which classes a module imports, is it a union, a
sequence, a ``str``, does it need ``| None``).
"""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

from codegen.ir.nodes import Method, OperationInfo, Param, Switch
from codegen.ir.types import (
    ANY,
    BOOL,
    BYTES,
    FILE,
    INT,
    NONE,
    STR,
    TypeRef,
    class_ref,
    dict_of,
    generic,
    join,
    list_of,
    literal,
    mapping_of,
    named,
    referenced_classes,
    sequence_of,
    union,
)
from codegen.render import package

TASK = class_ref("Task")
STATUS = class_ref("Status")


@pytest.mark.parametrize(
    ("type_", "text"),
    [
        (ANY, "Any"),
        (NONE, "None"),
        (STR, "str"),
        (BYTES, "bytes"),
        (FILE, "clientcore.FileTypes"),
        (named("datetime.datetime"), "datetime.datetime"),
        (TASK, "Task"),
        (list_of(TASK), "list[Task]"),
        (sequence_of(join(STATUS, STR)), "Sequence[Status | str]"),
        (dict_of(list_of(STR)), "dict[str, list[str]]"),
        (mapping_of(ANY), "Mapping[str, Any]"),
        (generic("clientcore.SyncPager", TASK), "clientcore.SyncPager[Task]"),
        (literal(True), "Literal[True]"),
        (join(TASK, mapping_of(ANY)), "Task | Mapping[str, Any]"),
        (list_of(union([TASK, NONE])), "list[Task | None]"),
    ],
)
def test_text(type_: TypeRef, text: str) -> None:
    assert type_.text == text
    assert str(type_) == text


def test_runtime_reaches_classes_through_the_models_package() -> None:
    nested = dict_of(list_of(join(TASK, named("datetime.date"), NONE)))
    assert nested.runtime == "dict[str, list[_models.Task | datetime.date | None]]"
    assert generic("clientcore.Stream", STATUS).runtime == "clientcore.Stream[_models.Status]"
    assert STR.runtime == "str" and NONE.runtime == "None"


def test_runtime_within_a_body_whose_arguments_shadow_builtins() -> None:
    nested = dict_of(list_of(join(TASK, INT)))
    assert nested.runtime_within(["dict", "int"]) == (
        "builtins.dict[str, list[_models.Task | builtins.int]]"
    )
    assert nested.runtime_within(["type", "Task"]) == nested.runtime  # classes are safe
    assert STR.runtime_within(["str"]) == "builtins.str"


def test_classes_are_the_generated_classes_named_first_use_first() -> None:
    t = join(list_of(STATUS), dict_of(join(TASK, STATUS)), STR, FILE)
    assert t.classes == ("Status", "Task")
    assert named("clientcore.Stream").classes == ()  # a dotted name is no model class
    assert referenced_classes([TASK, None, list_of(STATUS), t]) == ("Status", "Task")


def test_union_normalises_members() -> None:
    assert union([TASK, STR, TASK]).text == "Task | str"
    assert union([join(TASK, STR), join(STR, INT)]).text == "Task | str | int"  # flattened
    assert union([NONE, TASK, STR]).text == "Task | str | None"  # None last
    assert union([TASK, ANY, NONE]) == ANY  # Any absorbs everything
    assert union([]) == ANY
    assert union([TASK]) == TASK
    assert union([join(TASK, NONE), NONE]).members == (TASK, NONE)


def test_join_keeps_members_as_written() -> None:
    stream = generic("clientcore.Stream", TASK)
    assert join(join(TASK, NONE), stream).text == "Task | None | clientcore.Stream[Task]"
    assert join(TASK) == TASK
    assert join(ANY, NONE).text == "Any | None"


def test_union_members_are_flat() -> None:
    with pytest.raises(ValueError):
        TypeRef("union", args=(TASK,))
    with pytest.raises(ValueError):
        TypeRef("union", args=(TASK, join(STR, INT)))


def test_or_none_adds_none_once() -> None:
    assert TASK.or_none().text == "Task | None"
    assert join(TASK, STR).or_none().text == "Task | str | None"
    assert union([TASK, NONE]).or_none().text == "Task | None"
    assert ANY.or_none().text == "Any | None"  # as the signatures always printed it
    assert list_of(union([TASK, NONE])).or_none().text == "list[Task | None] | None"


def test_questions() -> None:
    assert join(TASK, STR).is_union and not list_of(join(TASK, STR)).is_union
    assert join(TASK, NONE).is_optional and not list_of(join(TASK, NONE)).is_optional
    assert sequence_of(FILE).is_sequence and not list_of(FILE).is_sequence
    assert not join(sequence_of(FILE), NONE).is_sequence
    assert STR.is_str and not join(STR, NONE).is_str and not named("datetime.date").is_str


def test_types_are_hashable_values() -> None:
    assert list_of(class_ref("Task")) == list_of(TASK)
    assert len({list_of(TASK), list_of(class_ref("Task")), sequence_of(TASK)}) == 2


# ------------------------------------------------------------------ IR fields built on them


def _param(type_: TypeRef, required: bool = False, **kw: object) -> Param:
    return Param("x", "x", "query", type_, required, **kw)  # type: ignore[arg-type]


def test_param_signature_type_adds_none_only_for_a_none_default() -> None:
    assert _param(STR).signature_type.text == "str | None"
    assert _param(join(STR, NONE)).signature_type.text == "str | None"
    assert _param(STR, required=True).signature_type.text == "str"
    sent = _param(INT, default="3", send_default=True)
    assert sent.signature_default == "3" and sent.signature_type.text == "int"


def test_param_value_and_questions() -> None:
    assert _param(STR).value == "x" and _param(STR, fixed="'a'").value == "'a'"
    assert _param(sequence_of(FILE)).is_sequence and not _param(FILE).is_sequence
    assert _param(STR).is_str and not _param(INT).is_str


def _op() -> OperationInfo:
    return OperationInfo("op", "_OP", "GET", "/", (), (), None, True)


def test_method_classes_and_union_result() -> None:
    m = Method(
        "get",
        "call",
        _op(),
        (_param(join(STATUS, STR)),),
        fixed=(_param(class_ref("Fixed")),),  # not in the signature: not imported
        returns=join(TASK, STR),
        async_returns=join(TASK, STR),
        cast_to=join(TASK, STR),
    )
    assert m.classes == ("Status", "Task")
    assert m.cast_to_is_union and m.cast_to.runtime == "_models.Task | str"
    assert not Method("n", "call", _op(), ()).cast_to_is_union


def test_switch_cases() -> None:
    stream = generic("clientcore.Stream", TASK)
    sw = Switch("stream", False, STATUS, stream, generic("clientcore.AsyncStream", TASK), TASK)
    first, second = sw.cases
    assert (first.type.text, first.default, first.returns) == ("Literal[False]", "False", STATUS)
    assert (second.type.text, second.default) == ("Literal[True]", None)
    assert second.returns == stream and second.async_returns.text.startswith("clientcore.Async")
    assert BOOL.text == "bool"
    # Defaulting to true: Literal[True] keeps the default and still returns the stream.
    on = Switch("stream", True, STATUS, stream, generic("clientcore.AsyncStream", TASK), TASK)
    first, second = on.cases
    assert (first.type.text, first.default, first.returns) == ("Literal[True]", "True", stream)
    assert (second.type.text, second.default, second.returns) == ("Literal[False]", None, STATUS)


def test_render_takes_the_ir_alone() -> None:
    """``render_package(api, header)``: no models result beside the IR, and no
    re-reading of annotation text (the regex helpers are gone)."""
    assert list(inspect.signature(package.render_package).parameters) == ["api", "header"]
    render = Path(package.__file__).parent
    for path in [*render.glob("*.py"), *render.glob("templates/*.jinja")]:
        text = path.read_text()
        for needle in ("codegen.ir.models", "codegen.ir.annotate", 'startswith("Sequence[")'):
            assert needle not in text, f"{path.name} uses {needle}"
    assert "import re\n" not in Path(package.__file__).read_text()
