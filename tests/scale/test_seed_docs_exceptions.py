"""The exception classes the README (seed 004) lists: each name is importable from
``scale_client`` and catches exactly its HTTP status, on the sync and the async client,
with the code, message, request id and body of the fake's answer.
"""

from __future__ import annotations

from typing import Any

import pytest
import scale_client
from scale_client import ScaleException, TaskType

from tests.scale.conftest import FakeServer, make_our_client
from tests.scale.parity_cases import API_KEY

SEED_EXCEPTIONS = {  # the README's list: name -> status
    "ScaleInvalidRequest": 400,
    "ScaleUnauthorized": 401,
    "ScaleNotEnabled": 402,
    "ScaleResourceNotFound": 404,
    "ScaleDuplicateTask": 409,
    "ScaleTooManyRequests": 429,
    "ScaleInternalError": 500,
    "ScaleTimeoutError": 504,
}


def test_every_readme_exception_name_is_importable() -> None:
    assert issubclass(ScaleException, Exception)
    for name in SEED_EXCEPTIONS:
        cls = getattr(scale_client, name)
        assert issubclass(cls, ScaleException), name
        assert name in scale_client.__all__
    assert scale_client.ScaleDuplicateTask is scale_client.ScaleDuplicateResource
    from scale_client import (  # noqa: F401 - the import itself is the test
        ScaleInternalError,
        ScaleInvalidRequest,
        ScaleNotEnabled,
        ScaleResourceNotFound,
        ScaleTimeoutError,
        ScaleTooManyRequests,
        ScaleUnauthorized,
    )


def _trigger(fake: FakeServer, name: str) -> Any:
    """A call (sync client, async client) -> ends in the README's status for ``name``."""
    store = fake.store
    if name == "ScaleInvalidRequest":
        return lambda c: c.create_task(TaskType.TextCollection, attachment="x")
    if name == "ScaleUnauthorized":
        return None  # needs another key: handled by the caller
    if name == "ScaleNotEnabled":
        return lambda c: c.create_task(TaskType.Federal2dVideoAnnotation, project="test_project")
    if name == "ScaleResourceNotFound":
        return lambda c: c.get_task("5f00000000000000000000ff")
    if name == "ScaleDuplicateTask":
        with store.lock:
            t = store.add_task("imageannotation", {"project": "test_project", "unique_id": "taken"})
        assert t
        return lambda c: c.create_task(
            TaskType.ImageAnnotation,
            project="test_project",
            attachment="a",
            geometries={"box": {}},
            unique_id="taken",
        )
    status = SEED_EXCEPTIONS[name]
    fake.faults.fail_always("GET", "/v1/projects", status, retry_after=0)
    return lambda c: c.projects()


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
@pytest.mark.parametrize("name", list(SEED_EXCEPTIONS))
async def test_each_readme_exception_catches_its_status(
    scale_fake: FakeServer, name: str, is_async: bool
) -> None:
    status = SEED_EXCEPTIONS[name]
    cls = getattr(scale_client, name)
    key = "live_wrong_key" if name == "ScaleUnauthorized" else API_KEY
    client = make_our_client(scale_fake.base_url, is_async, api_key=key, max_retries=0)
    call = _trigger(scale_fake, name) or (lambda c: c.projects())
    try:
        try:
            result = call(client)
            if is_async:
                await result
            raise AssertionError(f"{name}: no exception")
        except cls as err:
            assert type(err) is cls
            assert err.code == err.status_code == status
            assert isinstance(err, ScaleException) and err.message
            assert err.request_id and err.request_id.startswith("req_")
            assert err.body == scale_fake.requests[-1].response_json
        # siblings do not catch it
        for other, other_status in SEED_EXCEPTIONS.items():
            if other_status != status:
                assert not issubclass(cls, getattr(scale_client, other)), (name, other)
        assert scale_fake.requests[-1].status == status
    finally:
        if is_async:
            await client.aclose()
        else:
            client.close()
