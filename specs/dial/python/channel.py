"""``client.client_channel.signin_toolsets``: ask the user's client to sign in to toolsets.

Design notes
------------
* One JSON-RPC 2.0 batch (``toolset/signin`` with ``{"toolsetId": ...}``, string ids
  ``"1".."n"``, always an array) through the generated ``interact`` stream; the first
  data event holds the response object or array (heartbeat comments are skipped by the
  SSE decoder).  Each toolset maps to ``SigninResult.SUCCESS`` / ``DENIED`` from its
  response's ``result``, else ``ERROR`` (an error response, another result, no response).
* Caller mistakes raise ``DialParameterError`` before sending: a single ``str`` (itself a
  sequence of characters) or duplicate ids; no ids returns ``{}`` without a request.  A
  batch-level error (an error response with ``id: null``) or a stream without a data
  event raises ``DialException``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, Protocol

import clientcore
from clientcore import NOT_GIVEN, NotGiven

from .._exceptions import DialException, DialParameterError

if TYPE_CHECKING:
    import httpx

    from ..models import SigninResult

__all__ = ["AsyncClientChannelMixin", "ClientChannelMixin"]

_METHOD = "toolset/signin"


class _Channel(Protocol):
    def interact(
        self,
        *,
        channel_id: str,
        requests: Sequence[Any],
        timeout: float | httpx.Timeout | None | NotGiven = ...,
    ) -> clientcore.Stream[Any]: ...


class _AsyncChannel(Protocol):
    def interact(
        self,
        *,
        channel_id: str,
        requests: Sequence[Any],
        timeout: float | httpx.Timeout | None | NotGiven = ...,
    ) -> clientcore.AsyncStream[Any]: ...


def _requests(toolset_ids: Sequence[str]) -> tuple[list[str], list[dict[str, Any]]]:
    if isinstance(toolset_ids, str):
        raise DialParameterError("toolset_ids", "give a sequence of toolset ids, not a single str")
    ids = list(toolset_ids)
    if len(set(ids)) != len(ids):
        raise DialParameterError("toolset_ids", "toolset ids must not repeat")
    batch = [
        {"jsonrpc": "2.0", "method": _METHOD, "params": {"toolsetId": tid}, "id": str(n)}
        for n, tid in enumerate(ids, start=1)
    ]
    return ids, batch


def _outcomes(ids: list[str], events: Iterable[Any]) -> dict[str, SigninResult]:
    from ..models import SigninResult

    for payload in events:
        responses = payload if isinstance(payload, list) else [payload]
        by_id: dict[str, Any] = {}
        for response in responses:
            if not isinstance(response, dict):
                raise DialException(f"not a JSON-RPC response: {response!r}")
            if response.get("id") is None and isinstance(response.get("error"), dict):
                error = response["error"]
                raise DialException(
                    f"Server-level JSON-RPC error ({error.get('code')}): {error.get('message')}",
                    body=payload,
                )
            by_id[str(response.get("id"))] = response
        out: dict[str, SigninResult] = {}
        for n, tid in enumerate(ids, start=1):
            found = by_id.get(str(n))
            result = None if found is None or "error" in found else found.get("result")
            if result == "success":
                out[tid] = SigninResult.SUCCESS
            elif result == "denied":
                out[tid] = SigninResult.DENIED
            else:
                out[tid] = SigninResult.ERROR
        return out
    raise DialException("the client channel closed without answering (no data event)")


class ClientChannelMixin:
    """``client.client_channel``: ``interact`` (generated) and ``signin_toolsets``."""

    def signin_toolsets(
        self: _Channel,
        *,
        channel_id: str,
        toolset_ids: Sequence[str],
        timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
    ) -> dict[str, SigninResult]:
        """Ask the user (through their client, ``channel_id``) to sign in to each toolset;
        ``{toolset_id: SigninResult}``."""
        ids, batch = _requests(toolset_ids)
        if not ids:
            return {}
        stream = self.interact(channel_id=channel_id, requests=batch, timeout=timeout)
        with stream:
            return _outcomes(ids, stream)


class AsyncClientChannelMixin:
    async def signin_toolsets(
        self: _AsyncChannel,
        *,
        channel_id: str,
        toolset_ids: Sequence[str],
        timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
    ) -> dict[str, SigninResult]:
        """Async ``signin_toolsets`` (see the sync client)."""
        ids, batch = _requests(toolset_ids)
        if not ids:
            return {}
        async with self.interact(channel_id=channel_id, requests=batch, timeout=timeout) as s:
            first = [item async for item in _first(s)]
        return _outcomes(ids, first)


async def _first(stream: clientcore.AsyncStream[Any]) -> Any:
    async for item in stream:
        yield item
        return
