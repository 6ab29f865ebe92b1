"""Retries against a server that fails N times, for sync and async clients.

Sleeps are recorded (``client.sleeps``), never waited for; delays are asserted against
the policy (``RetryPolicy(max_retries=3, initial_delay=0.5, max_delay=8.0)`` in demo).
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest

import clientcore
from clientcore import _retry
from tests.runtime.conftest import Server, call
from tests.runtime.contract_client import FLAKY_POST, FLAKY_PUT, DemoServerError


def key() -> str:
    return uuid.uuid4().hex


@pytest.fixture
def no_jitter(monkeypatch: pytest.MonkeyPatch) -> None:
    """Jitter factor at its lowest (x0.75), so delays are exact."""
    monkeypatch.setattr(_retry.random, "random", lambda: 0.0)


async def test_fails_twice_then_succeeds(make_client: Any, server: Server) -> None:
    client = make_client()
    k = key()
    result = await call(client.flaky(k, fail=2, status=503))
    assert result["attempts"] == 3
    assert server.state.counts["flaky:" + k] == 3
    assert len(client.sleeps) == 2
    # n-th retry waits initial_delay * 2**n, times a jitter in [0.75, 1.0].
    assert 0.375 <= client.sleeps[0] <= 0.5
    assert 0.75 <= client.sleeps[1] <= 1.0


async def test_backoff_doubles_and_is_capped(make_client: Any, no_jitter: None) -> None:
    client = make_client(max_retries=6)
    result = await call(client.flaky(key(), fail=6, status=500))
    assert result["attempts"] == 7
    # 0.5, 1, 2, 4, 8, 8 (capped at max_delay) times 0.75
    assert client.sleeps == [0.375, 0.75, 1.5, 3.0, 6.0, 6.0]


async def test_retries_exhausted_raises_last_status(make_client: Any, server: Server) -> None:
    client = make_client()
    k = key()
    with pytest.raises(DemoServerError) as info:
        await call(client.flaky(k, fail=10, status=503))
    assert info.value.status_code == 503
    assert info.value.message == "failure 4"  # the 4th (last) attempt's body
    assert server.state.counts["flaky:" + k] == 4  # 1 + max_retries
    assert len(client.sleeps) == 3


@pytest.mark.parametrize(
    ("header", "expected"),
    [({"retry-after": "2"}, 2.0), ({"retry-after": "0"}, 0.0), ({"retry-after-ms": "1500"}, 1.5)],
)
async def test_retry_after_is_honoured(
    make_client: Any, header: dict[str, str], expected: float
) -> None:
    client = make_client()
    result = await call(client.flaky(key(), fail=2, status=429, **header))
    assert result["attempts"] == 3
    assert client.sleeps == [expected, expected]


async def test_retry_after_http_date(make_client: Any) -> None:
    client = make_client()
    await call(client.flaky(key(), fail=1, status=503, retry_after_date=3))
    [delay] = client.sleeps
    assert 1.0 <= delay <= 3.0  # an HTTP date has 1 s resolution


async def test_retry_after_over_60s_falls_back_to_backoff(make_client: Any) -> None:
    client = make_client()
    await call(client.flaky(key(), fail=1, status=503, **{"retry-after": "3600"}))
    [delay] = client.sleeps
    assert 0.375 <= delay <= 0.5


async def test_429_is_retried_for_a_plain_post(make_client: Any, server: Server) -> None:
    client = make_client()
    k = key()
    result = await call(
        client._request(
            FLAKY_POST, dict, path={"key": k}, query={"fail": 1, "status": 429}, json={"name": "x"}
        )
    )
    assert result["attempts"] == 2
    assert server.state.counts["flaky:" + k] == 2


@pytest.mark.parametrize("status", [500, 503])
async def test_5xx_is_not_retried_for_a_plain_post(
    make_client: Any, server: Server, status: int
) -> None:
    client = make_client()
    k = key()
    with pytest.raises(DemoServerError) as info:
        await call(
            client._request(
                FLAKY_POST,
                dict,
                path={"key": k},
                query={"fail": 1, "status": status},
                json={"name": "x"},
            )
        )
    assert info.value.status_code == status
    assert server.state.counts["flaky:" + k] == 1
    assert client.sleeps == []


async def test_5xx_is_retried_for_a_post_carrying_its_idempotency_key(
    make_client: Any, server: Server
) -> None:
    client = make_client()
    k = key()
    result = await call(
        client._request(
            FLAKY_POST,
            dict,
            path={"key": k},
            query={"fail": 2, "status": 500},
            json={"unique_id": "u-1", "name": "x"},
        )
    )
    assert result["attempts"] == 3
    assert server.state.counts["flaky:" + k] == 3
    # every attempt sent the same body
    bodies = {seen["body"] for seen in server.state.seen["flaky:" + k]}
    assert bodies == {'{"unique_id":"u-1","name":"x"}'}


async def test_a_null_idempotency_key_does_not_make_a_post_retryable(
    make_client: Any, server: Server
) -> None:
    client = make_client()
    k = key()
    with pytest.raises(clientcore.InternalServerError):
        await call(
            client._request(
                FLAKY_POST,
                dict,
                path={"key": k},
                query={"fail": 1, "status": 500},
                json={"unique_id": None},
            )
        )
    assert server.state.counts["flaky:" + k] == 1


async def test_put_is_idempotent_and_retried(make_client: Any, server: Server) -> None:
    client = make_client()
    k = key()
    result = await call(
        client._request(FLAKY_PUT, dict, path={"key": k}, query={"fail": 1, "status": 502})
    )
    assert result["attempts"] == 2


async def test_non_retryable_status_is_not_retried(make_client: Any, server: Server) -> None:
    client = make_client()
    k = key()
    with pytest.raises(clientcore.BadRequestError):
        await call(client.flaky(k, fail=1, status=400))
    assert server.state.counts["flaky:" + k] == 1
    assert client.sleeps == []


async def test_max_retries_zero_disables(make_client: Any, server: Server) -> None:
    client = make_client(max_retries=0)
    k = key()
    with pytest.raises(clientcore.InternalServerError):
        await call(client.flaky(k, fail=1, status=503))
    assert server.state.counts["flaky:" + k] == 1
    assert client.sleeps == []


async def test_per_call_max_retries_overrides_the_client(make_client: Any, server: Server) -> None:
    client = make_client(max_retries=0)
    k = key()
    result = await call(
        client._request(
            FLAKY_PUT, dict, path={"key": k}, query={"fail": 2, "status": 503}, max_retries=2
        )
    )
    assert result["attempts"] == 3

    client = make_client()  # default 3 retries
    k = key()
    with pytest.raises(clientcore.InternalServerError):
        await call(
            client._request(
                FLAKY_PUT, dict, path={"key": k}, query={"fail": 1, "status": 503}, max_retries=0
            )
        )
    assert server.state.counts["flaky:" + k] == 1


async def test_retries_are_logged_without_secrets(
    make_client: Any, caplog: pytest.LogCaptureFixture
) -> None:
    client = make_client()
    with caplog.at_level("DEBUG"):
        await call(client.flaky(key(), fail=2, status=503))
    retries = [r for r in caplog.records if r.name == "clientcore" and "Retrying" in r.getMessage()]
    assert len(retries) == 2
    assert "GET /flaky/" in retries[0].getMessage()
    assert "status 503" in retries[0].getMessage()
    assert "attempt 2 of 4" in retries[0].getMessage()


def test_retry_decisions() -> None:
    import httpx

    assert _retry.should_retry_status(429, False) and _retry.should_retry_status(408, False)
    assert not _retry.should_retry_status(500, False) and _retry.should_retry_status(500, True)
    assert not _retry.should_retry_status(404, True)
    request = httpx.Request("GET", "http://x")
    refused = httpx.ConnectError("refused", request=request)
    read = httpx.ReadError("reset", request=request)
    read_timeout = httpx.ReadTimeout("slow", request=request)
    assert _retry.should_retry_exception(refused, False)  # never sent: always
    assert not _retry.should_retry_exception(read, False)
    assert not _retry.should_retry_exception(read_timeout, False)
    assert _retry.should_retry_exception(read_timeout, True)
    op = clientcore.Operation("POST", "/x", idempotency_key="k")
    assert not _retry.is_retry_safe(op, {"other": 1})
    assert _retry.is_retry_safe(op, {"k": "v"})
    assert _retry.is_retry_safe(clientcore.Operation("DELETE", "/x"), None)
    assert not _retry.is_retry_safe(clientcore.Operation("GET", "/x", idempotent=False), None)
    assert _retry.is_retry_safe(clientcore.Operation("POST", "/x", idempotent=True), None)


def test_parse_retry_after() -> None:
    import httpx

    def parse(**headers: str) -> float | None:
        return _retry.parse_retry_after(httpx.Headers(headers), now=lambda: 1_000_000.0)

    assert parse() is None
    assert parse(**{"retry-after": "7"}) == 7.0
    assert parse(**{"retry-after": "1.5"}) == 1.5
    assert parse(**{"retry-after": "61"}) is None
    assert parse(**{"retry-after": "soon"}) is None
    assert parse(**{"retry-after-ms": "250", "retry-after": "9"}) == 0.25
    date = "Mon, 12 Jan 1970 13:46:50 GMT"  # 1_000_010 s after the epoch
    assert parse(**{"retry-after": date}) == 10.0
    assert parse(**{"retry-after": "Mon, 12 Jan 1970 13:46:30 GMT"}) == 0.0  # in the past


def test_backoff_delay_bounds() -> None:
    policy = clientcore.RetryPolicy(max_retries=5, initial_delay=1.0, max_delay=5.0)
    assert _retry.backoff_delay(policy, 0, rand=lambda: 0.0) == 0.75
    assert _retry.backoff_delay(policy, 0, rand=lambda: 1.0) == 1.0
    assert _retry.backoff_delay(policy, 2, rand=lambda: 1.0) == 4.0
    assert _retry.backoff_delay(policy, 3, rand=lambda: 1.0) == 5.0
    assert _retry.backoff_delay(policy, 500, rand=lambda: 1.0) == 5.0  # no overflow
