"""Per-package adapters: what the fault tests need to know about each generated client.

Adding a package to the fault suite means adding one ``Adapter`` to ``ADAPTERS``:

* how to load the package (an installed one is imported; a test spec is compiled);
* the names of its sync and async client classes and of its base error class, and
  the constructor arguments it needs besides ``base_url`` (a credential);
* an idempotent call, a non-idempotent call, the non-idempotent call with its
  idempotency key (when the API has one) and a streaming call (when it has one),
  each as an ``Op``/``StreamOp``: the method and the path the server sees, how to
  invoke it with a call key (``invoke(client, key, **options)``, options being the
  generated methods' ``extra_headers``/``timeout``/``max_retries``), the JSON a
  server answers on success for that key, and how to recognise the right result.

A test declares what it needs with ``@pytest.mark.faults_need("idempotent", ...)``;
``conftest.py`` runs it once per adapter that has all of it (and per sync/async).
Capabilities a package lacks are simply not run for it: no skips to read past.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from tests.support.compiled import compiled_package

__all__ = ["ADAPTERS", "Adapter", "Op", "Package", "StreamOp", "adapters_with"]

ROOT = Path(__file__).resolve().parents[2]

Loader = Callable[[Path], AbstractContextManager[ModuleType]]


@dataclass(frozen=True)
class Op:
    """One unary operation, driven with a per-call ``key``."""

    method: str
    path: Callable[[str], str]
    invoke: Callable[..., Any]  # (client, key, **options) -> result, or an awaitable of it
    ok: Callable[[str], Mapping[str, object]]  # the success body a server sends for ``key``
    check: Callable[[Any, str], bool]  # whether a result is the one ``ok(key)`` describes


@dataclass(frozen=True)
class StreamOp:
    """One Server-Sent Events operation: ``open`` returns the package's stream object."""

    method: str
    path: Callable[[str], str]
    open: Callable[..., Any]  # (client, key, **options) -> Stream / AsyncStream
    events: Callable[[str], list[Mapping[str, object]]]  # the events a server sends
    check: Callable[[list[Any], str], bool]  # whether the items are those events
    item_key: Callable[[Any], object]  # what identifies an item ...
    event_key: Callable[[Mapping[str, Any]], object]  # ... and the event it came from


@dataclass(frozen=True)
class Adapter:
    name: str
    load: Loader
    sync_client: str
    async_client: str
    base_error: str
    client_kwargs: Mapping[str, object] = field(default_factory=dict)
    idempotent: Op | None = None
    non_idempotent: Op | None = None
    keyed: Op | None = None  # the non-idempotent op, sent with its idempotency key
    stream: StreamOp | None = None

    def has(self, *capabilities: str) -> bool:
        return all(getattr(self, c) is not None for c in capabilities)

    def unary_ops(self) -> list[tuple[str, Op, bool]]:
        """``(capability, op, retry_safe)`` for each unary op the package has; an op is
        retry-safe when idempotent or sent with its idempotency key."""
        ops = [
            ("idempotent", self.idempotent, True),
            ("non_idempotent", self.non_idempotent, False),
            ("keyed", self.keyed, True),
        ]
        return [(name, op, safe) for name, op, safe in ops if op is not None]

    @property
    def unary(self) -> Op:
        """The op a test that only needs *a* call uses: idempotent when there is one."""
        op = self.idempotent or self.non_idempotent or self.keyed
        assert op is not None, f"adapter {self.name} has no unary op"
        return op


@dataclass(frozen=True)
class Package:
    """An adapter with its package loaded: the classes themselves."""

    adapter: Adapter
    module: ModuleType
    sync_client: type[Any]
    async_client: type[Any]
    base_error: type[Exception]

    @classmethod
    def of(cls, adapter: Adapter, module: ModuleType) -> Package:
        return cls(
            adapter,
            module,
            getattr(module, adapter.sync_client),
            getattr(module, adapter.async_client),
            getattr(module, adapter.base_error),
        )


def imported(name: str) -> Loader:
    """A package installed (or on ``sys.path``) under ``name``."""

    @contextmanager
    def load(_folder: Path) -> Iterator[ModuleType]:
        yield importlib.import_module(name)

    return load


def compiled(spec: Path, package: str) -> Loader:
    """A test spec compiled into a temporary folder (``tests/support/compiled.py``)."""

    def load(folder: Path) -> AbstractContextManager[ModuleType]:
        return compiled_package(spec, package, folder)

    return load


