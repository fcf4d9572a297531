"""Searching assets through the API on a real Meilisearch: words, synonyms, routes, masking, facets."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient

from infrashare.app import create_app
from infrashare.assets.search import coarse_cells
from infrashare.core.settings import Settings
from tests.agreements.helpers import OTHER_OPERATOR, post_request, verb
from tests.assets.bodies import asset_body
from tests.sessions import Client, sign_in
from tests.waiting import eventually

# A duct along 科苑路 (南山), about 2 km north–south; its middle is far from both ends.
ROUTE = [[113.9530, 22.5200], [113.9535, 22.5300], [113.9541, 22.5400]]
MIDDLE_EAST = (113.9570, 22.5300)  # ~350 m east of the route's middle, ~1.1 km from its ends


async def create(client: Client, kind: str, **overrides: Any) -> dict[str, Any]:
    response = await client.post("/api/v1/assets", json=asset_body(kind, **overrides))
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def search(client: Client, **params: Any) -> dict[str, Any]:
    response = await client.get("/api/v1/search/assets", params=params)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


async def settle(client: Client, expected_ids: set[str], within_seconds: float = 30) -> None:
    """The app's worker indexes from the outbox; wait until the index shows these assets."""
    deadline = time.monotonic() + within_seconds
    while time.monotonic() < deadline:
        found = await search(client, page_size=200)
        if not found["degraded"] and expected_ids <= {hit["asset"]["id"] for hit in found["items"]}:
            return
        await asyncio.sleep(0.2)
    raise TimeoutError("assets never became searchable")


async def test_words_synonyms_and_chinese_find_the_right_kinds(client: Client) -> None:
    await sign_in(client, "admin@tower.example")
    tower = await create(client, "tower", name="科技园北区铁塔", external_id="T-1")
    room = await create(client, "machine_room", name="高新园汇聚机房", external_id="R-1")
    duct = await create(
        client,
        "duct",
        name="科苑路管道",
        geometry={"type": "LineString", "coordinates": ROUTE},
        external_id="D-1",
    )
    await settle(client, {tower["id"], room["id"], duct["id"]})

    def ids(result: dict[str, Any]) -> set[str]:
        return {hit["asset"]["id"] for hit in result["items"]}

    assert tower["id"] in ids(await search(client, q="铁塔"))
    assert tower["id"] in ids(await search(client, q="mast"))  # synonym of 铁塔 / tower
    assert duct["id"] in ids(await search(client, q="conduit"))  # synonym of 管道 / duct
    assert room["id"] in ids(await search(client, q="equipment room"))  # 机房
    assert room["id"] in ids(await search(client, q="机房"))
    assert ids(await search(client, q="机房", kind="tower")) == set()


async def test_a_route_is_found_near_its_middle_not_only_its_first_point(client: Client) -> None:
    await sign_in(client, "admin@tower.example")
    duct = await create(
        client,
        "duct",
        name="科苑路管道",
        geometry={"type": "LineString", "coordinates": ROUTE},
        external_id="D-2",
    )
    tower = await create(
        client,
        "tower",
        name="远处铁塔",
        geometry={"type": "Point", "coordinates": [113.99, 22.60]},
        external_id="T-2",
    )
    await settle(client, {duct["id"], tower["id"]})
    near = f"{MIDDLE_EAST[0]},{MIDDLE_EAST[1]}"
    found = await search(client, near=near, radius_m=500, sort="distance")
    by_id = {hit["asset"]["id"]: hit for hit in found["items"]}
    assert duct["id"] in by_id and tower["id"] not in by_id
    assert by_id[duct["id"]]["distance_m"] < 500  # distance to the line, not to its first vertex
    # The route passes through several ~1 km cells, yet it is one hit, counted once.
    assert len(coarse_cells(duct["geometry"])) > 1
    assert [hit["asset"]["id"] for hit in found["items"]].count(duct["id"]) == 1
    assert found["total"] == 1 and found["total_exact"] is True
    by_name = await search(client, q="科苑路管道")
    assert [hit["asset"]["id"] for hit in by_name["items"]] == [duct["id"]]
    assert by_name["total"] == 1 and by_name["total_exact"] is True


