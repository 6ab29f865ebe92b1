"""What a type checker sees through the contract: generated code stays fully typed."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

mypy_api = pytest.importorskip("mypy.api")

ROOT = Path(__file__).resolve().parents[2]

SNIPPET = """
from typing import Any
import clientcore

class Task(clientcore.APIModel):
    task_id: str

OP = clientcore.Operation("GET", "/t/{id}", path_params={"id": clientcore.PathParam()})
PAGES = clientcore.Pagination(style="token", items="docs", cursor_param="t", cursor_field="t")
SPEC = clientcore.StreamSpec()

class Client(clientcore.SyncAPIClient):
    def get_task(self, task_id: str, *, timeout: float | None = None) -> Task:
        return self._request(OP, Task, path={"id": task_id}, timeout=timeout)

class AsyncClient(clientcore.AsyncAPIClient):
    async def get_task(self, task_id: str) -> Task:
        return await self._request(OP, Task, path={"id": task_id})

def check(c: Client, a: AsyncClient) -> None:
    reveal_type(c._request(OP, list[Task]))
    reveal_type(c._request(OP, None))
    reveal_type(c._paginate(OP, Task, PAGES))
    reveal_type(c._stream(OP, Task, SPEC))
    reveal_type(clientcore.to_raw_response(c.get_task))
    reveal_type(clientcore.to_raw_response(c.get_task)("t").parse())
    reveal_type(clientcore.async_to_raw_response(a.get_task))
    reveal_type(a._paginate(OP, Task, PAGES))
    reveal_type(c._download(OP, path={"id": "t"}))
    reveal_type(a._request(OP, Task, timeout=1.0))
    clientcore.to_raw_response(c.get_task)(42)  # wrong argument type: an error

async def acheck(a: AsyncClient) -> None:
    reveal_type(await a._download(OP))
"""


def test_contract_is_precisely_typed(tmp_path: Path) -> None:
    source = tmp_path / "generated_like.py"
    source.write_text(textwrap.dedent(SNIPPET))
    stdout, stderr, _ = mypy_api.run(
        [
            "--strict",
            "--no-error-summary",
            "--cache-dir",
            str(ROOT / ".mypy_cache"),
            "--python-version",
            "3.11",
            str(source),
        ]
    )
    revealed = re.findall(r'Revealed type is "(.+)"', stdout)
    assert revealed == [
        "list[generated_like.Task]",
        "None",
        "clientcore._pagination.SyncPager[generated_like.Task]",
        "clientcore._streaming.Stream[generated_like.Task]",
        "def (task_id: str, *, timeout: float | None =) "
        "-> clientcore._response.APIResponse[generated_like.Task]",
        "generated_like.Task",
        "def (task_id: str) "
        "-> typing.Awaitable[clientcore._response.APIResponse[generated_like.Task]]",
        "clientcore._pagination.AsyncPager[generated_like.Task]",
        "clientcore._download.BinaryResponse",
        "typing.Awaitable[generated_like.Task]",
        "clientcore._download.AsyncBinaryResponse",
    ], stdout + stderr
    errors = [line for line in stdout.splitlines() if ": error:" in line]
    assert len(errors) == 1 and 'incompatible type "int"' in errors[0], stdout


PAGE_SNIPPET = """
from typing import ClassVar
import clientcore

class Page(clientcore.PageModel["Task"]):
    __page_items__: ClassVar[str] = "docs"
    docs: "list[Task]"

class Task(clientcore.APIModel):
    task_id: str

def check(page: Page) -> None:
    for task in page:
        reveal_type(task)
    reveal_type(page[0])
    reveal_type(page[1:])
    reveal_type(len(page))
    reveal_type(page.docs)
    page[0].missing  # items are typed: an error
"""


def test_page_models_are_typed_sequences_of_their_items(tmp_path: Path) -> None:
    source = tmp_path / "page_like.py"
    source.write_text(textwrap.dedent(PAGE_SNIPPET))
    stdout, stderr, _ = mypy_api.run(
        [
            "--strict",
            "--no-error-summary",
            "--cache-dir",
            str(ROOT / ".mypy_cache"),
            "--python-version",
            "3.11",
            str(source),
        ]
    )
    revealed = re.findall(r'Revealed type is "(.+)"', stdout)
    assert revealed == [
        "page_like.Task",
        "page_like.Task",
        "typing.Sequence[page_like.Task]",
        "int",
        "list[page_like.Task]",
    ], stdout + stderr
    errors = [line for line in stdout.splitlines() if ": error:" in line]
    assert len(errors) == 1 and '"Task" has no attribute "missing"' in errors[0], stdout
