"""SSE: the incremental decoder, and typed streams over a real streaming endpoint."""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import clientcore
from clientcore._sse import ServerSentEvent, SSEDecoder
from tests.runtime.conftest import Server, call
from tests.runtime.contract_client import (
    SSE,
    STREAM,
    AsyncDemoClient,
    DemoClient,
    DemoError,
    Event,
)

# -- the decoder (no I/O) ---------------------------------------------------------------

STREAM_TEXT = (
    "\ufeff: comment\n"
    "event: greeting\nid: 7\nretry: 1500\ndata: hello\ndata:world\n\n"
    'data: {"a": "ü"}\r\n\r\n'
    "data\n\n"  # a field with no colon: empty data line
    "event: ping\n\n"  # no data: not dispatched
    "data: cr only\r\r"
    "data: last\n\n"
)
EXPECTED = [
    ServerSentEvent("hello\nworld", event="greeting", id="7", retry=1500),
    ServerSentEvent('{"a": "ü"}', id="7", retry=1500),
    ServerSentEvent("", id="7", retry=1500),
    ServerSentEvent("cr only", id="7", retry=1500),
    ServerSentEvent("last", id="7", retry=1500),
]


def decode_in_chunks(data: bytes, size: int) -> list[ServerSentEvent]:
    decoder = SSEDecoder()
    events: list[ServerSentEvent] = []
    for i in range(0, len(data), size):
        events.extend(decoder.feed(data[i : i + size]))
    events.extend(decoder.flush())
    return events


def test_decoder_whole() -> None:
    events = decode_in_chunks(STREAM_TEXT.encode(), 10_000)
    assert [e.data for e in events] == [e.data for e in EXPECTED]
    assert events == EXPECTED


@pytest.mark.parametrize("size", [1, 2, 3, 5, 7, 13])
def test_decoder_any_chunking(size: int) -> None:
    """Split anywhere (inside CRLF, inside a UTF-8 character): same events."""
    assert decode_in_chunks(STREAM_TEXT.encode(), size) == EXPECTED


def test_decoder_flushes_an_unterminated_event() -> None:
    decoder = SSEDecoder()
    assert decoder.feed(b"data: a\n\ndata: tail") == [ServerSentEvent("a")]
    assert decoder.flush() == [ServerSentEvent("tail")]
    decoder = SSEDecoder()
    assert decoder.feed(b"data: x\r") == []  # the CR may be half of a CRLF
    assert decoder.feed(b"\n\r\n") == [ServerSentEvent("x")]


# -- typed streams ----------------------------------------------------------------------


def run_id() -> str:
    return uuid.uuid4().hex


async def events_of(stream: Any, limit: int | None = None) -> list[Any]:
    out: list[Any] = []
    if isinstance(stream, clientcore.AsyncStream):
        async for event in stream:
            out.append(event)
            if limit is not None and len(out) >= limit:
                break
    else:
        for event in stream:
            out.append(event)
            if limit is not None and len(out) >= limit:
                break
    return out


