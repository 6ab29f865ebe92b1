"""``dial_client`` against Stoplight Prism serving ``specs/dial/openapi.yaml`` (as written,
split across files; Prism resolves the ``$ref``\\ s) with request validation on.

Prism (``@stoplight/prism-cli`` 5.14.2, the project's own ``tools/prism``, installed by
``tests/support/prism.py`` with ``npm ci`` on first use) runs once per session on
127.0.0.1.  Prism checks each request against the spec (path and its parameters, query,
headers, security, body and content type) and refuses an invalid one (400/401/415/422,
with an ``sl-violations`` header); a valid one gets a body generated from the spec's
schemas.  So every call below passing through ``Dial`` and ``AsyncDial`` with a typed
result, and every exchange carrying a 200 and no ``sl-violations`` (checked on the wire
by an httpx response hook), proves the client's requests validate against the spec and
that the spec's responses parse into its models.  ``test_prism_refuses_invalid_requests``
shows the validation is on: a request missing a required field, a wrong type, an
out-of-range query value, a bucket breaking its pattern, a JSON body where multipart is
required, and a call without credentials are each refused.

Every operation of the spec is run (``test_every_operation_is_run_against_prism`` fails
when one is added without a case here).  What is *not* run against Prism, and why:

* Storage paths of more than one segment: ``files/B/dir/a.txt`` (upload, download,
  delete, metadata), ``prompts/B/dir/p``, skills' ``{skill}/files/...``, and every
  folder listing below the bucket root (``files/B/docs/``: the trailing ``/`` is one more
  segment).  Prism never lets one path parameter (``{path}``) span ``/``; it answers 404
  ``NO_PATH_MATCHED_ERROR`` (``test_prism_cannot_route_multi_segment_paths``).  Those run
  against the stateful Core fake (``test_dial_files.py``, ``test_core_fake_*.py``).  Here
  each storage operation runs with a one-segment path and, for listings, at the root.
  (Resource URLs inside a JSON body, as in move, copy and grant, are not routed, so
  those run with nested URLs.)
* Streamed bodies: the chat completion with ``stream=True`` and the client channel's
  ``interact``.  Prism validates and accepts both requests (checked here), but it cannot
  produce a server-sent-event stream: the spec's ``text/event-stream`` schema is
  ``{type: string}``, so Prism answers the literal text ``string``.  The chat stream then
  raises ``DialStreamError`` (no ``[DONE]``), and ``interact`` yields no event.  Stream
  contents are tested against the aidial-sdk app (``test_dial_chat.py``) and the Core fake.
* Error bodies and status-specific behaviour (404/412 from storage, ETags, paging with
  real tokens): Prism only generates responses; the Core fake covers them.
"""

from __future__ import annotations

import io
import json
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from dial_client import (
    Application,
    AsyncDial,
    BucketResponse,
    ChatCompletionResponse,
    Deployment,
    DeploymentName,
    Dial,
    DialStreamError,
    DialUnprocessableEntityError,
    FileItem,
    FileMetadata,
    InvalidRequestError,
    Message,
    ModelInfo,
    Prompt,
    ResourceItem,
    ResourceMetadata,
    ResourceNotFoundError,
    Role,
    SkillMetadata,
    ToolsetInfo,
    UserInfo,
)

from codegen.load.loader import load_spec
from tests.support.prism import PrismServer, PrismUnavailable, ensure_installed

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "specs" / "dial" / "openapi.yaml"
API_KEY = "prism-api-key"
B = "B1"  # the spec's bucket pattern is ^[a-zA-Z0-9]+$

# ---------------------------------------------------------------------------- server


@dataclass
class Exchange:
    """One request as it went on the wire and Prism's verdict on it."""

    method: str
    path: str  # raw, percent-encoding kept, without the query
    query: str
    status: int
    violations: list[dict[str, Any]] | None

    @property
    def route(self) -> str:
        return f"{self.method} {self.path}"