async def test_hidden_assets_never_appear_not_even_in_totals_or_facets(client: Client, app: Litestar) -> None:
    await sign_in(client, "admin@tower.example")
    public = await create(client, "tower", name="公开铁塔", external_id="V-1", visibility="public")
    secret = await create(
        client, "machine_room", name="监管可见机房", external_id="V-2", visibility="regulators"
    )
    await settle(client, {public["id"], secret["id"]})
    owner = await search(client, q="机房")
    assert secret["id"] in {hit["asset"]["id"] for hit in owner["items"]}
    # A second client on the same app; leaving it runs the app's shutdown, so it comes last.
    async with AsyncTestClient(app, base_url="http://127.0.0.1") as other:
        await sign_in(other, "admin@mobile.example")
        seen = await search(other, q="", page_size=200)
        ids = {hit["asset"]["id"] for hit in seen["items"]}
        assert public["id"] in ids and secret["id"] not in ids
        assert "machine_room" not in seen["facets"].get("kind", {}) or seen["facets"]["kind"][
            "machine_room"
        ] == sum(1 for hit in seen["items"] if hit["asset"]["kind"] == "machine_room")
        assert (await search(other, q="监管可见机房"))["total"] == 0
        shown = next(hit["asset"] for hit in seen["items"] if hit["asset"]["id"] == public["id"])
        assert shown["location_precision"] == "approx_1km" and shown["address"] is None
        lon, lat = shown["geometry"]["coordinates"]
        assert round(lon, 2) == lon and round(lat, 2) == lat

        await sign_in(other, "reviewer@sz-ca.example")  # regulator of all Shenzhen: sees both, exactly
        regulator = await search(other, q="机房")
        found = {hit["asset"]["id"]: hit["asset"] for hit in regulator["items"]}
        assert secret["id"] in found and found[secret["id"]]["location_precision"] == "exact"


async def test_holding_units_shows_an_asset_exactly_even_after_its_visibility_narrows(client: Client) -> None:
    await sign_in(client, "admin@tower.example")
    tower = await create(client, "tower", name="授权可见铁塔", external_id="G-1", visibility="operators")
    await sign_in(client, "engineer@mobile.example")
    request = await post_request(client, tower["id"], units=2)
    await sign_in(client, "admin@tower.example")
    assert (await verb(client, request["id"], "accept"))["reserved_units"] == 2
    narrowed = await client.patch(
        f"/api/v1/assets/{tower['id']}",
        json={"version": 2, "visibility": "regulators", "name": "授权可见铁塔 G2"},
    )
    assert narrowed.status_code == 200, narrowed.text  # version 2: the accept took units
    # The owner finds the new name once the index has this last version.
    await eventually(lambda: search(client, q="G2"), lambda found: found["total"] == 1, "G2 indexed")

    await sign_in(client, "engineer@mobile.example")  # holds 2 units: sees it, exactly
    found = await search(client, q="G2")
    assert found["total"] == 1 and not found["degraded"]
    assert found["items"][0]["asset"]["location_precision"] == "exact"
    assert found["items"][0]["asset"]["address"] is not None
    await sign_in(client, OTHER_OPERATOR)  # holds nothing: not there, not even counted
    unseen = await search(client, q="G2")
    assert unseen["total"] == 0 and unseen["items"] == [] and not unseen["degraded"]


async def test_facets_filters_and_free_capacity_sort(client: Client) -> None:
    await sign_in(client, "admin@tower.example")
    few = await create(client, "tower", name="少量铁塔", external_id="F-1", capacity={"total": 6, "free": 1})
    many = await create(client, "tower", name="大量铁塔", external_id="F-2", capacity={"total": 9, "free": 8})
    await settle(client, {few["id"], many["id"]})
    result = await search(client, kind="tower", min_free=2, sort="free_capacity")
    ids = [hit["asset"]["id"] for hit in result["items"]]
    assert many["id"] in ids and few["id"] not in ids
    assert result["facets"]["kind"] == {"tower": result["total"]}
    assert "440305" in result["facets"]["district_code"]
    everything = await search(client, sort="free_capacity", page_size=50)
    frees = [hit["asset"]["capacity"]["free"] for hit in everything["items"]]
    assert frees == sorted(frees, reverse=True)


async def test_bad_geo_parameters_are_named(client: Client) -> None:
    await sign_in(client, "admin@tower.example")
    bad = await client.get("/api/v1/search/assets", params={"near": "200,95", "radius_m": 100})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "near"
    lonely = await client.get("/api/v1/search/assets", params={"radius_m": 100})
    assert lonely.status_code == 422 and lonely.json()["errors"][0]["field"] == "near"
    for params in ({"bbox": "114.0,22.5,113.9,22.6"}, {"polygon": "113.9,22.5;114.0,22.5"}):
        refused = await client.get("/api/v1/search/assets", params=params)
        assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == next(iter(params))


