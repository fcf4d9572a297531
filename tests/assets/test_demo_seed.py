"""The demo seed: over 2,000 assets on real Shenzhen geodata, every kind, idempotent."""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import Any

from infrashare.cli import run_in_unit_of_work
from infrashare.core.settings import Settings
from infrashare.demo.seed import seed_demo
from tests.sessions import Client, sign_in

ALL_STATUSES = ["planned", "available", "full", "retired"]


async def _everything(client: Client) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for number in range(1, 100):
        params: dict[str, Any] = {"page_size": 500, "page": number, "status": ALL_STATUSES}
        page = (await client.get("/api/v1/assets", params=params)).json()
        items += page["items"]
        if number * page["page_size"] >= page["total"]:
            assert len(items) == page["total"]
            return items
    raise AssertionError("more pages than the seed has assets")


async def test_the_seed_lists_over_2000_assets_of_every_kind_across_the_districts(client: Client) -> None:
    await sign_in(client, "reviewer@sz-ca.example")  # sees all of Shenzhen exactly
    assets = await _everything(client)
    assert len(assets) >= 2000
    assert set(Counter(a["kind"] for a in assets)) == {
        "tower",
        "pole",
        "duct",
        "cable",
        "machine_room",
        "reserved_space",
    }
    assert set(Counter(a["status"] for a in assets)) == set(ALL_STATUSES)
    assert len({a["region_code"] for a in assets}) >= 9  # all nine districts
    assert len({a["owner_organisation_id"] for a in assets}) >= 6
    assert all(a["location_precision"] == "exact" for a in assets)
    reserved = [a for a in assets if a["kind"] == "reserved_space"]
    assert all(a["status"] == "planned" and a["capacity"]["power_guarantee"] for a in reserved)
    assert any(a["geometry"]["type"] == "LineString" for a in reserved)
    assert any(a["capacity"]["free"] == 0 for a in assets) and any(a["capacity"]["free"] > 0 for a in assets)


async def test_seeding_again_changes_nothing(client: Client, settings: Settings) -> None:
    await sign_in(client, "admin@platform.example")
    before = (await client.get("/api/v1/audit/verify")).json()
    await asyncio.to_thread(run_in_unit_of_work, settings, seed_demo)  # as `infrashare seed` does
    after = (await client.get("/api/v1/audit/verify")).json()
    assert after["ok"] is True
    assert after["checked"] == before["checked"]  # no event: nothing was written
