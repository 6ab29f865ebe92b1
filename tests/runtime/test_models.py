"""``APIModel``, ``PageModel``, ``OpenEnum`` and client links on parsed models."""

from __future__ import annotations

import copy
import json
import pickle
from typing import Any, ClassVar

import pydantic
import pytest

import clientcore
from clientcore._parse import get_parser
from tests.runtime.conftest import call
from tests.runtime.contract_client import CREATE_TASK, LIST_TASKS, Status, Task


class Wrapper(clientcore.APIModel):
    primary: Task | None = None
    others: list[Task] = []
    label: str = ""


class Plain(clientcore.APIModel):
    name: str
    display_name: str = pydantic.Field(alias="displayName")


def test_api_model_keeps_unknown_fields_and_accepts_both_names() -> None:
    m = Plain.model_validate_json(b'{"name": "a", "displayName": "A", "new_field": [1]}')
    assert m.display_name == "A"
    assert m.model_extra == {"new_field": [1]}
    assert Plain(name="a", display_name="B").display_name == "B"
    # No private attribute: pydantic would run a Python initialiser per instance
    # (only models with links declare ``_client``).
    assert Plain.__private_attributes__ == {} and m.__pydantic_private__ is None
    assert m.model_dump(by_alias=True) == {"name": "a", "displayName": "A", "new_field": [1]}


def test_open_enum_admits_unknown_values() -> None:
    assert Status("pending") is Status.pending
    new = Status("on_hold")
    assert isinstance(new, Status) and isinstance(new, str)
    assert new.value == "on_hold" and new == "on_hold"
    assert Status("on_hold") is new  # cached pseudo-member
    assert list(Status) == [Status.pending, Status.completed]  # not listed
    assert str(new) == "on_hold" and f"{Status.pending}" == "pending"
    with pytest.raises(ValueError):
        Status(3)


def test_pydantic_calls_missing_for_open_enums() -> None:
    task = Task.model_validate_json(b'{"task_id": "t", "status": "surprise"}')
    assert isinstance(task.status, Status) and task.status.value == "surprise"
    assert pydantic.TypeAdapter(list[Status]).validate_python(["pending", "x"])[1] == "x"
    assert json.loads(task.model_dump_json())["status"] == "surprise"

    class Closed(pydantic.BaseModel):
        status: Status

    assert Closed(status="later").status == "later"  # type: ignore[arg-type]


async def test_links_attach_the_client(make_client: Any) -> None:
    client = make_client()
    uid = "links-" + clientcore.__version__ + str(id(client))
    task = await call(client._request(CREATE_TASK, Task, json={"unique_id": uid}))
    assert task._client is client
    tasks = await call(
        client._request(LIST_TASKS, list[Task] | dict[str, Any], query={"unique_id": uid})
    )
    assert isinstance(tasks, dict)  # union: the dict member matched
    page = await call(
        client._request(LIST_TASKS, dict[str, list[Task] | int], query={"unique_id": uid})
    )
    assert page["total"] == 1
    assert isinstance(page["docs"][0], Task) and page["docs"][0]._client is client


def test_linker_reaches_nested_linked_models() -> None:
    sentinel = object()
    raw = {"task_id": "t", "status": "pending"}
    parser = get_parser(Wrapper)
    wrapper = parser.from_python({"primary": raw, "others": [raw, raw], "label": "x"})
    assert parser.linker is not None
    parser.linker(wrapper, sentinel)
    assert wrapper.primary is not None and wrapper.primary._client is sentinel
    assert all(t._client is sentinel for t in wrapper.others)

    listed = get_parser(list[Task])
    items = listed.from_json(json.dumps([raw, raw]).encode())
    assert listed.linker is not None
    listed.linker(items, sentinel)
    assert all(t._client is sentinel for t in items)

    mapping = get_parser(dict[str, Task])
    assert mapping.linker is not None
    assert get_parser(Plain).linker is None and get_parser(list[int]).linker is None


