"""200 concurrent async calls under a seeded random mix of faults: each is accounted for.

Every call gets its own key (sent as ``x-fault-tag``) and its own script: zero to
three faults drawn from ``catalog.FAULTS`` (429, 5xx, resets, truncation, malformed
JSON), then success.  ``catalog.expected_attempts`` says, from the runtime's
documented retry rules and the op's retry-safety (idempotent, keyed, or neither),
how many requests the call makes and how it ends.  Then, for every call:

* the client saw what the rules say: the right value, or the typed error of the
  fault it ended on (a subclass of the package's base error);
* the server saw exactly that many requests with its key, answered by exactly the
  scripted behaviours in order, and nothing else arrived;
* none hangs: the whole batch runs under one overall guard, and the server is left
  with no open connection once the client closes.
"""

from __future__ import annotations

import asyncio
import random
from dataclasses import dataclass
from typing import Any

import pytest

from tests.faults.adapters import Op
from tests.faults.behaviours import Json
from tests.faults.catalog import FAULTS, Fault, expected_attempts
from tests.faults.harness import Harness, assert_typed

CALLS = 200
RETRIES = 2
SEED = 20_260_006
GUARD = 60.0  # seconds for the whole batch: a hang fails the test instead of the CI job


@dataclass(frozen=True)
class Planned:
    key: str
    kind: str  # the op's capability: idempotent, non_idempotent or keyed
    op: Op
    faults: tuple[Fault, ...]
    attempts: int
    final: Fault | None  # None: the call succeeds


def plan(harness: Harness, rng: random.Random) -> list[Planned]:
    ops = harness.adapter.unary_ops()
    menu = list(FAULTS.values())
    planned = []
    for i in range(CALLS):
        kind, op, retry_safe = rng.choice(ops)
        faults = tuple(rng.choice(menu) for _ in range(rng.randint(0, RETRIES + 1)))
        attempts, final = expected_attempts(faults, retry_safe, RETRIES)
        planned.append(Planned(f"call-{i:03d}", kind, op, faults, attempts, final))
    return planned


def check_call(harness: Harness, call: Planned, outcome: Any) -> None:
    story = f"{call.key} ({call.kind}, {[f.name for f in call.faults]})"
    if call.final is None:
        assert not isinstance(outcome, BaseException), f"{story}: raised {outcome!r}"
        assert call.op.check(outcome, call.key), f"{story}: wrong value {outcome!r}"
        return
    assert isinstance(outcome, Exception), f"{story}: returned {outcome!r}"
    assert_typed(outcome, harness.base, call.final.error)
    assert getattr(outcome, "status_code", None) == call.final.status, story


@pytest.mark.parametrize("flavor", ["async"])
async def test_200_concurrent_async_calls_under_faults_are_each_accounted_for(
    harness: Harness,
) -> None:
    server = harness.server
    calls = plan(harness, random.Random(SEED))
    assert {c.final is None for c in calls} == {True, False}  # both outcomes are exercised
    for call in calls:
        server.script(
            call.op.method,
            call.op.path(call.key),
            *(f.behaviour for f in call.faults),
            then=Json(call.op.ok(call.key)),
            tag=call.key,
        )
    client = harness.client(max_retries=RETRIES)
    outcomes = await asyncio.wait_for(
        asyncio.gather(*(harness.outcome(client, c.op, c.key) for c in calls)), GUARD
    )

    for call, outcome in zip(calls, outcomes, strict=True):
        check_call(harness, call, outcome)

    seen = server.by_tag()
    assert set(seen) == {c.key for c in calls}, "a request without a call, or a call unseen"
    for call in calls:
        served = [s.behaviour for s in seen[call.key]]
        scripted = [f.behaviour.label for f in call.faults][: call.attempts]
        if call.final is None:
            scripted.append(Json(call.op.ok(call.key)).label)
        assert served == scripted, f"{call.key}: server answered {served}, expected {scripted}"
    assert server.count() == sum(c.attempts for c in calls)
    assert len(harness.sleeps) == sum(c.attempts - 1 for c in calls)

    await harness.close(client)
    assert server.wait_for_open(0), f"{server.open} connection(s) outlived the client"