# -- Scale ---------------------------------------------------------------------------

_IMG = "http://127.0.0.1/picture.jpg"


def _scale_create(keyed: bool) -> Op:
    def invoke(client: Any, key: str, **options: Any) -> Any:
        extra = {"unique_id": key} if keyed else {}
        return client.create_task(
            "imageannotation", project="faults", attachment=_IMG, **extra, **options
        )

    return Op(
        "POST",
        lambda key: "/v1/task/imageannotation",
        invoke,
        lambda key: {"task_id": key, "unique_id": key} if keyed else {"task_id": key},
        lambda task, key: task.task_id == key,
    )


SCALE = Adapter(
    name="scale",
    load=imported("scale_client"),
    sync_client="ScaleClient",
    async_client="AsyncScaleClient",
    base_error="ScaleException",
    client_kwargs={"api_key": "live_fault_key"},
    idempotent=Op(
        "GET",
        lambda key: f"/v1/task/{key}",
        lambda client, key, **options: client.get_task(key, **options),
        lambda key: {"task_id": key, "status": "pending"},
        lambda task, key: task.task_id == key,
    ),
    non_idempotent=_scale_create(keyed=False),
    keyed=_scale_create(keyed=True),
)

# -- tests/specs/streaming: the one compiled spec with an ``x-stream`` operation -----


def _chunks(key: str) -> list[Mapping[str, object]]:
    return [{"index": i, "delta": f"{key}-{i}"} for i in range(3)]


STREAMING = Adapter(
    name="streaming-spec",
    load=compiled(ROOT / "tests" / "specs" / "streaming" / "openapi.yaml", "faults_streaming"),
    sync_client="StreamingClient",
    async_client="AsyncStreamingClient",
    base_error="StreamingError",
    non_idempotent=Op(
        "POST",
        lambda key: "/echo",
        lambda client, key, **options: client.echo(text=key, **options),
        lambda key: {"text": key},
        lambda echo, key: echo.text == key,
    ),
    stream=StreamOp(
        "POST",
        lambda key: "/completions",
        lambda client, key, **options: client.complete(prompt=key, n=3, **options),
        _chunks,
        lambda items, key: (
            [(c.index, c.delta) for c in items] == [(e["index"], e["delta"]) for e in _chunks(key)]
        ),
        lambda item: (item.index, item.delta),
        lambda event: (event["index"], event["delta"]),
    ),
)

# -- AI DIAL -------------------------------------------------------------------------


def _dial_chunks(key: str) -> list[Mapping[str, object]]:
    return [
        {
            "id": key,
            "object": "chat.completion.chunk",
            "created": 1,
            "choices": [{"index": 0, "delta": {"content": f"{key}-{i}"}}],
        }
        for i in range(3)
    ]


_HI = [{"role": "user", "content": "hi"}]

DIAL = Adapter(
    name="dial",
    load=imported("dial_client"),
    sync_client="Dial",
    async_client="AsyncDial",
    base_error="DialException",
    client_kwargs={"api_key": "dial_fault_key"},
    idempotent=Op(
        "GET",
        lambda key: f"/openai/deployments/{key}",
        lambda client, key, **options: client.deployments.get(key, **options),
        lambda key: {"id": key, "object": "deployment", "model": key, "created_at": 1},
        lambda deployment, key: deployment.id == key,
    ),
    # No non-idempotent call: chat completions are idempotent (x-idempotent: they change
    # nothing), and DIAL's non-idempotent POSTs (move, copy, grant) answer with no body,
    # so a malformed body is not a failure for them.
    stream=StreamOp(
        "POST",
        lambda key: f"/openai/deployments/{key}/chat/completions",
        lambda client, key, **options: client.chat.completions.create(
            deployment_name=key, messages=_HI, stream=True, **options
        ),
        _dial_chunks,
        lambda items, key: (
            [c.choices[0].delta.content for c in items] == [f"{key}-{i}" for i in range(3)]
        ),
        lambda item: item.choices[0].delta.content,
        lambda event: event["choices"][0]["delta"]["content"],
    ),
)

ADAPTERS: tuple[Adapter, ...] = (SCALE, STREAMING, DIAL)


def adapters_with(*capabilities: str) -> list[Adapter]:
    return [a for a in ADAPTERS if a.has(*capabilities)]
