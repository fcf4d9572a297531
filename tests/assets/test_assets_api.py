"""Creating, reading, updating (optimistic concurrency), retiring and listing assets."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import pytest

from tests.assets.bodies import asset_body
from tests.sessions import Client, sign_in

KINDS = ["tower", "pole", "duct", "cable", "machine_room", "reserved_space"]
UNITS = {
    "tower": "mounting_positions",
    "pole": "mounting_positions",
    "duct": "sub_ducts",
    "cable": "fibre_cores",
    "machine_room": "rack_positions",
    "reserved_space": "slots",
}


async def _create(client: Client, kind: str = "tower", **overrides: Any) -> dict[str, Any]:
    response = await client.post("/api/v1/assets", json=asset_body(kind, **overrides))
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def _fields(response: Any) -> set[str]:
    assert response.status_code == 422, response.text
    return {error["field"] for error in response.json()["errors"]}


@pytest.mark.parametrize("kind", KINDS)
async def test_each_kind_is_created_with_its_capacity_unit(client: Client, kind: str) -> None:
    await sign_in(client, "engineer@tower.example")  # an operator member writes too
    created = await _create(client, kind, external_id=f"X-{kind}")
    assert created["capacity"]["unit"] == UNITS[kind]
    assert created["version"] == 1
    assert created["location_precision"] == "exact"
    read = await client.get(f"/api/v1/assets/{created['id']}")
    assert read.status_code == 200
    assert read.headers["etag"] == '"1"'
    assert read.json() == created


async def test_openapi_documents_one_attribute_schema_per_kind(client: Client) -> None:
    schemas = (await client.get("/api/docs/openapi.json")).json()["components"]["schemas"]
    for name in ("Tower", "Pole", "Duct", "Cable", "MachineRoom", "ReservedSpace"):
        assert f"{name}Attributes" in schemas


async def test_openapi_documents_the_import_body_as_csv_or_geojson(client: Client) -> None:
    paths = (await client.get("/api/docs/openapi.json")).json()["paths"]
    body = paths["/api/v1/assets/imports"]["post"]["requestBody"]
    assert body["required"] is True and set(body["content"]) == {"text/csv", "application/geo+json"}


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"geometry": {"type": "Point", "coordinates": [181, 22.5]}}, "geometry.Point.coordinates.0"),
        ({"geometry": {"type": "Point", "coordinates": [113.9, -91]}}, "geometry.Point.coordinates.1"),
        ({"capacity": {"total": 2, "free": 3}}, "capacity.free"),
        ({"status": "planned"}, "ready_date"),
        ({"region_code": "449999"}, "region_code"),
        ({"region_code": "110105"}, "region_code"),  # exists, but it is in Beijing
        (
            {"geometry": {"type": "LineString", "coordinates": [[113.9, 22.5], [114.0, 22.5]]}},
            "geometry.type",
        ),
        ({"attributes": {"height_m": 0, "structure_type": "lattice"}}, "attributes.tower.height_m"),
        (
            {"attributes": {"height_m": 30, "structure_type": "lattice", "diameter_mm": 3}},
            "attributes.tower.diameter_mm",
        ),
        ({"capacity": {"unit": "fibre_cores", "total": 3, "free": 1}}, "capacity.unit"),
    ],
)
async def test_invalid_assets_are_refused_naming_the_field(
    client: Client, overrides: dict[str, Any], field: str
) -> None:
    await sign_in(client, "admin@tower.example")
    response = await client.post("/api/v1/assets", json=asset_body("tower", **overrides))
    assert field in _fields(response)
    assert response.headers["content-type"].startswith("application/problem+json")
    assert (
        await client.get("/api/v1/assets", params={"owner": "00000000-0000-0000-0000-000000000000"})
    ).json()["items"] == []


@pytest.mark.parametrize(
    ("coordinates", "message"),
    [
        ([[113.9, 22.5]], "at least 2"),
        ([[113.9, 22.5], [113.9, 22.5]], "zero length"),
        ([[113.9 + i * 1e-5, 22.5] for i in range(10_001)], "at most 10000"),
    ],
)
async def test_routes_need_2_to_10000_vertices_and_a_length(
    client: Client, coordinates: list[list[float]], message: str
) -> None:
    await sign_in(client, "admin@tower.example")
    body = asset_body("cable", geometry={"type": "LineString", "coordinates": coordinates})
    response = await client.post("/api/v1/assets", json=body)
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["field"] == "geometry.LineString.coordinates"
    assert message in error["message"]


async def test_external_id_is_unique_per_organisation(client: Client, app: Any) -> None:
    from litestar.testing import AsyncTestClient

    await sign_in(client, "admin@tower.example")
    await _create(client, external_id="SZ-1")
    duplicate = await client.post("/api/v1/assets", json=asset_body(external_id="SZ-1"))
    assert duplicate.status_code == 409
    assert duplicate.json()["errors"] == [
        {"field": "external_id", "message": "already used by another of your assets"}
    ]
    async with AsyncTestClient(app, base_url="http://127.0.0.1") as other:
        await sign_in(other, "admin@mobile.example")
        assert (await other.post("/api/v1/assets", json=asset_body(external_id="SZ-1"))).status_code == 201


async def test_update_needs_the_current_version_and_a_stale_one_gets_409(client: Client) -> None:
    await sign_in(client, "admin@tower.example")
    asset = await _create(client)
    url = f"/api/v1/assets/{asset['id']}"

    missing = await client.patch(url, json={"name": "新名称"})
    assert missing.status_code == 428

    first = await client.patch(url, json={"version": 1, "name": "新名称", "capacity": {"free": 1}})
    assert first.status_code == 200, first.text
    assert first.json()["version"] == 2
    assert first.json()["capacity"]["free"] == 1
    assert first.json()["capacity"]["total"] == 6  # merged, not replaced

    stale = await client.patch(url, json={"version": 1, "name": "覆盖"})
    assert stale.status_code == 409
    assert stale.json()["type"] == "/problems/stale-version"
    assert stale.json()["current_version"] == 2

    by_header = await client.patch(url, json={"description": "经 If-Match"}, headers={"If-Match": '"2"'})
    assert by_header.status_code == 200
    assert by_header.headers["etag"] == '"3"'
    stale_header = await client.patch(url, json={"description": "x"}, headers={"If-Match": '"2"'})
    assert stale_header.status_code == 409

    same = await client.patch(url, json={"version": 3, "description": "经 If-Match"})
    assert same.json()["version"] == 3  # nothing changed: no new version


async def test_an_update_is_validated_as_a_whole(client: Client) -> None:
    await sign_in(client, "admin@tower.example")
    asset = await _create(client)
    response = await client.patch(
        f"/api/v1/assets/{asset['id']}", json={"version": 1, "capacity": {"free": 99}}
    )
    assert _fields(response) == {"capacity.free"}
    planned = await client.patch(f"/api/v1/assets/{asset['id']}", json={"version": 1, "status": "planned"})
    assert _fields(planned) == {"ready_date"}


async def test_retire_and_history(client: Client) -> None:
    await sign_in(client, "admin@water.example")
    asset = await _create(client)
    url = f"/api/v1/assets/{asset['id']}"
    await client.patch(url, json={"version": 1, "capacity": {"free": 0}, "status": "full"})
    retired = await client.post(f"{url}/retire", json={"version": 2, "reason": "拆除"})
    assert retired.status_code == 200
    assert retired.json()["status"] == "retired"
    again = await client.post(f"{url}/retire", json={"version": 3})
    assert again.status_code == 409

    history = (await client.get(f"{url}/history")).json()
    assert [event["action"] for event in history] == ["asset.created", "asset.updated", "asset.retired"]
    assert history[1]["before"] == {"capacity_free": 3, "status": "available"}
    assert history[1]["after"] == {"capacity_free": 0, "status": "full"}
    assert history[2]["reason"] == "拆除"

    own = {"owner": asset["owner_organisation_id"]}
    listed = (await client.get("/api/v1/assets", params=own)).json()["items"]
    assert asset["id"] not in [item["id"] for item in listed]  # retired ones only when asked
    retired_list = (await client.get("/api/v1/assets", params=own | {"status": "retired"})).json()["items"]
    assert [item["id"] for item in retired_list] == [asset["id"]]


async def test_only_the_owner_organisations_operators_write(client: Client, app: Any) -> None:
    from litestar.testing import AsyncTestClient

    await sign_in(client, "admin@tower.example")
    asset = await _create(client)
    url = f"/api/v1/assets/{asset['id']}"
    for email in ("admin@mobile.example", "reviewer@sz-ca.example", "admin@platform.example"):
        async with AsyncTestClient(app, base_url="http://127.0.0.1") as other:
            await sign_in(other, email)
            assert (await other.patch(url, json={"version": 1, "name": "抢"})).status_code == 403
            assert (await other.post(f"{url}/retire", json={"version": 1})).status_code == 403
            if email != "admin@mobile.example":
                assert (await other.post("/api/v1/assets", json=asset_body())).status_code == 403
    assert (await client.get(url)).json()["version"] == 1


async def test_list_filters_and_pages(client: Client, app: Any) -> None:
    await sign_in(client, "admin@water.example")
    me = (await client.get("/api/v1/me")).json()
    ids = set()
    for number in range(7):
        kind = "tower" if number % 2 else "pole"
        created = await _create(client, kind, capacity={"total": 10, "free": number})
        ids.add(created["id"])
    await _create(
        client, "tower", region_code="440304", geometry={"type": "Point", "coordinates": [114.05, 22.54]}
    )

    own = {"owner": me["organisation"]["id"]}
    pages = [
        (await client.get("/api/v1/assets", params=own | {"page_size": 3, "page": number})).json()
        for number in (1, 2, 3, 4)
    ]
    assert [len(page["items"]) for page in pages] == [3, 3, 2, 0]
    assert [(page["total"], page["page"], page["page_size"]) for page in pages] == [
        (8, number, 3) for number in (1, 2, 3, 4)
    ]
    seen = [item["id"] for page in pages for item in page["items"]]
    assert len(seen) == len(set(seen)) == 8 and seen == sorted(seen, key=uuid.UUID)

    async def count(**params: Any) -> int:
        response = await client.get("/api/v1/assets", params=own | params | {"page_size": 500})
        assert response.status_code == 200, response.text
        page = response.json()
        assert page["total"] == len(page["items"])
        return int(page["total"])

    assert await count(kind="tower") == 4
    assert await count(kind=["tower", "pole"]) == 8
    assert await count(min_free=5) == 2
    assert await count(region="440305") == 7
    assert await count(region="440300") == 8  # the city includes its districts
    assert await count(region="440305", min_free=5) == 2
    assert await count(status="planned") == 0
    for bad in ({"page": 0}, {"page_size": 501}, {"page_size": 0}):
        refused = await client.get("/api/v1/assets", params=bad)
        assert refused.status_code == 422 and [e["field"] for e in refused.json()["errors"]] == list(bad)
    unknown_region = await client.get("/api/v1/assets", params={"region": "999999"})
    assert unknown_region.status_code == 422


async def test_concurrent_writers_with_the_same_version_let_exactly_one_win(client: Client, app: Any) -> None:
    from litestar.testing import AsyncTestClient

    await sign_in(client, "admin@water.example")
    asset = await _create(client)
    url = f"/api/v1/assets/{asset['id']}"
    async with AsyncTestClient(app, base_url="http://127.0.0.1") as colleague:
        await sign_in(colleague, "engineer@water.example")
        responses = await asyncio.gather(
            *(
                writer.patch(url, json={"version": 1, "capacity": {"free": free}})
                for free, writer in enumerate([client, colleague, client, colleague])
            )
        )
    assert sorted(response.status_code for response in responses) == [200, 409, 409, 409]
    final = (await client.get(url)).json()
    assert final["version"] == 2
    winner = next(response for response in responses if response.status_code == 200)
    assert final["capacity"]["free"] == winner.json()["capacity"]["free"]
