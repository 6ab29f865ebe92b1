"""An incremental Server-Sent Events decoder, written once and without I/O.

Design notes
------------
* ``SSEDecoder.feed(chunk)`` takes bytes exactly as they arrive (events, lines and even
  UTF-8 characters may be split anywhere) and returns the events completed so far;
  ``flush()`` ends the stream.  The sync and async streams both drive it.
* Follows the WHATWG event-stream rules: LF, CRLF or CR line ends (a CR at the end of
  a chunk waits for the next chunk in case an LF follows), ``field: value`` with one
  optional space removed, ``:`` comments ignored, multi-line ``data`` joined with
  ``\\n``, an event dispatched at a blank line only when it has data, a leading BOM
  dropped.  One leniency: an unterminated last event is dispatched by ``flush()``.
* A chunk that is exactly one whole ``data:`` event (what streaming APIs send) takes a
  short path giving the same event.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

__all__ = ["SSEDecoder", "ServerSentEvent"]

_LINE_END = re.compile(r"\r\n|\r|\n")


@dataclass(slots=True)
class ServerSentEvent:
    """One dispatched event (compared by value, unhashable)."""

    data: str
    event: str | None = None
    id: str | None = None
    retry: int | None = None


class SSEDecoder:
    """Feed bytes in, get ``ServerSentEvent``s out."""

    __slots__ = ("_utf8", "_buffer", "_data", "_event", "_id", "_retry", "_started")

    def __init__(self) -> None:
        self._utf8 = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._buffer = ""
        self._data: list[str] = []
        self._event: str | None = None
        self._id: str | None = None
        self._retry: int | None = None
        self._started = False

    def feed(self, chunk: bytes) -> list[ServerSentEvent]:
        text = self._utf8.decode(chunk)
        if (
            text.endswith("\n\n")
            and text.startswith("data:")
            and text.count("\n") == 2
            and self._started
            and not self._buffer
            and not self._data
            and self._event is None
            and "\r" not in text
        ):
            # The common chunk, one whole ``data:`` event: the rules below give
            # exactly this, for a fraction of the work.
            value = text[5:-2]
            if value[:1] == " ":
                value = value[1:]
            return [ServerSentEvent(value, None, self._id, self._retry)]
        return self._process(text, final=False)

    def flush(self) -> list[ServerSentEvent]:
        events = self._process(self._utf8.decode(b"", final=True), final=True)
        if self._buffer:
            events.extend(self._line(self._buffer))
            self._buffer = ""
        if self._data:
            events.append(self._dispatch())
        return events

    def _process(self, text: str, final: bool) -> list[ServerSentEvent]:
        if not self._started and text:
            self._started = True
            if text.startswith("\ufeff"):
                text = text[1:]
        text = self._buffer + text
        if not final and text.endswith("\r"):
            # The LF of a CRLF may be in the next chunk: keep the CR until then.
            lines = _LINE_END.split(text[:-1])
            lines[-1] += "\r"
        else:
            lines = _LINE_END.split(text)
        self._buffer = lines.pop()
        events: list[ServerSentEvent] = []
        for line in lines:
            events.extend(self._line(line))
        return events

    def _line(self, line: str) -> list[ServerSentEvent]:
        if not line:
            if self._data:
                return [self._dispatch()]
            self._event = None
            return []
        if line[0] == ":":
            return []
        name, sep, value = line.partition(":")
        if sep and value[:1] == " ":
            value = value[1:]
        if name == "data":
            self._data.append(value)
        elif name == "event":
            self._event = value
        elif name == "id":
            if "\0" not in value:
                self._id = value
        elif name == "retry":
            if value.isdigit():
                self._retry = int(value)
        return []

    def _dispatch(self) -> ServerSentEvent:
        event = ServerSentEvent("\n".join(self._data), self._event, self._id, self._retry)
        self._data = []
        self._event = None
        return event
