"""The DIAL Core fake's authentication and catalog routes, driven with plain httpx (§11)."""

from __future__ import annotations

import pytest

from tests.dial.conftest import (
    API_KEY,
    BEARER_TOKEN,
    BUCKET,
    PER_REQUEST_KEY,
    USER_BUCKET,
    CoreFakeServer,
)


@pytest.mark.parametrize(
    "headers, message",
    [
        ({}, "Missing api-key header or Authorization header (fake)"),
        ({"api-key": "wrong"}, "Unknown api key (fake)"),
        ({"Authorization": "Bearer wrong"}, "Invalid Authorization header (fake)"),
        ({"Authorization": f"Basic {BEARER_TOKEN}"}, "Invalid Authorization header (fake)"),
        # api-key wins when both are sent: a bad key is refused even with a good token
        (
            {"api-key": "wrong", "Authorization": f"Bearer {BEARER_TOKEN}"},
            "Unknown api key (fake)",
        ),
    ],
)
def test_unauthenticated_requests_are_401_plain_text(
    core_fake: CoreFakeServer, headers: dict[str, str], message: str
) -> None:
    with core_fake.http(api_key=None) as http:
        r = http.get("/openai/deployments", headers=headers)
    assert r.status_code == 401
    assert r.text == message and "content-type" not in r.headers


@pytest.mark.parametrize("name", ["api-key", "Api-Key", "API-KEY"])
def test_api_key_header_name_is_case_insensitive(core_fake: CoreFakeServer, name: str) -> None:
    with core_fake.http(api_key=None) as http:
        assert http.get("/v1/bucket", headers={name: API_KEY}).json() == {"bucket": BUCKET}


def test_each_credential_has_its_own_bucket_and_user_info(core_fake: CoreFakeServer) -> None:
    with core_fake.http(api_key=None, bearer=BEARER_TOKEN) as http:
        assert http.get("/v1/bucket").json() == {"bucket": USER_BUCKET}
        info = http.get("/v1/user/info").json()
    assert info["roles"] == ["default", "admin"] and info["userClaims"]["sub"] == ["alice"]
    with core_fake.http() as http:
        assert http.get("/v1/user/info").json() == {
            "roles": ["default"],
            "project": "test-project",
        }
    with core_fake.http(api_key=PER_REQUEST_KEY) as http:
        assert http.get("/v1/bucket").json()["appdata"] == f"{USER_BUCKET}/appdata/echo-app"


def test_lists_have_data_and_object_list(core_fake: CoreFakeServer) -> None:
    with core_fake.http() as http:
        deployments = http.get("/openai/deployments").json()
        apps = http.get("/openai/applications").json()
        models = http.get("/openai/models").json()
        toolsets = http.get("/openai/toolsets").json()
    assert deployments["object"] == apps["object"] == "list"
    assert {d["object"] for d in deployments["data"]} == {"deployment"}
    assert [d["id"] for d in deployments["data"]] == ["gpt-4", "echo", "team/llm", "odd model #1"]
    assert all(d["model"] == d["id"] for d in deployments["data"])
    assert {a["object"] for a in apps["data"]} == {"application"}
    assert models["data"][0]["pricing"]["unit"] == "token"
    assert toolsets["data"][0]["toolset"] == "search-tools"


@pytest.mark.parametrize(
    "path, ident",
    [
        ("/openai/deployments/team%2Fllm", "team/llm"),
        ("/openai/deployments/team/llm", "team/llm"),  # Core's id regex is .+? : both reach it
        ("/openai/deployments/odd%20model%20%231", "odd model #1"),
        ("/openai/applications/my%20app%231", "my app#1"),
        ("/openai/applications/team%2fapp", "team/app"),
        ("/openai/models/gpt-4", "gpt-4"),
        ("/openai/toolsets/search-tools", "search-tools"),
    ],
)
def test_get_decodes_ids(core_fake: CoreFakeServer, path: str, ident: str) -> None:
    with core_fake.http() as http:
        r = http.get(path)
    assert r.status_code == 200 and r.json()["id"] == ident


@pytest.mark.parametrize(
    "path", ["/openai/applications/my%20app", "/openai/deployments/nope", "/openai/models/x"]
)
def test_unknown_ids_are_404_with_an_empty_body(core_fake: CoreFakeServer, path: str) -> None:
    with core_fake.http() as http:
        r = http.get(path)
    assert r.status_code == 404 and r.content == b""


def test_catalog_is_mutable_and_reset(core_fake: CoreFakeServer) -> None:
    del core_fake.catalog.applications["echo-app"]
    with core_fake.http() as http:
        assert http.get("/openai/applications/echo-app").status_code == 404
    core_fake.reset()
    with core_fake.http() as http:
        assert http.get("/openai/applications/echo-app").status_code == 200


def test_deployment_names_filter_by_comma_separated_types(core_fake: CoreFakeServer) -> None:
    with core_fake.http() as http:
        everything = http.get("/v1/deployment-names").json()
        some = http.get("/v1/deployment-names?type=application%2Ctoolset").json()
    assert {n["object"] for n in everything} == {"model", "application", "toolset"}
    assert {n["object"] for n in some} == {"application", "toolset"}
    assert {"id": "search-tools", "object": "toolset"} in some


def test_configuration_schema(core_fake: CoreFakeServer) -> None:
    with core_fake.http() as http:
        ok = http.get("/v1/deployments/echo-app/configuration")
        unsupported = http.get("/v1/deployments/gpt-4/configuration")
        unknown = http.get("/v1/deployments/nope/configuration")
    assert ok.json()["required"] == ["mode"]
    assert unsupported.status_code == 404 and unsupported.json()["error"]["code"] == "404"
    assert unknown.status_code == 404 and unknown.content == b""


def test_unknown_route_and_wrong_method(core_fake: CoreFakeServer) -> None:
    with core_fake.http() as http:
        assert http.get("/v1/nothing-here").status_code == 404
        assert http.post("/v1/bucket").status_code == 405
        assert http.get(f"/v1/files/{BUCKET}").status_code == 404  # no path part at all
