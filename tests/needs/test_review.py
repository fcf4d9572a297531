"""Regulators review submitted needs of their jurisdiction only; bulk publish is all or nothing."""

from __future__ import annotations

from typing import Any

from tests.needs.helpers import FUTIAN, LUOHU, NANSHAN, Actors, act, post_need
from tests.sessions import Client

STREET_IN_NANSHAN = "440305001"  # 南头街道


async def _submitted(client: Client, actors: Actors, region: str, title: str, **extra: Any) -> str:
    await actors.use("engineer@mobile.example")
    need = await post_need(client, region_code=region, title=title, **extra)
    await act(client, need["id"], "submit")
    return str(need["id"])


async def _queue(client: Client) -> list[str]:
    response = await client.get("/api/v1/needs/review-queue", params={"page_size": 500})
    assert response.status_code == 200, response.text
    return [item["title"] for item in response.json()["items"]]


async def test_each_regulator_sees_only_its_jurisdictions_queue(client: Client) -> None:
    actors = Actors(client)
    futian = await _submitted(client, actors, FUTIAN, "福田需求")
    await _submitted(client, actors, NANSHAN, "南山需求")
    await _submitted(
        client,
        actors,
        STREET_IN_NANSHAN,
        "南头街道需求",
        geometry={"type": "Point", "coordinates": [113.92, 22.54]},
    )
    await actors.use("engineer@mobile.example")
    await post_need(client, region_code=NANSHAN, title="南山草稿")  # never submitted

    await actors.use("reviewer@ns-iit.example")
    nanshan_queue = await _queue(client)
    assert {"南山需求", "南头街道需求"} <= set(nanshan_queue)  # descendant regions included
    assert "福田需求" not in nanshan_queue and "南山草稿" not in nanshan_queue
    # Nor can it read or act on the 福田 need by its id.
    assert (await client.get(f"/api/v1/needs/{futian}")).status_code == 404
    assert (await client.post(f"/api/v1/needs/{futian}/publish")).status_code == 404
    assert (await client.post(f"/api/v1/needs/{futian}/return", json={"reason": "越权"})).status_code == 404
    bulk = await client.post("/api/v1/needs/bulk-publish", json={"ids": [futian]})
    assert bulk.status_code == 409

    await actors.use("reviewer@sz-ca.example")
    city_queue = await _queue(client)
    assert {"福田需求", "南山需求", "南头街道需求"} <= set(city_queue)
    await act(client, futian, "publish")

    # Once published the 福田 need is on everyone's list, but 南山's regulator still cannot act on it.
    await actors.use("reviewer@ns-iit.example")
    assert (await client.get(f"/api/v1/needs/{futian}")).json()["allowed_actions"] == []
    assert (await client.post(f"/api/v1/needs/{futian}/return", json={"reason": "x"})).status_code == 409


async def test_operators_and_platform_admins_have_no_review_queue(client: Client) -> None:
    actors = Actors(client)
    for email in ("admin@mobile.example", "admin@platform.example"):
        await actors.use(email)
        assert (await client.get("/api/v1/needs/review-queue")).status_code == 403


async def test_bulk_publish_publishes_all(client: Client) -> None:
    actors = Actors(client)
    ids = [await _submitted(client, actors, region, f"批量 {region}") for region in (FUTIAN, NANSHAN, LUOHU)]
    await actors.use("reviewer@sz-ca.example")
    response = await client.post("/api/v1/needs/bulk-publish", json={"ids": ids})
    assert response.status_code == 200, response.text
    assert response.json()["published"] == ids
    for need_id in ids:
        assert (await client.get(f"/api/v1/needs/{need_id}")).json()["status"] == "published"


async def test_bulk_publish_is_all_or_nothing_and_names_each_failure(client: Client) -> None:
    actors = Actors(client)
    futian = await _submitted(client, actors, FUTIAN, "批量 福田")
    nanshan = await _submitted(client, actors, NANSHAN, "批量 南山")
    await actors.use("engineer@mobile.example")
    draft = (await post_need(client, region_code=NANSHAN))["id"]

    await actors.use("reviewer@ns-iit.example")
    response = await client.post("/api/v1/needs/bulk-publish", json={"ids": [nanshan, futian, draft]})
    assert response.status_code == 409
    problem = response.json()
    assert problem["type"] == "/problems/bulk-publish-failed"
    assert [error["field"] for error in problem["errors"]] == ["ids[1]", "ids[2]"]
    # Nothing was published, not even the one that could have been.
    assert (await client.get(f"/api/v1/needs/{nanshan}")).json()["status"] == "submitted"
    timeline = (await client.get(f"/api/v1/needs/{nanshan}/timeline")).json()
    assert "need.published" not in [entry["action"] for entry in timeline]