def test_parsers_are_cached_per_type() -> None:
    assert get_parser(Task) is get_parser(Task)
    assert get_parser(list[Task]) is get_parser(list[Task])
    assert get_parser(Any).from_json(b'{"a": 1}') == {"a": 1}
    assert get_parser(bytes).from_json(b"\x00\x01") == b"\x00\x01"


class _Unused(clientcore.APIModel):
    __links__: ClassVar[bool] = False  # false: not linked
    x: int = 0


def test_a_false_links_attribute_does_not_link() -> None:
    assert get_parser(_Unused).linker is None


# -- PageModel ---------------------------------------------------------------------------
class Page(clientcore.PageModel[Task]):
    __page_items__: ClassVar[str] = "tasks"

    tasks: list[Task] | None = None
    total: int = 0
    next_token: str | None = pydantic.Field(default=None, alias="nextToken")


PAGE_JSON = (
    b'{"tasks": [{"task_id": "a", "status": "pending"}, {"task_id": "b", "status": "new"}],'
    b' "total": 7, "nextToken": "n2", "extra_field": 1}'
)


def test_page_model_is_a_sequence_of_its_items() -> None:
    page = Page.model_validate_json(PAGE_JSON)
    assert page.tasks is not None
    assert [t.task_id for t in page] == ["a", "b"]
    assert all(type(t) is Task for t in page)
    assert list(page) == page.tasks and list(iter(page)) == page.tasks
    assert len(page) == 2 and bool(page)
    assert page[0] is page.tasks[0] and page[-1] is page.tasks[1]
    assert page[0:1] == page.tasks[0:1]
    with pytest.raises(IndexError):
        page[2]
    assert "a" not in [t for t in page]  # items, not field names


def test_page_model_without_items_is_empty_and_falsy() -> None:
    for page in (Page(), Page(tasks=[])):
        assert list(page) == [] and len(page) == 0 and not page
        with pytest.raises(IndexError):
            page[0]


def test_page_model_keeps_everything_else_of_a_model() -> None:
    page = Page.model_validate_json(PAGE_JSON)
    again = Page.model_validate_json(PAGE_JSON)
    assert page == again and page != Page(total=7)
    assert page.total == 7 and page.next_token == "n2"
    assert page.model_extra == {"extra_field": 1}
    dumped = page.model_dump(by_alias=True, mode="json", exclude_unset=True)
    assert dumped == json.loads(PAGE_JSON)
    assert json.loads(page.model_dump_json(by_alias=True, exclude_unset=True)) == dumped
    assert list(page.model_dump()) == ["tasks", "total", "next_token", "extra_field"]
    for copied in (
        page.model_copy(),
        page.model_copy(deep=True),
        copy.copy(page),
        copy.deepcopy(page),
        pickle.loads(pickle.dumps(page)),
    ):
        assert copied == page and type(copied) is Page and len(copied) == 2
    assert page.model_copy(update={"total": 8}).total == 8
    assert repr(page).startswith("Page(tasks=[Task(task_id='a'")
    assert Page.model_validate(page.model_dump()) == page
    # a page nested in another model serializes like any model
    assert Holder(page=page).model_dump()["page"] == page.model_dump()
    # dict(page) iterates the items now (as for a list): the fields come from model_dump()
    with pytest.raises((TypeError, ValueError)):
        dict(page)


class Holder(clientcore.APIModel):
    page: Page


def test_page_model_needs_its_items_name() -> None:
    class Unnamed(clientcore.PageModel[Task]):
        tasks: list[Task] = []

    with pytest.raises(TypeError, match="Unnamed does not name its page items"):
        len(Unnamed())


def test_page_model_parameter_is_for_type_checkers_only() -> None:
    assert clientcore.PageModel[Task] is clientcore.PageModel
    assert clientcore.PageModel["NotDefinedYet"] is clientcore.PageModel
    assert issubclass(clientcore.PageModel, clientcore.APIModel)
    assert "PageModel" in clientcore.__all__
