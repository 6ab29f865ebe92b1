"""The envelope's blob mappings, one per kind, through the generated client and the fake
on 127.0.0.1: the exact JSON and blob order on the wire, results put back together, the
255-blob limit, malformed answers, and params left as the caller gave them."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import decthings_client as dc
import pytest
from decthings_client import DecthingsTensor

from tests.decthings.fake_server import Fake
from tests.support.server import serve


def t(*values: int) -> DecthingsTensor:
    return DecthingsTensor(list(values), "i32", [len(values)])


@pytest.fixture(scope="module")
def fake() -> Iterator[tuple[Fake, str]]:
    state = Fake()
    with serve(state.app) as url:
        yield state, url


@pytest.fixture
def client(fake: tuple[Fake, str]) -> Iterator[tuple[Fake, dc.DecthingsClientSync]]:
    state, url = fake
    state.reset()
    with dc.DecthingsClientSync("key", base_url=url, max_retries=0) as c:
        yield state, c


def test_dataset_entries_go_entry_major_in_sorted_key_order(client: Any) -> None:
    fake, c = client
    keys = [{"key": "zeta", "data": [t(1), t(2)]}, {"key": "alpha", "data": [t(3), t(4)]}]
    given = copy.deepcopy(keys)
    c.dataset.add_entries(dataset_id="d", keys=keys, dataset_version_id="v")
    (sent,) = fake.requests
    assert sent.params == {"datasetId": "d", "keys": ["alpha", "zeta"], "datasetVersionId": "v"}
    assert sent.blobs == [t(3).serialize(), t(1).serialize(), t(4).serialize(), t(2).serialize()]
    assert [k["key"] for k in keys] == ["zeta", "alpha"] and keys == given  # not changed


def test_dataset_keys_with_different_entry_counts_are_refused_before_sending(client: Any) -> None:
    fake, c = client
    keys = [{"key": "a", "data": [t(1)]}, {"key": "b", "data": [t(1), t(2)]}]
    with pytest.raises(dc.DecthingsParameterError, match="same number of entries"):
        c.dataset.add_entries(dataset_id="d", keys=keys)
    assert fake.requests == []


def test_more_than_255_blobs_is_a_clear_error_and_nothing_is_sent(client: Any) -> None:
    fake, c = client
    keys = [
        {"key": "a", "data": [t(i) for i in range(128)]},
        {"key": "b", "data": [t(i) for i in range(128)]},
    ]
    with pytest.raises(
        dc.DecthingsParameterError,
        match="256 blobs in one request; the envelope carries at most 255",
    ):
        c.dataset.add_entries(dataset_id="d", keys=keys)
    assert fake.requests == []
    keys = [{"key": "a", "data": [t(i) for i in range(255)]}]
    c.dataset.add_entries(dataset_id="d", keys=keys)  # 255 fit
    assert len(fake.requests[0].blobs) == 255


def test_dataset_reads_are_regrouped_per_key(client: Any) -> None:
    fake, c = client
    blobs = [t(10 * i + k).serialize() for i in (0, 1) for k in (0, 1)]  # index-major
    fake.answer("/Dataset/getEntries", {"result": {"keys": ["x", "y"], "indexes": [4, 9]}}, blobs)
    result = c.dataset.get_entries(dataset_id="d", entries=[4, 9])
    got = {k.name: [(d.index, d.data) for d in k.data] for k in result.keys}
    assert got == {"x": [(4, t(0)), (9, t(10))], "y": [(4, t(1)), (9, t(11))]}


def test_parameter_providers_inline_dataset_and_type_data(client: Any) -> None:
    fake, c = client
    params = [
        {"name": "text", "data": [DecthingsTensor(["My input text"], "string", [])]},
        {"name": "ds", "data": {"type": "dataset", "datasetId": "d1", "datasetKey": "k"}},
        {"name": "both", "data": {"type": "data", "data": [t(1), t(2, 3)]}},
    ]
    c.model.create_state(
        model_id="m",
        name="n",
        params=params,
        execution_location={
            "type": "temporaryLauncher",
            "spec": {"cpus": 1, "memoryMebibytes": 512},
        },
    )
    (sent,) = fake.requests
    assert sent.params["params"] == [
        {"name": "text"},
        {"name": "ds", "data": {"type": "dataset", "datasetId": "d1", "datasetKey": "k"}},
        {"name": "both"},
    ]
    assert sent.blobs == [
        DecthingsTensor(["My input text"], "string", []).serialize(),
        t(1).serialize() + t(2, 3).serialize(),
    ]


def test_a_parameter_that_is_not_tensors_is_refused(client: Any) -> None:
    fake, c = client
    with pytest.raises(
        dc.DecthingsParameterError, match=r"params\[0\].data: expected a list of DecthingsTensor"
    ):
        c.model.evaluate(model_id="m", params=[{"name": "p", "data": ["not a tensor"]}])
    assert fake.requests == []


def test_state_upload_and_download_pair_names_with_blobs(client: Any) -> None:
    fake, c = client
    c.model.upload_state(
        model_id="m",
        name="s",
        data=[{"key": "w1", "data": b"\x01"}, {"key": "w2", "data": b"\x02\x03"}],
    )
    (sent,) = fake.requests
    assert sent.params == {"modelId": "m", "name": "s", "stateKeyNames": ["w1", "w2"]}
    assert sent.blobs == [b"\x01", b"\x02\x03"]
    fake.answer("/Model/getModelState", {"result": {"stateKeyNames": ["a", "b"]}}, [b"A", b"BB"])
    state = c.model.get_model_state(model_id="m")
    assert [(d.key, d.data) for d in state.data] == [("a", b"A"), ("b", b"BB")]


def test_raw_bytes_and_text_go_in_blob_zero(client: Any) -> None:
    fake, c = client
    c.fs.write(model_id="m", inode=5, data=b"\x00\xff", offset=0)
    c.spawned.write_to_spawned_command(spawned_command_id="s", data="héllo")
    assert [(r.params, r.blobs) for r in fake.requests] == [
        ({"modelId": "m", "inode": 5, "offset": 0}, [b"\x00\xff"]),
        ({"spawnedCommandId": "s"}, ["héllo".encode()]),
    ]
    fake.answer("/FS/read", {"result": {}}, [b"file bytes"])
    assert c.fs.read(model_id="m", inode=5, offset=0, count=10).data == b"file bytes"


def test_fs_names_are_base64_both_ways(client: Any) -> None:
    fake, c = client
    c.fs.rename(model_id="m", parent=1, name="a.txt", newparent=2, newname=b"\xffb")
    assert fake.requests[0].params == {
        "modelId": "m", "parent": 1, "name": "YS50eHQ=", "newparent": 2, "newname": "/2I=",
    }  # fmt: skip
    fake.answer(
        "/FS/readdir", {"result": {"entries": [{"basename": "/2I=", "filetype": 1, "ino": 3}]}}
    )
    assert c.fs.readdir(model_id="m", inode=1).entries[0].basename == b"\xffb"


def test_training_metrics_one_tensor_per_entry(client: Any) -> None:
    fake, c = client
    wire = {
        "metrics": [
            {"name": "loss", "startIndex": 0, "entries": [{"timestamp": 1}, {"timestamp": 2}]}
        ]
    }
    fake.answer("/Model/getTrainingMetrics", {"result": wire}, [t(7).serialize(), t(8).serialize()])
    result = c.model.get_training_metrics(model_id="m", training_session_id="s", metrics=[])
    assert [e.data for e in result.metrics[0].entries] == [t(7), t(8)]


@pytest.mark.parametrize(
    ("body", "blobs"),
    [
        ({"result": {"stateKeyNames": ["a", "b"]}}, [b"A"]),  # a blob short
        ({"result": {"stateKeyNames": ["a"]}}, None),
    ],
)
def test_missing_blobs_are_a_validation_error(client: Any, body: Any, blobs: Any) -> None:
    fake, c = client
    fake.answer("/Model/getModelState", body, blobs)
    with pytest.raises(dc.DecthingsResponseValidationError):
        c.model.get_model_state(model_id="m")


def test_a_torn_envelope_is_a_validation_error(
    client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake, c = client
    from tests.decthings import fake_server

    monkeypatch.setattr(fake_server, "frame_response", lambda body, blobs=(): b"\x40{}")
    with pytest.raises(dc.DecthingsResponseValidationError):
        c.user.get_quotas()


def test_bytes_arguments_take_files_and_file_tuples(client: Any, tmp_path: Any) -> None:
    fake, c = client
    path = tmp_path / "weights.bin"
    path.write_bytes(b"\x01\x02\x03")
    with path.open("rb") as file:
        c.fs.write(model_id="m", inode=5, data=file, offset=0)
    c.model.upload_state(model_id="m", name="s", data=[{"key": "w", "data": ("w.bin", b"\x09")}])
    assert [r.blobs for r in fake.requests] == [[b"\x01\x02\x03"], [b"\x09"]]
    with pytest.raises(dc.DecthingsParameterError, match="expected bytes, str or a binary file"):
        c.fs.write(model_id="m", inode=5, data=12, offset=0)  # type: ignore[arg-type]
    assert isinstance(c.fs.read(model_id="m", inode=5, offset=0, count=3).data, bytes)