@dataclass
class PrismDial:
    base_url: str
    server: PrismServer
    exchanges: list[Exchange] = field(default_factory=list)

    def _record(self, response: httpx.Response) -> None:
        raw = response.request.url.raw_path.decode("ascii")
        path, _, query = raw.partition("?")
        header = response.headers.get("sl-violations")
        self.exchanges.append(
            Exchange(
                response.request.method,
                path,
                query,
                response.status_code,
                json.loads(header) if header else None,
            )
        )

    async def _arecord(self, response: httpx.Response) -> None:
        self._record(response)

    @contextmanager
    def client(self, **credentials: Any) -> Iterator[Dial]:
        """A ``Dial`` on Prism whose every response is recorded in ``exchanges``."""
        credentials = credentials or {"api_key": API_KEY}
        hooks = {"response": [self._record]}
        with httpx.Client(event_hooks=hooks) as http:
            yield Dial(
                base_url=self.base_url, http_client=http, max_retries=0, timeout=10, **credentials
            )

    @asynccontextmanager
    async def async_client(self, **credentials: Any) -> AsyncIterator[AsyncDial]:
        credentials = credentials or {"api_key": API_KEY}
        hooks = {"response": [self._arecord]}
        async with httpx.AsyncClient(event_hooks=hooks) as http:
            yield AsyncDial(
                base_url=self.base_url, http_client=http, max_retries=0, timeout=10, **credentials
            )

    def assert_validated(self, *routes: str) -> list[Exchange]:
        """The exchanges so far were exactly ``routes``, each a 200 Prism found valid."""
        assert [x.route for x in self.exchanges] == list(routes), self.server.log()[-3000:]
        for x in self.exchanges:
            assert x.violations is None, f"{x.route}: Prism found {x.violations}"
            assert x.status == 200, f"{x.route}: {x.status}"
        return self.exchanges


@pytest.fixture(scope="session")
def _prism_session() -> Iterator[PrismDial]:
    server = PrismServer(SPEC)
    try:
        base_url = server.start()
    except PrismUnavailable as exc:
        reason = str(exc)
    else:
        reason = ""
    if reason:  # fail loudly (every test here errors with the reason): never a silent skip
        pytest.fail(f"Prism is unavailable: {reason}", pytrace=False)
    try:
        yield PrismDial(base_url, server)
    finally:
        server.stop()


@pytest.fixture
def prism(_prism_session: PrismDial) -> PrismDial:
    _prism_session.exchanges.clear()
    return _prism_session


# ---------------------------------------------------------------------------- cases

MESSAGES: list[Any] = [
    Message(role=Role.SYSTEM, content="Answer briefly."),
    {"role": "user", "content": [{"type": "text", "text": "What is in the file?"}]},
    {
        "role": "user",
        "content": "and this one",
        "custom_content": {
            "attachments": [{"type": "text/plain", "title": "a.txt", "url": f"files/{B}/a.txt"}],
            "state": {"step": 2},
        },
    },
    {
        "role": "assistant",
        "content": None,
        "tool_calls": [
            {
                "id": "call_1",
                "type": "function",
                "function": {"name": "lookup", "arguments": '{"q": "x"}'},
            }
        ],
        "custom_content": {"stages": [{"name": "Search", "status": "completed"}]},
    },
    {"role": "tool", "tool_call_id": "call_1", "content": "found"},
]
TOOLS = [
    {
        "type": "function",
        "function": {
            "name": "lookup",
            "description": "Look a thing up.",
            "parameters": {"type": "object", "properties": {"q": {"type": "string"}}},
        },
    }
]
PROMPT = {"id": f"prompts/{B}/greeting", "name": "greeting", "folder_id": f"prompts/{B}/"}


@dataclass(frozen=True)
class Case:
    """One call on a ``Dial``; on an ``AsyncDial`` the same call awaited, or ``acall``
    where the async spelling differs.  ``routes``: the requests Prism must see."""

    id: str
    op: str  # the spec's operationId
    call: Callable[[Any], Any]
    expect: Any  # a type, a check function, or None for no result
    routes: tuple[str, ...]
    query: str | None = None  # the last request's exact query, when it has one
    acall: Callable[[Any], Awaitable[Any]] | None = None


def _progress(done: int, total: int | None) -> None:
    assert done >= 0


async def _ahome_upload(c: AsyncDial) -> FileItem:
    return await c.files.upload((await c.my_files_home()) / "a#b.txt", b"hi")


async def _adownload(c: AsyncDial) -> bytes:
    response = await c.files.download(f"files/{B}/report.txt", etag_if_match='"e1"')
    return await response.aget_content()


async def _askill_download(c: AsyncDial) -> bytes:
    return await (await c.skills.download_raw(B, "summarise")).aget_content()


def _list_of(kind: type) -> Callable[[Any], None]:
    def check(result: Any) -> None:
        assert isinstance(result, list) and result, result
        assert all(isinstance(item, kind) for item in result), result

    return check