async def wait_for(flag: Any, timeout: float = 5.0) -> bool:
    """Wait (without blocking the event loop) until ``flag()`` is true."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not flag():
        if loop.time() > deadline:
            return False
        await asyncio.sleep(0.01)
    return True


@pytest.mark.parametrize("crlf", ["0", "1"])
async def test_stream_yields_typed_events_until_done(
    make_client: Any, server: Server, crlf: str
) -> None:
    client = make_client()
    run = run_id()
    stream = await call(client.events(run, n=5, crlf=crlf))
    events = await events_of(stream)
    assert [e.index for e in events] == [0, 1, 2, 3, 4]  # nothing after [DONE]
    assert all(isinstance(e, Event) for e in events)
    assert stream.response.is_closed
    seen = server.state.seen["sse:" + run][0]
    assert seen["headers"]["accept"] == "text/event-stream"
    assert seen["headers"]["content-type"] == "application/json"


async def test_error_event_raises_the_api_base_error(make_client: Any, server: Server) -> None:
    client = make_client()
    stream = await call(client.events(run_id(), n=5, error_at=2))
    got: list[Any] = []
    with pytest.raises(DemoError) as info:
        if isinstance(stream, clientcore.AsyncStream):
            async for event in stream:
                got.append(event)
        else:
            for event in stream:
                got.append(event)
    err = info.value
    assert [e.index for e in got] == [0, 1]
    assert type(err) is DemoError  # status-less base class
    assert err.status_code is None
    assert err.body == {"error": {"message": "bad thing", "code": "E2"}}
    assert err.message == "bad thing"
    assert stream.response.is_closed


async def test_breaking_out_closes_the_connection(make_client: Any, server: Server) -> None:
    client = make_client()
    run = run_id()
    stream = await call(client.events(run, n=2, forever=1))  # never ends by itself
    events = await events_of(stream, limit=2)
    assert [e.index for e in events] == [0, 1]
    assert await wait_for(lambda: stream.response is not None and stream.response.is_closed)
    # the server saw the client go away: its generator was cancelled, not completed
    assert await wait_for(server.state.stream_ended[run].is_set)
    assert server.state.stream_cancelled.get(run) is True
    assert run not in server.state.stream_completed


async def test_close_and_context_manager(make_client: Any, server: Server, kind: str) -> None:
    client = make_client()
    run = run_id()
    if kind == "sync":
        with client.events(run, n=1, forever=1) as stream:
            first = next(stream)
        assert stream.response.is_closed
    else:
        async with client.events(run, n=1, forever=1) as stream:
            first = await stream.__anext__()
        assert stream.response.is_closed
    assert first.index == 0
    assert await wait_for(server.state.stream_ended[run].is_set)

    run2 = run_id()
    stream = await call(client.events(run2, n=1, forever=1))
    await events_of(stream, limit=1) if kind == "async" else next(stream)
    await call(stream.close())
    await call(stream.close())  # idempotent
    assert stream.response.is_closed
    assert await wait_for(server.state.stream_ended[run2].is_set)
    assert await events_of(stream) == []


async def test_http_error_before_streaming(make_client: Any, server: Server, kind: str) -> None:
    client = make_client(max_retries=0)
    run = run_id()
    if kind == "sync":
        with pytest.raises(clientcore.BadRequestError) as info:
            client.events(run, status=400)  # sync: raised by the call itself
    else:
        stream = client.events(run, status=400)  # async: a plain call, sent lazily
        assert server.state.counts["sse:" + run] == 0
        with pytest.raises(clientcore.BadRequestError) as info:
            await events_of(stream)
    assert info.value.message == "no stream"
    assert server.state.counts["sse:" + run] == 1


async def test_string_items_and_any(make_client: Any) -> None:
    client = make_client()
    stream = await call(client._stream(SSE, str, STREAM, path={"run": run_id()}, query={"n": 2}))
    assert [json.loads(e)["index"] for e in await events_of(stream)] == [0, 1]
    stream = await call(client._stream(SSE, Any, STREAM, path={"run": run_id()}, query={"n": 1}))
    assert await events_of(stream) == [{"index": 0, "text": "event 0"}]


def test_abandoned_sync_stream_is_closed_when_collected(server: Server) -> None:
    client = DemoClient(base_url=server.base_url)
    run = run_id()
    stream = client.events(run, n=1, forever=1)
    response = stream.response
    assert next(stream).index == 0
    del stream  # no reference cycle: collected at once
    assert response.is_closed
    assert server.state.stream_ended[run].wait(5)
    client.close()


def test_a_non_sse_body_is_a_stream_error_not_an_empty_stream() -> None:
    """A JSON body where events were expected has no terminator: the caller is told,
    rather than handed an empty stream that looks complete."""

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"not": "sse"})

    client = DemoClient(
        base_url="http://api.test", http_client=httpx.Client(transport=httpx.MockTransport(handler))
    )
    stream = client.events("x")
    with pytest.raises(clientcore.APIStreamError, match="ended before its terminator") as info:
        list(stream)
    assert isinstance(info.value, DemoError) and info.value.status_code == 200
    assert stream.response.is_closed


def test_a_failure_while_reading_events_is_a_connection_error() -> None:
    class Broken(httpx.SyncByteStream):
        def __iter__(self) -> Any:
            yield b'data: {"index": 0, "text": "a"}\n\n'
            raise httpx.RemoteProtocolError("peer closed connection")

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, stream=Broken())

    client = DemoClient(
        base_url="http://api.test", http_client=httpx.Client(transport=httpx.MockTransport(handler))
    )
    stream = client.events("x")
    assert next(stream).index == 0
    with pytest.raises(clientcore.APIConnectionError) as info:
        next(stream)
    assert "peer closed connection" in str(info.value)
    assert stream.response.is_closed


def _stream_of(body: bytes) -> Any:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=body, headers={"content-type": "text/event-stream"})

    client = DemoClient(
        base_url="http://api.test", http_client=httpx.Client(transport=httpx.MockTransport(handler))
    )
    return client.events("x")


@pytest.mark.parametrize(
    ("data", "why"),
    [
        (b'{"index": 1, "te', "malformed JSON"),
        (b"<html>oops</html>", "not JSON at all"),
        (b'{"index": "one", "text": "b"}', "JSON of the wrong shape"),
    ],
)
def test_a_malformed_event_is_a_typed_stream_error_keeping_its_data(data: bytes, why: str) -> None:
    good = b'data: {"index": 0, "text": "a"}\n\n'
    stream = _stream_of(good + b"data: " + data + b"\n\ndata: [DONE]\n\n")
    assert next(stream).index == 0
    with pytest.raises(clientcore.APIStreamError, match="Invalid stream event") as info:
        next(stream)
    err = info.value
    assert isinstance(err, DemoError), why
    assert err.body == data.decode() and err.status_code == 200
    assert isinstance(err.__cause__, ValueError)
    assert "\n" not in str(err)
    assert stream.response.is_closed


def test_a_stream_cut_mid_event_is_a_typed_stream_error_not_a_short_answer() -> None:
    stream = _stream_of(b'data: {"index": 0, "text": "a"}\n\ndata: {"index": 1, "te')
    assert next(stream).index == 0
    with pytest.raises(clientcore.APIStreamError):
        next(stream)
    assert stream.response.is_closed


async def test_async_malformed_event_is_a_typed_stream_error() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        body = b'data: {"index": 0, "text": "a"}\n\ndata: nope\n\n'
        return httpx.Response(200, content=body)

    http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    client = AsyncDemoClient(base_url="http://api.test", http_client=http)
    seen = []
    with pytest.raises(clientcore.APIStreamError) as info:
        async for event in client.events("x"):
            seen.append(event.index)
    assert seen == [0] and isinstance(info.value, DemoError)


_FIELD_VALUES = st.text(
    alphabet=st.characters(blacklist_characters="\r\n", blacklist_categories=("Cs",)), max_size=8
)
_EVENTS = st.lists(
    st.tuples(
        st.sampled_from(["", "event: e\n", "id: 7\n", ": note\n", "retry: 5\n"]),
        st.lists(_FIELD_VALUES, min_size=1, max_size=3),
        st.sampled_from(["data: ", "data:"]),
    ),
    max_size=6,
)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(_EVENTS)
def test_one_event_per_chunk_decodes_exactly_as_the_whole_stream(events: Any) -> None:
    """Chunks that are each one whole ``data:`` event take the decoder's short path;
    the events must be exactly those of the same bytes decoded in one piece."""
    texts = [
        prefix + "".join(f"{field}{value}\n" for value in values) + "\n"
        for prefix, values, field in events
    ]
    whole = SSEDecoder()
    expected = whole.feed("".join(texts).encode()) + whole.flush()
    pieces = SSEDecoder()
    got: list[ServerSentEvent] = []
    for text in texts:
        got += pieces.feed(text.encode())
    got += pieces.flush()
    assert got == expected
