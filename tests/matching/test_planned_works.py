"""Planned works: reserved space in new metro lines and tunnels, with how many operators want in."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from tests.matching.test_search_assets import create
from tests.needs.helpers import Actors, act, post_need, utc_today
from tests.sessions import Client

LONGGANG = "440307"
# A planned metro tunnel in 龙岗, and routes beside it (~150 m north) and far from it.
TUNNEL = [[114.2500, 22.7200], [114.2600, 22.7210], [114.2700, 22.7220]]
BESIDE = [[114.2550, 22.7220], [114.2650, 22.7230]]
FAR = [[114.2500, 22.6600], [114.2600, 22.6610]]


async def co_build_need(
    actors: Actors, email: str, route: list[list[float]], **overrides: Any
) -> dict[str, Any]:
    await actors.use(email)
    body: dict[str, Any] = {
        "mode": "co_build",
        "wanted_kinds": ["reserved_space"],
        "region_code": LONGGANG,
        "geometry": {"type": "LineString", "coordinates": route},
        "radius_m": None,
        "corridor_m": 300,
    }
    return await post_need(actors.client, **(body | overrides))


async def submitted_and_published(actors: Actors, email: str, need: dict[str, Any]) -> None:
    await actors.use(email)
    await act(actors.client, need["id"], "submit")
    await actors.use("reviewer@sz-ca.example")
    await act(actors.client, need["id"], "publish")


async def works(client: Client, **params: Any) -> list[dict[str, Any]]:
    response = await client.get("/api/v1/planned-works", params=params)
    assert response.status_code == 200, response.text
    result: list[dict[str, Any]] = response.json()
    return result


async def test_planned_work_counts_operators_with_co_build_needs_near_it_or_requests_on_it(
    client: Client,
) -> None:
    actors = Actors(client)
    await actors.use("admin@metro.example")
    tunnel = await create(
        client,
        "reserved_space",
        name="地铁16号线二期预留通信槽位",
        external_id="PW-1",
        region_code=LONGGANG,
        geometry={"type": "LineString", "coordinates": TUNNEL},
        capacity={"total": 8, "free": 8, "power_kw": 20, "power_guarantee": True},
    )
    beside = await co_build_need(actors, "admin@mobile.example", BESIDE, title="16号线光缆共建")
    await submitted_and_published(actors, "admin@mobile.example", beside)
    also_beside = await co_build_need(actors, "admin@unicom.example", BESIDE, title="16号线联通共建")
    await submitted_and_published(actors, "admin@unicom.example", also_beside)
    far = await co_build_need(actors, "admin@telecom.example", FAR, title="远处共建")
    await submitted_and_published(actors, "admin@telecom.example", far)
    await co_build_need(actors, "admin@telecom.example", BESIDE, title="草稿不算")  # a draft: not interest
    await co_build_need(actors, "admin@telecom.example", BESIDE, title="共享不算", mode="share")

    await actors.use("admin@tower.example")
    start = utc_today() + timedelta(days=30)
    asked = await client.post(
        "/api/v1/sharing-requests",
        json={
            "asset_id": tunnel["id"],
            "units": 2,
            "start_date": start.isoformat(),
            "end_date": (start + timedelta(days=3650)).isoformat(),
        },
    )
    assert asked.status_code == 201, asked.text

    listed = {item["asset"]["id"]: item for item in await works(client, region=LONGGANG)}
    mine = listed[tunnel["id"]]
    assert (mine["co_build_needs"], mine["live_requests"], mine["interested_operators"]) == (2, 1, 3)
    assert mine["asset"]["status"] == "planned" and mine["asset"]["capacity"]["power_guarantee"] is True

    await actors.use("admin@mobile.example")
    await act(client, beside["id"], "withdraw")
    await actors.use("reviewer@sz-ca.example")  # regulators see the same counts
    again = {item["asset"]["id"]: item for item in await works(client)}
    assert again[tunnel["id"]]["interested_operators"] == 2


async def test_region_filter_is_checked_and_narrows(client: Client) -> None:
    await Actors(client).use("admin@mobile.example")
    unknown = await client.get("/api/v1/planned-works", params={"region": "999999"})
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "region"
    nanshan = await works(client, region="440305")
    assert all(item["asset"]["region_code"].startswith("440305") for item in nanshan)