CASES = [
    # catalog
    Case(
        "deployment-names",
        "listDeploymentNames",
        lambda c: c.deployments.list_names(types=["model", "toolset"]),
        _list_of(DeploymentName),
        ("GET /v1/deployment-names",),
        query="type=model%2Ctoolset",
    ),
    Case(
        "deployments",
        "listDeployments",
        lambda c: c.deployments.list(),
        _list_of(Deployment),
        ("GET /openai/deployments",),
    ),
    Case(
        "deployment",
        "getDeployment",
        lambda c: c.deployments.get("team/gpt-4o"),
        Deployment,
        ("GET /openai/deployments/team%2Fgpt-4o",),
    ),
    Case(
        "configuration-schema",
        "getDeploymentConfigurationSchema",
        lambda c: c.deployments.get_configuration_schema("my app"),
        dict,
        ("GET /v1/deployments/my%20app/configuration",),
    ),
    Case(
        "models",
        "listModels",
        lambda c: c.model.list(),
        _list_of(ModelInfo),
        ("GET /openai/models",),
    ),
    Case(
        "model",
        "getModel",
        lambda c: c.model.get("gpt-4o"),
        ModelInfo,
        ("GET /openai/models/gpt-4o",),
    ),
    Case(
        "applications",
        "listApplications",
        lambda c: c.application.list(),
        _list_of(Application),
        ("GET /openai/applications",),
    ),
    Case(
        "application",
        "getApplication",
        lambda c: c.application.get("my app#1"),
        Application,
        ("GET /openai/applications/my%20app%231",),
    ),
    Case(
        "toolsets",
        "listToolsets",
        lambda c: c.toolset.list(),
        _list_of(ToolsetInfo),
        ("GET /openai/toolsets",),
    ),
    Case(
        "toolset",
        "getToolset",
        lambda c: c.toolset.get("search"),
        ToolsetInfo,
        ("GET /openai/toolsets/search",),
    ),
    # account
    Case("bucket", "getBucket", lambda c: c.bucket.get_raw(), BucketResponse, ("GET /v1/bucket",)),
    Case("user-info", "getUserInfo", lambda c: c.user.info(), UserInfo, ("GET /v1/user/info",)),
    # chat
    Case(
        "chat",
        "createChatCompletion",
        lambda c: c.chat.completions.create(
            deployment_name="gpt-4o",
            messages=MESSAGES,
            api_version="2024-02-01",
            temperature=0.2,
            max_tokens=64,
            stop=["\n\n"],
            tools=TOOLS,
            tool_choice={"type": "function", "function": {"name": "lookup"}},
            response_format={"type": "text"},
            reasoning_effort="low",
            custom_fields={"configuration": {"mode": "brief"}},
            seed=7,
        ),
        ChatCompletionResponse,
        ("POST /openai/deployments/gpt-4o/chat/completions",),
        query="api-version=2024-02-01",
    ),
    Case(
        "chat-minimal-application",
        "createChatCompletion",
        lambda c: c.chat.completions.create(
            "echo-app:latest", messages=[{"role": "user", "content": "hi"}]
        ),
        ChatCompletionResponse,
        ("POST /openai/deployments/echo-app%3Alatest/chat/completions",),
    ),
    # files (one-segment paths)
    Case(
        "upload-bytes",
        "uploadFile",
        lambda c: c.files.upload(f"files/{B}/report.txt", b"hello"),
        FileItem,
        (f"PUT /v1/files/{B}/report.txt",),
    ),
    Case(
        "upload-tuple-if-none-match",
        "uploadFile",
        lambda c: c.files.upload(
            f"files/{B}/report.txt",
            ("report.txt", "text/plain", io.BytesIO(b"hello")),
            etag_if_none_match="*",
        ),
        FileItem,
        (f"PUT /v1/files/{B}/report.txt",),
    ),
    Case(
        "upload-aidial-tuple-if-match",
        "uploadFile",
        lambda c: c.files.upload(
            f"files/{B}/my%20notes.md",
            ("my notes.md", b"# hi", "text/markdown"),
            etag_if_match='"e1"',
        ),
        FileItem,
        (f"PUT /v1/files/{B}/my%20notes.md",),
    ),
    Case(
        "upload-to-files-home",
        "uploadFile",
        lambda c: c.files.upload(c.my_files_home() / "a#b.txt", b"hi", on_progress=_progress),
        FileItem,
        ("GET /v1/bucket", "PUT /v1/files/string/a%23b.txt"),  # Prism's bucket: "string"
        acall=_ahome_upload,
    ),
    Case(
        "download",
        "downloadFile",
        lambda c: c.files.download(f"files/{B}/report.txt", etag_if_match='"e1"').get_content(),
        bytes,
        (f"GET /v1/files/{B}/report.txt",),
        acall=_adownload,
    ),
    Case(
        "delete",
        "deleteFile",
        lambda c: c.files.delete(f"files/{B}/report.txt", etag_if_match='"e1"'),
        None,
        (f"DELETE /v1/files/{B}/report.txt",),
    ),
    # metadata (items, and listings at the bucket root)
    Case(
        "file-metadata",
        "getFileMetadata",
        lambda c: c.files.metadata(f"files/{B}/report.txt"),
        FileMetadata,
        (f"GET /v1/metadata/files/{B}/report.txt",),
    ),
    Case(
        "files-root-listing",
        "listFileBucketRoot",
        lambda c: c.files.metadata(f"files/{B}/", limit=10, token="next-page", recursive=True),
        FileMetadata,
        (f"GET /v1/metadata/files/{B}/",),
        query="limit=10&token=next-page&recursive=true",
    ),
    Case(
        "prompt-metadata",
        "getPromptMetadata",
        lambda c: c.prompts.get_metadata(f"prompts/{B}/greeting"),
        ResourceMetadata,
        (f"GET /v1/metadata/prompts/{B}/greeting",),
    ),
    Case(
        "prompts-root-listing",
        "listPromptBucketRoot",
        lambda c: c.metadata.get("prompts", f"prompts/{B}/", limit=5),
        ResourceMetadata,
        (f"GET /v1/metadata/prompts/{B}/",),
        query="limit=5",
    ),
    Case(
        "conversation-metadata",
        "getConversationMetadata",
        lambda c: c.metadata.get("conversations", f"conversations/{B}/chat%201"),
        ResourceMetadata,
        (f"GET /v1/metadata/conversations/{B}/chat%201",),
    ),
    Case(
        "conversations-root-listing",
        "listConversationBucketRoot",
        lambda c: c.metadata.get("conversations", f"conversations/{B}/", recursive=False),
        ResourceMetadata,
        (f"GET /v1/metadata/conversations/{B}/",),
        query="recursive=false",
    ),
    # prompts
    Case(
        "prompt-save",
        "savePrompt",
        lambda c: c.prompts.save(f"prompts/{B}/greeting", {**PROMPT, "content": "Hello!"}),
        ResourceItem,
        (f"PUT /v1/prompts/{B}/greeting",),
    ),
    Case(
        "prompt-save-typed-create-only",
        "savePrompt",
        lambda c: c.prompts.save(f"prompts/{B}/greeting", Prompt(**PROMPT), etag_if_none_match="*"),
        ResourceItem,
        (f"PUT /v1/prompts/{B}/greeting",),
    ),
    Case(
        "prompt-get",
        "getPrompt",
        lambda c: c.prompts.get(f"prompts/{B}/greeting"),
        Prompt,
        (f"GET /v1/prompts/{B}/greeting",),
    ),
    Case(
        "prompt-delete",
        "deletePrompt",
        lambda c: c.prompts.delete(f"prompts/{B}/greeting", etag_if_match='"e2"'),
        None,
        (f"DELETE /v1/prompts/{B}/greeting",),
    ),
    # ops (URLs in the body: nested paths are fine)
    Case(
        "move",
        "moveResource",
        lambda c: c.files.move_to(f"files/{B}/dir/a.txt", f"files/{B}/dir/b c.txt", overwrite=True),
        None,
        ("POST /v1/ops/resource/move",),
    ),
    Case(
        "copy",
        "copyResource",
        lambda c: c.files.copy_to(f"files/{B}/dir/a.txt", f"files/{B}/other/a.txt"),
        None,
        ("POST /v1/ops/resource/copy",),
    ),
    Case(
        "grant",
        "grantPerRequestPermissions",
        lambda c: c.resource_permissions.grant(
            [f"files/{B}/dir/a.txt", f"prompts/{B}/greeting"],
            receiver="app",
            permissions=["READ", "WRITE"],
        ),
        None,
        ("POST /v1/ops/resource/per-request-permissions/grant",),
    ),
    # skills (preview; one-segment paths)
    Case(
        "skill-metadata",
        "getSkillMetadata",
        lambda c: c.skills.metadata_raw(B, "summarise"),
        SkillMetadata,
        (f"GET /v2/metadata/skills/{B}/summarise",),
    ),
    Case(
        "skills-root-listing",
        "listSkillsBucketRoot",
        lambda c: c.skills.metadata_root_raw(B, limit=5, recursive=True),
        SkillMetadata,
        (f"GET /v2/metadata/skills/{B}/",),
        query="limit=5&recursive=true",
    ),
    Case(
        "skill-download",
        "downloadSkill",
        lambda c: c.skills.download_raw(B, "summarise").get_content(),
        bytes,
        (f"GET /v2/skills/{B}/summarise",),
        acall=_askill_download,
    ),
]
# Streamed operations: Prism validates the request, but cannot generate a stream.
STREAMED = {"createChatCompletion", "interactClientChannel"}


