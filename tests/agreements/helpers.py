"""Shortcuts for sharing-request tests: assets and needs through the API, requests and verbs."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from infrashare.core.clock import utc_now
from tests.assets.bodies import asset_body
from tests.needs.helpers import FUTIAN, POINTS, Actors, act, post_need
from tests.sessions import Client

FUTIAN_POINT = list(POINTS[FUTIAN])
REQUESTER = "engineer@mobile.example"
OWNER = "admin@tower.example"
REGULATOR = "reviewer@sz-ca.example"  # all of Shenzhen
NANSHAN_REGULATOR = "reviewer@ns-iit.example"  # 南山 only
OTHER_OPERATOR = "admin@unicom.example"


def today() -> date:
    return utc_now().date()


def futian_tower(**overrides: Any) -> dict[str, Any]:
    """A public tower in 福田 (outside the 南山 regulator's jurisdiction) with 6 of 6 units free."""
    body = asset_body(
        "tower",
        region_code=FUTIAN,
        geometry={"type": "Point", "coordinates": FUTIAN_POINT},
        address="深圳市福田区深南大道 1 号",
        capacity={"total": 6, "free": 6, "power_kw": 10, "power_guarantee": False},
    )
    body.update(overrides)
    return body


async def post_asset(client: Client, body: dict[str, Any]) -> dict[str, Any]:
    response = await client.post("/api/v1/assets", json=body)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def request_body(asset_id: str, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "asset_id": asset_id,
        "units": 2,
        "start_date": (today() + timedelta(days=10)).isoformat(),
        "end_date": (today() + timedelta(days=375)).isoformat(),
        "terms": "每年租金按季度支付；安装须由具备资质的单位施工。",
        "annual_fee_cny": 36000,
    }
    body.update(overrides)
    return body


async def post_request(client: Client, asset_id: str, expect: int = 201, **overrides: Any) -> dict[str, Any]:
    response = await client.post("/api/v1/sharing-requests", json=request_body(asset_id, **overrides))
    assert response.status_code == expect, response.text
    result: dict[str, Any] = response.json()
    return result


async def verb(
    client: Client, request_id: str, action: str, body: Any = None, expect: int = 200
) -> dict[str, Any]:
    response = await client.post(f"/api/v1/sharing-requests/{request_id}/{action}", json=body)
    assert response.status_code == expect, f"{action}: {response.status_code} {response.text}"
    result: dict[str, Any] = response.json()
    return result


async def get_request(client: Client, request_id: str, expect: int = 200) -> dict[str, Any]:
    response = await client.get(f"/api/v1/sharing-requests/{request_id}")
    assert response.status_code == expect, response.text
    result: dict[str, Any] = response.json()
    return result


async def free_units(client: Client, asset_id: str) -> int:
    response = await client.get(f"/api/v1/assets/{asset_id}")
    assert response.status_code == 200, response.text
    return int(response.json()["capacity"]["free"])


async def published_need(actors: Actors, **overrides: Any) -> dict[str, Any]:
    """A 福田 need of 中国移动, submitted and published by the Shenzhen regulator."""
    await actors.use(REQUESTER)
    need = await post_need(actors.client, **overrides)
    await act(actors.client, need["id"], "submit")
    await actors.use(REGULATOR)
    published = await act(actors.client, need["id"], "publish")
    return published
