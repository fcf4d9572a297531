"""Matches of a published need: candidates within reach along the whole route, ranked and explained."""

from __future__ import annotations

from typing import Any

from tests.assets.bodies import asset_body
from tests.matching.test_search_assets import create, settle
from tests.needs.helpers import Actors, act, post_need
from tests.sessions import Client

# A fibre route need 科苑路 → 深南大道 (南山), with a 300 m corridor.
NEED_ROUTE = [[113.9500, 22.5150], [113.9520, 22.5300], [113.9540, 22.5450]]


async def published_need(actors: Actors, **overrides: Any) -> dict[str, Any]:
    await actors.use("admin@mobile.example")
    need = await post_need(actors.client, **overrides)
    await act(actors.client, need["id"], "submit")
    await actors.use("reviewer@sz-ca.example")
    await act(actors.client, need["id"], "publish")
    await actors.use("admin@mobile.example")
    return need


async def matches(client: Client, need_id: str) -> dict[str, Any]:
    response = await client.get(f"/api/v1/needs/{need_id}/matches")
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


async def test_a_route_need_finds_a_duct_along_its_middle_ranked_with_reasons(client: Client) -> None:
    actors = Actors(client)
    await actors.use("admin@tower.example")
    beside = await create(
        client,
        "duct",
        name="科苑路中段管道",
        external_id="M-1",
        geometry={"type": "LineString", "coordinates": [[113.9535, 22.5280], [113.9537, 22.5320]]},
        capacity={"total": 4, "free": 4},
    )
    far = await create(
        client,
        "duct",
        name="远处管道",
        external_id="M-2",
        geometry={"type": "LineString", "coordinates": [[114.0500, 22.6000], [114.0510, 22.6100]]},
    )
    tower = await create(
        client,
        "tower",
        name="路边铁塔",
        external_id="M-3",
        geometry={"type": "Point", "coordinates": [113.9522, 22.5302]},
    )
    await settle(client, {beside["id"], far["id"], tower["id"]})

    need = await published_need(
        actors,
        title="科苑路光缆管道",
        region_code="440305",
        wanted_kinds=["duct", "cable"],
        quantity=2,
        geometry={"type": "LineString", "coordinates": NEED_ROUTE},
        radius_m=None,
        corridor_m=300,
    )
    result = await matches(client, need["id"])
    found = {match["asset"]["id"]: match for match in result["matches"]}
    assert beside["id"] in found and far["id"] not in found
    assert tower["id"] not in found  # not a wanted kind
    match = found[beside["id"]]
    assert match["distance_m"] < 300
    factors = {factor["factor"]: factor for factor in match["factors"]}
    assert set(factors) == {"distance", "capacity", "readiness", "kind", "text"}
    assert factors["capacity"]["score"] == 1 and "4" in factors["capacity"]["explanation"]
    assert factors["kind"]["score"] == 1
    assert abs(match["score"] - sum(f["score"] * f["weight"] for f in match["factors"])) < 1e-3
    scores = [m["score"] for m in result["matches"]]
    assert scores == sorted(scores, reverse=True)


async def test_a_point_need_ranks_the_nearer_and_roomier_asset_first(client: Client) -> None:
    actors = Actors(client)
    await actors.use("admin@tower.example")
    near = await create(
        client,
        "tower",
        name="近处铁塔",
        external_id="P-1",
        geometry={"type": "Point", "coordinates": [113.9302, 22.5332]},
        capacity={"total": 6, "free": 6},
    )
    farther = await create(
        client,
        "tower",
        name="稍远铁塔",
        external_id="P-2",
        geometry={"type": "Point", "coordinates": [113.9380, 22.5380]},
        capacity={"total": 6, "free": 1},
    )
    await settle(client, {near["id"], farther["id"]})
    need = await published_need(
        actors,
        title="5G 宏站",
        region_code="440305",
        wanted_kinds=["tower"],
        quantity=3,
        geometry={"type": "Point", "coordinates": [113.9300, 22.5330]},
        radius_m=2000,
        corridor_m=None,
    )
    ranked = [m["asset"]["id"] for m in (await matches(client, need["id"]))["matches"]]
    assert ranked.index(near["id"]) < ranked.index(farther["id"])


async def test_matches_never_show_what_the_requester_may_not_see(client: Client) -> None:
    actors = Actors(client)
    await actors.use("admin@tower.example")
    hidden = await create(
        client,
        "tower",
        name="监管可见铁塔",
        external_id="H-1",
        visibility="regulators",
        geometry={"type": "Point", "coordinates": [113.9301, 22.5331]},
    )
    await settle(client, {hidden["id"]})
    need = await published_need(
        actors,
        title="宏站",
        region_code="440305",
        wanted_kinds=["tower"],
        quantity=1,
        geometry={"type": "Point", "coordinates": [113.9300, 22.5330]},
        radius_m=1000,
        corridor_m=None,
    )
    assert hidden["id"] not in {m["asset"]["id"] for m in (await matches(client, need["id"]))["matches"]}


async def test_another_organisations_draft_need_has_no_matches_for_me(client: Client) -> None:
    actors = Actors(client)
    await actors.use("admin@mobile.example")
    draft = await post_need(client, region_code="440305")
    await actors.use("admin@unicom.example")
    assert (await client.get(f"/api/v1/needs/{draft['id']}/matches")).status_code == 404


def test_the_asset_body_defaults_are_usable() -> None:
    assert asset_body("duct")["geometry"]["type"] == "LineString"
