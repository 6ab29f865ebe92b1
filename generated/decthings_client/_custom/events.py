# Copied by codegen from specs/decthings/python/events.py (sha256 f87a786afe774404). Edit that file, not this one.
"""Decthings events, typed: what ``client.on_event`` listeners receive.

Design notes
------------
* The 12 wire events (decthings.md §4) are models generated from
  ``schemas/events.yaml``: flat objects holding the frame's ``namespace``, the JSON's
  ``event``, the params' fields, and ``data`` (blob 0 of the frame, ``bytes``) where
  the event carries bytes.  :func:`make_event` picks the model by (namespace, event),
  read from the models' own ``Literal`` fields, not from a table written here.
* An event the client does not know (a new event name, a namespace, params that do
  not fit the model, a missing blob) never crashes the reader: it is an
  :class:`UnknownEvent` with the raw namespace, event name, params and blobs.
* :class:`SubscriptionsRemovedEvent` is not a wire event: the client emits it once
  when subscriptions are lost (the socket dropped and they could not be restored:
  reconnect failed, or the server refused ``subscribeToEvents`` for them), naming
  each lost ``(namespace, id)``.
* ``DecthingsEvent`` is the union of all of them, so ``match`` / ``isinstance`` on a
  listener's argument narrows under mypy.
"""

from __future__ import annotations

import typing
from dataclasses import dataclass, field
from typing import Any, TypeAlias

import pydantic

from ..models import (
    DebugExitEvent,
    DebugInitializedEvent,
    DebugRemoteInspectorDataEvent,
    DebugStderrEvent,
    DebugStdoutEvent,
    LanguageDataEvent,
    LanguageExitEvent,
    SpawnedExitEvent,
    SpawnedStderrEvent,
    SpawnedStdoutEvent,
    TerminalDataEvent,
    TerminalExitEvent,
)

__all__ = [
    "DecthingsEvent",
    "SubscriptionsRemovedEvent",
    "UnknownEvent",
    "WireEvent",
    "make_event",
]


@dataclass(frozen=True)
class UnknownEvent:
    """An event this client version does not know, or whose params do not fit its
    model: the frame's raw parts."""

    namespace: str
    event: str
    params: dict[str, Any] = field(default_factory=dict)
    blobs: tuple[bytes, ...] = ()


@dataclass(frozen=True)
class SubscriptionsRemovedEvent:
    """Subscriptions lost with the WebSocket (client-side, not a wire event): each
    ``(namespace, id)``, e.g. ``("Spawned", "<spawnedCommandId>")``."""

    subscriptions: tuple[tuple[str, str], ...]
    namespace: str = "client"
    event: str = "subscriptionsRemoved"

    @property
    def ids(self) -> tuple[str, ...]:
        """The lost ids (debug sessions, spawned commands, terminals, language servers)."""
        return tuple(i for _, i in self.subscriptions)


WireEvent: TypeAlias = (
    DebugExitEvent
    | DebugStdoutEvent
    | DebugStderrEvent
    | DebugInitializedEvent
    | DebugRemoteInspectorDataEvent
    | LanguageExitEvent
    | LanguageDataEvent
    | SpawnedExitEvent
    | SpawnedStdoutEvent
    | SpawnedStderrEvent
    | TerminalExitEvent
    | TerminalDataEvent
)
"""The 12 events the server sends."""

DecthingsEvent: TypeAlias = WireEvent | UnknownEvent | SubscriptionsRemovedEvent
"""Whatever a listener receives."""


def _tag(model: type[pydantic.BaseModel], name: str) -> str:
    (value,) = typing.get_args(model.model_fields[name].annotation)
    return str(value)


_MODELS: dict[tuple[str, str], type[pydantic.BaseModel]] = {
    (_tag(m, "namespace"), _tag(m, "event")): m for m in typing.get_args(WireEvent)
}


def make_event(namespace: str, payload: object, blobs: list[bytes]) -> DecthingsEvent:
    """The typed event of one event frame (``payload``: its ``{"event", "params"}``)."""
    body = payload if isinstance(payload, dict) else {}
    name = body.get("event")
    params = body.get("params")
    params = dict(params) if isinstance(params, dict) else {}
    unknown = UnknownEvent(namespace, str(name), params, tuple(blobs))
    model = _MODELS.get((namespace, str(name)))
    if model is None:
        return unknown
    value: dict[str, Any] = {**params, "namespace": namespace, "event": name}
    if "data" in model.model_fields:
        if not blobs:
            return unknown
        value["data"] = blobs[0]
    try:
        event: WireEvent = model.model_validate(value)  # type: ignore[assignment]
    except pydantic.ValidationError:
        return unknown
    return event