def _check(case: Case, result: Any) -> None:
    if case.expect is None:
        assert result is None
    elif callable(case.expect) and not isinstance(case.expect, type):
        case.expect(result)
    else:
        assert isinstance(result, case.expect), (type(result), result)
        if case.expect is bytes:
            assert result  # Prism's generated body


def _check_exchanges(prism: PrismDial, case: Case) -> None:
    exchanges = prism.assert_validated(*case.routes)
    if case.query is not None:
        assert exchanges[-1].query == case.query


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_sync_call_validates_against_prism(prism: PrismDial, case: Case) -> None:
    with prism.client() as client:
        result = case.call(client)
    _check(case, result)
    _check_exchanges(prism, case)


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
async def test_async_call_validates_against_prism(prism: PrismDial, case: Case) -> None:
    async with prism.async_client() as client:
        result = await (case.acall or case.call)(client)
    _check(case, result)
    _check_exchanges(prism, case)


def test_typed_results_carry_prism_generated_values(prism: PrismDial) -> None:
    # Prism fills each schema with its own placeholders ("string", 0, the first enum
    # value): the typed models hold them, field by field, under their Python names.
    with prism.client() as client:
        answer = client.chat.completions.create(
            "gpt-4o", messages=[{"role": "user", "content": "hi"}]
        )
        item = client.files.metadata(f"files/{B}/report.txt")
        prompt = client.prompts.get(f"prompts/{B}/greeting")
    assert answer.choices[0].message.content == "string"
    assert item.bucket == "string" and item.parent_path == "string"
    assert prompt.folder_id == "string"