async def test_a_polygon_finds_and_counts_what_lies_in_its_shape_not_its_box(client: Client) -> None:
    await sign_in(client, "admin@tower.example")
    # An L over 南山: a bar along the bottom, a bar up the left.
    ring = "113.92,22.50;113.99,22.50;113.99,22.53;113.95,22.53;113.95,22.57;113.92,22.57"
    inside = await create(
        client,
        "tower",
        name="多边形筛选塔甲",
        external_id="PL-1",
        geometry={"type": "Point", "coordinates": [113.935, 22.515]},
    )
    # In the L's bounding box, ~2.5 km from the L itself.
    outside = await create(
        client,
        "tower",
        name="多边形筛选塔乙",
        external_id="PL-2",
        geometry={"type": "Point", "coordinates": [113.975, 22.555]},
    )
    await settle(client, {inside["id"], outside["id"]})
    boxed = await search(client, q="多边形筛选塔", bbox="113.92,22.50,113.99,22.57")
    assert {hit["asset"]["id"] for hit in boxed["items"]} == {inside["id"], outside["id"]}
    shaped = await search(client, q="多边形筛选塔", polygon=ring)
    assert [hit["asset"]["id"] for hit in shaped["items"]] == [inside["id"]]
    assert shaped["total"] == 1


async def test_search_answers_from_the_database_when_meilisearch_is_down(settings: Settings) -> None:
    app = create_app(settings.model_copy(update={"meili_url": "http://127.0.0.1:9", "run_worker": False}))
    async with AsyncTestClient(app, base_url="http://127.0.0.1") as client:
        await sign_in(client, "admin@tower.example")
        tower = await create(
            client, "tower", name="降级模式铁塔", external_id="G-1"
        )  # the write still succeeds
        result = await search(client, q="降级模式", kind="tower")
        assert result["degraded"] is True
        assert [hit["asset"]["id"] for hit in result["items"]] == [tower["id"]]
        # The demo city has many towers in that box: narrow by name to find this one.
        boxed = await search(client, q="降级模式", bbox="113.90,22.50,114.00,22.60", kind="tower")
        assert tower["id"] in {hit["asset"]["id"] for hit in boxed["items"]}
        elsewhere = await search(client, q="降级模式", bbox="114.10,22.60,114.20,22.70", kind="tower")
        assert elsewhere["items"] == [] and elsewhere["total"] == 0


async def test_nearest_first_pages_in_order_with_an_exact_total_and_facets(client: Client) -> None:
    """Distance sorting counts growing rings, then orders what the page needs: every page must
    continue the previous one, and a long route counts once in the total and the facets."""
    await sign_in(client, "admin@tower.example")
    lon, lat, km = 114.45, 22.60, 1 / 102.8  # 大鹏, away from other tests; degrees of longitude per km
    towers = [
        await create(
            client,
            "tower",
            name=f"远郊铁塔{n}",
            external_id=f"RING-{n}",
            region_code="440307",
            geometry={"type": "Point", "coordinates": [lon + distance * km, lat]},
        )
        for n, distance in enumerate([0.2, 1.5, 3.0, 6.0, 11.0, 30.0])  # the last is out of reach
    ]
    duct = await create(  # ~40 km east–west, 4.4 km north of the origin at its nearest
        client,
        "duct",
        name="远郊管道",
        external_id="RING-D",
        region_code="440307",
        geometry={"type": "LineString", "coordinates": [[114.25, 22.64], [114.65, 22.64]]},
    )
    await settle(client, {asset["id"] for asset in [*towers, duct]})
    pages = [
        await search(client, near=f"{lon},{lat}", radius_m=15_000, sort="distance", page_size=2, page=page)
        for page in (1, 2, 3, 4)
    ]
    order = [hit["asset"]["id"] for page in pages for hit in page["items"]]
    expected = [towers[0], towers[1], towers[2], duct, towers[3], towers[4]]
    assert order == [asset["id"] for asset in expected]
    assert [page["total"] for page in pages] == [6] * 4 and all(page["total_exact"] for page in pages)
    assert pages[0]["facets"]["kind"] == {"tower": 5, "duct": 1}
    assert 4_300 < pages[1]["items"][1]["distance_m"] < 4_600  # to the line, not to its ends
    # Without a radius the rings grow until the page is full: the tower 30 km out comes next.
    unbounded = await search(client, near=f"{lon},{lat}", sort="distance", page_size=7)
    assert [hit["asset"]["id"] for hit in unbounded["items"]] == [a["id"] for a in [*expected, towers[5]]]
