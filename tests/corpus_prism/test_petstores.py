"""petstore, petstore-expanded and uspto (../shared/specs-corpus): every operation of each
generated client runs against Prism serving that spec, request validation on.

Each spec is compiled as a user would (``compile_spec``, written and imported from a
temporary folder), Prism (``tests/support/prism.py``, the project's pinned prism-cli)
serves the same file, and each operation is called once with valid arguments, sync;
petstore-expanded's also through the async client.  ``Wire.check`` then asserts every
exchange was a 2xx with no ``sl-violations`` header and that Prism logged no violation
or error, so each request matched the spec (path, query, headers, body, content type)
and each typed result parsed from Prism's generated response.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from tests.corpus_prism.support import CORPUS, served

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="spec corpus not available")


def test_petstore(tmp_path: Path) -> None:
    with served(CORPUS / "petstore.yaml", "cp_petstore_client", tmp_path) as (pkg, prism, wire):
        with pkg.SwaggerPetstoreClient(
            base_url=prism.base_url, http_client=wire.client(), max_retries=0
        ) as client:
            pets = client.pets.list_pets(limit=20)
            assert isinstance(pets, list) and all(isinstance(p, pkg.Pet) for p in pets)
            assert wire.last.url.endswith("/pets?limit=20")
            assert client.pets.create_pets(id=10, name="Rex", tag="dog") is None
            assert wire.last.method == "POST"
            pet = client.pets.show_pet_by_id("10")
            assert isinstance(pet, pkg.Pet)
            assert wire.last.url.endswith("/pets/10")
        assert len(wire.exchanges) == 3
        wire.check(prism)
        # Prism validates requests by default: a bad body is a 422 with sl-violations,
        # which the check reports.
        with wire.client() as http:
            refused = http.post(f"{prism.base_url}/pets", json={"id": "seven"})
        assert refused.status_code == 422
        assert "sl-violations" in refused.headers
        with pytest.raises(AssertionError, match="sl-violations|violation"):
            wire.check(prism)


def test_petstore_expanded_sync_and_async(tmp_path: Path) -> None:
    spec = CORPUS / "petstore-expanded.yaml"
    with served(spec, "cp_petstore_expanded_client", tmp_path) as (pkg, prism, wire):
        with pkg.SwaggerPetstoreClient(
            base_url=prism.base_url, http_client=wire.client(), max_retries=0
        ) as client:
            found = client.find_pets(tags=["dog", "cat"], limit=5)
            assert all(isinstance(p, pkg.Pet) for p in found)
            assert wire.last.url.endswith("/pets?tags=dog&tags=cat&limit=5")
            assert isinstance(client.add_pet(name="Rex", tag="dog"), pkg.Pet)
            assert isinstance(client.find_pet_by_id(7), pkg.Pet)
            assert client.delete_pet(7) is None
            assert wire.last.method == "DELETE" and wire.last.url.endswith("/pets/7")

        async def run() -> None:
            async with pkg.AsyncSwaggerPetstoreClient(
                base_url=prism.base_url, http_client=wire.async_client(), max_retries=0
            ) as client:
                found = await client.find_pets(tags=["dog"], limit=1)
                assert all(isinstance(p, pkg.Pet) for p in found)
                assert isinstance(await client.add_pet(name="Tom"), pkg.Pet)
                assert isinstance(await client.find_pet_by_id(8), pkg.Pet)
                assert await client.delete_pet(8) is None

        asyncio.run(run())
        assert len(wire.exchanges) == 8
        wire.check(prism)


def test_uspto(tmp_path: Path) -> None:
    with served(CORPUS / "uspto.yaml", "cp_uspto_client", tmp_path) as (pkg, prism, wire):
        with pkg.UsptoDataSetApiClient(
            base_url=prism.base_url, http_client=wire.client(), max_retries=0
        ) as client:
            listed = client.metadata.list_data_sets()
            assert isinstance(listed, pkg.DataSetList)
            fields = client.metadata.list_searchable_fields("oa_citations", "v1")
            assert isinstance(fields, str)
            assert wire.last.url.endswith("/oa_citations/v1/fields")
            found = client.search.perform_search(
                "oa_citations", "v1", criteria="*:*", start=0, rows=10
            )
            assert isinstance(found, list)
            assert wire.last.headers["content-type"] == "application/x-www-form-urlencoded"
        assert len(wire.exchanges) == 3
        wire.check(prism)