def test_bearer_token_validates_against_prism(prism: PrismDial) -> None:
    with prism.client(bearer_token="a.jwt.token") as client:
        assert isinstance(client.user.info(), UserInfo)
    with prism.client(api_key=API_KEY, bearer_token=lambda: "a.jwt.token") as client:
        assert isinstance(client.bucket.get_raw(), BucketResponse)
    prism.assert_validated("GET /v1/user/info", "GET /v1/bucket")


# ---------------------------------------------------------------------------- streams


def test_streamed_chat_request_validates_but_prism_cannot_stream(prism: PrismDial) -> None:
    with prism.client() as client:
        stream = client.chat.completions.create(
            "gpt-4o", messages=MESSAGES, stream=True, stream_options={"include_usage": True}
        )
        with pytest.raises(DialStreamError, match="terminator"):
            list(stream)
    prism.assert_validated("POST /openai/deployments/gpt-4o/chat/completions")


async def test_async_streamed_chat_request_validates_but_prism_cannot_stream(
    prism: PrismDial,
) -> None:
    async with prism.async_client() as client:
        stream = await client.chat.completions.create("gpt-4o", messages=MESSAGES, stream=True)
        with pytest.raises(DialStreamError, match="terminator"):
            async for _ in stream:
                pass
    prism.assert_validated("POST /openai/deployments/gpt-4o/chat/completions")


def test_client_channel_request_validates_but_prism_cannot_stream(prism: PrismDial) -> None:
    requests = [{"jsonrpc": "2.0", "id": "1", "method": "toolset/signin", "params": {"id": "t1"}}]
    with prism.client() as client:
        events = list(client.client_channel.interact(channel_id="ch-1", requests=requests))
    assert events == []  # Prism's body is the text "string", not an event
    prism.assert_validated("POST /v1/ops/client-channel/interact")


async def test_async_client_channel_request_validates(prism: PrismDial) -> None:
    requests = [{"jsonrpc": "2.0", "id": "1", "method": "toolset/signin", "params": {}}]
    async with prism.async_client() as client:
        events = [
            e async for e in client.client_channel.interact(channel_id="c", requests=requests)
        ]
    assert events == []
    prism.assert_validated("POST /v1/ops/client-channel/interact")


