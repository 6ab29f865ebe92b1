"""Everything a DIAL Core fake remembers: who may call it, the store, the catalog, the log.

Design notes
------------
* Credentials map to a ``Principal`` (Core's view of the caller: a project API key, a
  user's JWT, or a per-request key that Core mints for an application it calls).  Each
  principal owns one bucket; a principal may touch only its own bucket (403 otherwise),
  a bucket nobody owns is "invalid" (400), as Core answers when it cannot decrypt one.
* ``api-key`` wins when both headers are sent (it must then be valid); otherwise a
  ``Bearer`` token; neither is a 401.  Header names are case-insensitive (ASGI lowers them),
  so ``Api-Key`` works as in Core.
* ``CoreState.reset()`` restores the defaults (store, catalog, faults, log, grants,
  download settings) so one served fake can be shared by a whole test session.
* ``DownloadGate`` lets a test prove a client streams a download: the fake sends the first
  chunk(s), then waits for ``release()``; ``waiting`` is set once it is parked, i.e. once the
  client could only have what was sent so far.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from tests.servers.wire import RecordedRequest

from .catalog import Catalog, default_catalog
from .faults import FaultInjector
from .storage import Store

__all__ = [
    "API_KEY",
    "APP_BUCKET",
    "BEARER_TOKEN",
    "BUCKET",
    "OTHER_BUCKET",
    "OTHER_KEY",
    "PER_REQUEST_KEY",
    "USER_BUCKET",
    "CoreState",
    "Ctx",
    "DownloadGate",
    "Principal",
    "default_principals",
]

API_KEY = "dial-test-key"
BEARER_TOKEN = "dial-test-token"
OTHER_KEY = "dial-other-key"
PER_REQUEST_KEY = "dial-per-request-key"
BUCKET = "7NsV3h5fWqXa2eTcJ4kZrB"  # the API key's (project) bucket
USER_BUCKET = "9BXqkMcP1hP5tUzH7wNDbW"  # the bearer token's user bucket
OTHER_BUCKET = "3mZTxMd3mUcDhWj2YhQk1Y"
APP_BUCKET = "5fQe8RkLm2NpVw4XyZaB6C"


@dataclass(frozen=True)
class Principal:
    name: str
    bucket: str
    kind: str  # "api-key" | "jwt" | "per-request"
    roles: tuple[str, ...] = ("default",)
    project: str | None = None
    claims: tuple[tuple[str, Any], ...] = ()
    appdata: str | None = None  # "{bucket}/appdata/{app}" for an application's per-request key

    def user_info(self) -> dict[str, Any]:
        out: dict[str, Any] = {"roles": list(self.roles)}
        if self.project:
            out["project"] = self.project
        if self.claims:
            out["userClaims"] = {k: v for k, v in self.claims}
        return out

    def bucket_info(self) -> dict[str, Any]:
        out = {"bucket": self.bucket}
        if self.appdata:
            out["appdata"] = self.appdata
        return out


def default_principals() -> tuple[dict[str, Principal], dict[str, Principal]]:
    """(api keys, bearer tokens) accepted by a fresh fake."""
    keys = {
        API_KEY: Principal("test-project", BUCKET, "api-key", project="test-project"),
        OTHER_KEY: Principal("other-project", OTHER_BUCKET, "api-key", project="other-project"),
        PER_REQUEST_KEY: Principal(
            "echo-app", APP_BUCKET, "per-request", appdata=f"{USER_BUCKET}/appdata/echo-app"
        ),
    }
    tokens = {
        BEARER_TOKEN: Principal(
            "alice",
            USER_BUCKET,
            "jwt",
            roles=("default", "admin"),
            claims=(("email", ["alice@example.invalid"]), ("sub", ["alice"])),
        )
    }
    return keys, tokens


class DownloadGate:
    """Hold file downloads after ``after_chunks`` chunks until ``release()`` (or ``timeout``)."""

    def __init__(self, after_chunks: int = 1, timeout: float = 10.0) -> None:
        self.after_chunks = after_chunks
        self.timeout = timeout
        self.released = threading.Event()
        self.waiting = threading.Event()

    def release(self) -> None:
        self.released.set()


@dataclass
class CoreState:
    store: Store = field(default_factory=Store)
    catalog: Catalog = field(default_factory=default_catalog)
    faults: FaultInjector = field(default_factory=FaultInjector)
    requests: list[RecordedRequest] = field(default_factory=list)
    api_keys: dict[str, Principal] = field(default_factory=dict)
    bearer_tokens: dict[str, Principal] = field(default_factory=dict)
    grants: list[dict[str, Any]] = field(default_factory=list)  # per-request-permission grants
    chat_upstream: Any = None  # an ASGI app serving /openai/deployments/{id}/chat/completions
    per_request_key: str = PER_REQUEST_KEY  # the api-key Core sends to the upstream
    download_chunk_size: int = 64 * 1024
    download_gate: DownloadGate | None = None

    def __post_init__(self) -> None:
        if not self.api_keys and not self.bearer_tokens:
            self.api_keys, self.bearer_tokens = default_principals()

    @property
    def buckets(self) -> dict[str, Principal]:
        return {p.bucket: p for p in (*self.api_keys.values(), *self.bearer_tokens.values())}

    def hold_downloads(self, after_chunks: int = 1, timeout: float = 10.0) -> DownloadGate:
        self.download_gate = DownloadGate(after_chunks, timeout)
        return self.download_gate

    def put_file(
        self, bucket: str, path: str, content: bytes, content_type: str = "text/plain"
    ) -> dict[str, Any]:
        """Store a file out-of-band (``path`` decoded, ``/``-separated); its metadata JSON."""
        from .storage import Resource

        res = Resource("files", bucket, tuple(path.split("/")), False)
        item = self.store.put(res, content, content_type)
        return self.store.item_metadata(res, item)

    def reset(self) -> None:
        self.store.reset()
        self.catalog.reset()
        self.faults.clear()
        self.requests.clear()
        self.grants.clear()
        self.api_keys, self.bearer_tokens = default_principals()
        self.download_chunk_size = 64 * 1024
        self.download_gate = None


@dataclass
class Ctx:
    """What a route handler sees."""

    req: RecordedRequest
    state: CoreState
    principal: Principal

    def q(self, name: str) -> str | None:
        vals = [v for k, v in self.req.query if k == name]
        return vals[-1] if vals else None