# ---------------------------------------------------------------------------- validation


def _violations(response: httpx.Response) -> list[dict[str, Any]]:
    return json.loads(response.headers["sl-violations"])  # type: ignore[no-any-return]


def test_prism_refuses_invalid_requests(prism: PrismDial) -> None:
    key = {"api-key": API_KEY}
    with httpx.Client(base_url=prism.base_url, timeout=10) as http:
        chat = "/openai/deployments/gpt-4o/chat/completions"
        r = http.post(chat, headers=key, json={"stream": False})
        assert r.status_code == 422
        assert "required property 'messages'" in _violations(r)[0]["message"]

        r = http.post(chat, headers=key, json={"messages": [], "temperature": "hot"})
        assert r.status_code == 422
        assert _violations(r)[0]["location"] == ["request", "body", "temperature"]

        r = http.get(f"/v1/metadata/files/{B}/a.txt", params={"limit": 5000}, headers=key)
        assert r.status_code == 400
        assert _violations(r)[0]["location"] == ["request", "query", "limit"]

        r = http.get("/v1/metadata/files/my-bucket/a.txt", headers=key)
        assert r.status_code == 400 and _violations(r)[0]["code"] == "pattern"

        r = http.put(f"/v1/files/{B}/a.txt", headers=key, json={"file": "hello"})
        assert r.status_code == 400 and _violations(r)[0]["code"] == 415

        r = http.put(f"/v1/files/{B}/a.txt", headers=key, files={"content": ("a.txt", b"x")})
        assert r.status_code == 400  # the part must be named `file`
        assert any("file" in v["message"] for v in _violations(r))

        r = http.post("/v1/ops/resource/move", headers=key, json={"sourceUrl": f"files/{B}/a"})
        assert r.status_code == 400
        assert "destinationUrl" in _violations(r)[0]["message"]

        r = http.get("/v1/bucket")
        assert r.status_code == 401 and _violations(r)[0]["code"] == 401

        r = http.get("/v1/bucket", headers=key)  # and the same request, valid
        assert r.status_code == 200 and "sl-violations" not in r.headers


def test_prism_refusals_raise_typed_errors(prism: PrismDial) -> None:
    with prism.client() as client:
        with pytest.raises(DialUnprocessableEntityError) as bad_body:
            client.chat.completions.create("gpt-4o", messages=[{"role": "user", "content": 5}])
        with pytest.raises(InvalidRequestError) as bad_query:
            client.files.metadata(f"files/{B}/", limit=5000)
    assert bad_body.value.status_code == 422 and bad_query.value.status_code == 400
    assert [x.status for x in prism.exchanges] == [422, 400]
    assert all(x.violations for x in prism.exchanges)


async def test_async_prism_refusal_raises_typed_error(prism: PrismDial) -> None:
    async with prism.async_client() as client:
        with pytest.raises(DialUnprocessableEntityError):
            await client.chat.completions.create("gpt-4o", messages=[{"role": "robot"}])
    assert prism.exchanges[0].violations


def test_prism_cannot_route_multi_segment_paths(prism: PrismDial) -> None:
    # Why nested storage paths and folder listings run against the Core fake instead.
    with prism.client() as client:
        for call in (
            lambda: client.files.metadata(f"files/{B}/docs/"),
            lambda: client.files.download(f"files/{B}/dir/a.txt"),
            lambda: client.files.upload(f"files/{B}/dir/a.txt", b"x"),
            lambda: client.prompts.get(f"prompts/{B}/dir/greeting"),
        ):
            with pytest.raises(ResourceNotFoundError, match="NO_PATH_MATCHED_ERROR"):
                call()
    assert {x.status for x in prism.exchanges} == {404}


# ---------------------------------------------------------------------------- coverage


def test_every_operation_is_run_against_prism() -> None:
    document = load_spec(SPEC).document
    operations = {
        op["operationId"]
        for item in document["paths"].values()
        for method, op in item.items()
        if method in {"get", "put", "post", "delete", "patch", "head", "options"}
    }
    run = {case.op for case in CASES} | STREAMED
    assert run <= operations, run - operations
    assert operations <= run, f"not run against Prism: {sorted(operations - run)}"


def test_without_node_prism_is_unavailable_with_the_reason(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty folder: no node, no npm
    with pytest.raises(PrismUnavailable, match="`node` is not on PATH"):
        ensure_installed()
