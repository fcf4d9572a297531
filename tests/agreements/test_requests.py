"""Sharing requests through the API: the counter story with a linked need, rejections, bad input,
who sees what, notifications, the printable document, and the event log under tampering."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import create_engine, text

from infrashare.core.db import sync_url
from tests.agreements.helpers import (
    NANSHAN_REGULATOR,
    OTHER_OPERATOR,
    OWNER,
    REGULATOR,
    REQUESTER,
    free_units,
    futian_tower,
    get_request,
    post_asset,
    post_request,
    published_need,
    today,
    verb,
)
from tests.audit.test_event_log import audit_verify, run_sql
from tests.needs.helpers import Actors
from tests.sessions import Client


async def _notifications(client: Client, **params: Any) -> dict[str, Any]:
    response = await client.get("/api/v1/notifications", params=params)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


async def test_counter_story_with_a_need_from_request_to_termination(client: Client) -> None:
    actors = Actors(client)
    need = await published_need(actors, quantity=3)
    await actors.use(OWNER)
    asset = await post_asset(client, futian_tower())
    before = (await _notifications(client))["unread"]

    await actors.use(REQUESTER)
    created = await post_request(client, asset["id"], units=2, need_id=need["id"])
    assert created["status"] == "requested" and created["allowed_actions"] == ["withdraw"]
    assert created["overdue"] is False and created["reserved_units"] == 0
    assert created["owner"]["id"] == asset["owner_organisation_id"]

    await actors.use(OWNER)
    inbox = await _notifications(client)
    assert inbox["unread"] == before + 1
    assert inbox["items"][0]["event"] == "sharing_request.created"
    assert inbox["items"][0]["request_id"] == created["id"]
    # Data, not a sentence: the client words it in its reader's language.
    assert inbox["items"][0]["params"] == {
        "asset_name": asset["name"],
        "units": 2,
        "capacity_unit": "mounting_positions",
    }
    assert "title" not in inbox["items"][0]
    shown = await get_request(client, created["id"])
    assert shown["allowed_actions"] == ["accept", "reject", "counter"]
    problem = await verb(client, created["id"], "counter", {"reason": "没有变化"}, expect=422)
    assert problem["errors"][0]["field"] == "body"
    problem = await verb(client, created["id"], "counter", {"units": 7}, expect=422)
    assert problem["errors"][0]["field"] == "units"
    countered = await verb(
        client, created["id"], "counter", {"units": 3, "terms": "按月支付", "reason": "可提供 3 个挂载位"}
    )
    assert countered["status"] == "countered" and countered["units"] == 3 and countered["terms"] == "按月支付"
    assert countered["allowed_actions"] == []
    assert await free_units(client, asset["id"]) == 6  # a counter reserves nothing

    await actors.use(REQUESTER)
    assert (await get_request(client, created["id"]))["allowed_actions"] == [
        "accept_counter",
        "reject_counter",
    ]
    active = await verb(client, created["id"], "accept-counter")
    assert active["status"] == "active" and active["reserved_units"] == 3
    assert active["activated_at"] and active["accepted_at"]
    assert active["allowed_actions"] == ["terminate"]
    # Holding an agreement, the requester sees the asset exactly.
    seen = (await client.get(f"/api/v1/assets/{asset['id']}")).json()
    assert seen["location_precision"] == "exact" and seen["address"] == asset["address"]
    # 3 active units cover the need's quantity: published → matched → fulfilled.
    assert (await client.get(f"/api/v1/needs/{need['id']}")).json()["status"] == "fulfilled"
    timeline = (await client.get(f"/api/v1/sharing-requests/{created['id']}/timeline")).json()
    assert [(e["action"], e["status"]) for e in timeline] == [
        ("sharing_request.created", "requested"),
        ("sharing_request.counter", "countered"),
        ("sharing_request.accept_counter", "accepted"),
        ("sharing_request.activate", "active"),
    ]
    assert timeline[1]["reason"] == "可提供 3 个挂载位"

    await actors.use(OWNER)
    assert await free_units(client, asset["id"]) == 3
    problem = await verb(client, created["id"], "terminate", {"reason": "线路改造"}, expect=422)
    assert problem["errors"][0]["field"] == "notice_date"
    terminated = await verb(
        client,
        created["id"],
        "terminate",
        {"reason": "线路改造，需拆除铁塔", "notice_date": today().isoformat()},
    )
    assert terminated["status"] == "terminated" and terminated["reserved_units"] == 0
    assert terminated["notice_date"] == today().isoformat() and terminated["closed_at"]
    assert await free_units(client, asset["id"]) == 6
    await verb(
        client, created["id"], "terminate", {"reason": "再次", "notice_date": today().isoformat()}, expect=409
    )

    await actors.use(REQUESTER)
    inbox = await _notifications(client, unread_only=True)
    events = [item["event"] for item in inbox["items"]]
    for event in ("sharing_request.counter", "sharing_request.activate", "sharing_request.terminate"):
        assert event in events
    assert "sharing_request.accept_counter" not in events  # its own act goes to the owner only
    first = inbox["items"][0]["id"]
    assert (await client.post(f"/api/v1/notifications/{first}/read")).json() == {"marked": 1}
    assert (await _notifications(client))["unread"] == inbox["unread"] - 1
    await client.post("/api/v1/notifications/read-all")
    assert (await _notifications(client))["unread"] == 0


async def test_the_document_holds_parties_terms_and_the_event_trail(client: Client) -> None:
    actors = Actors(client)
    await actors.use(OWNER)
    asset = await post_asset(client, futian_tower(name="深南大道 <北> 铁塔"))
    await actors.use(REQUESTER)
    created = await post_request(
        client, asset["id"], terms="第一条：租期内乙方负责设备维护。\n第二条：<保密>。"
    )
    await actors.use(OWNER)
    await verb(client, created["id"], "accept")

    response = await client.get(f"/api/v1/sharing-requests/{created['id']}/document")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    html = response.text
    # Labels from the pages' catalogue, both languages, as before the page had a template.
    assert "<h1>基础设施共享协议 Infrastructure sharing agreement</h1>" in html
    assert "<th>产权方 Owner</th>" in html and "<h2>条款 Terms</h2>" in html
    assert "第一条：租期内乙方负责设备维护。" in html and "第二条：&lt;保密&gt;。" in html
    assert "深南大道 &lt;北&gt; 铁塔" in html and "<保密>" not in html
    assert created["requester"]["name"] in html and created["owner"]["name"] in html
    assert created["start_date"] in html and created["end_date"] in html
    assert f"2 {created['asset']['capacity_unit']}" in html and "36000" in html
    timeline = (await client.get(f"/api/v1/sharing-requests/{created['id']}/timeline")).json()
    for entry in timeline:
        assert entry["action"] in html and entry["hash"] in html
    assert [e["action"] for e in timeline][-2:] == ["sharing_request.accept", "sharing_request.activate"]

    await actors.use(OTHER_OPERATOR)
    assert (await client.get(f"/api/v1/sharing-requests/{created['id']}/document")).status_code == 404


async def test_a_rejection_needs_a_code_and_a_text(client: Client) -> None:
    actors = Actors(client)
    await actors.use(OWNER)
    asset = await post_asset(client, futian_tower())
    await actors.use(REQUESTER)
    created = await post_request(client, asset["id"])
    await verb(client, created["id"], "reject", {"reason_code": "safety", "reason": "x"}, expect=403)
    await actors.use(OWNER)
    problem = await verb(client, created["id"], "reject", {"reason": "塔身荷载不足"}, expect=422)
    assert problem["errors"][0]["field"] == "reason_code"
    problem = await verb(
        client, created["id"], "reject", {"reason_code": "safety", "reason": "  "}, expect=422
    )
    assert problem["errors"][0]["field"] == "reason"
    rejected = await verb(
        client, created["id"], "reject", {"reason_code": "safety", "reason": "塔身荷载不足"}
    )
    assert rejected["status"] == "rejected" and rejected["rejected_by"] == "owner"
    assert rejected["last_reason"] == "塔身荷载不足" and rejected["answered_at"]
    timeline = (await client.get(f"/api/v1/sharing-requests/{created['id']}/timeline")).json()
    assert timeline[-1]["reason_code"] == "safety" and timeline[-1]["reason"] == "[safety] 塔身荷载不足"
    problem = await verb(client, created["id"], "accept", expect=409)
    assert problem["type"] == "/problems/illegal-transition"
    assert (
        problem["current_status"] == "rejected" and problem.get("allowed_actions", []) == []
    )  # empty: omitted
    await actors.use(REQUESTER)
    problem = await verb(client, created["id"], "withdraw", expect=409)
    assert problem["allowed_actions"] == ["escalate"]


async def test_requests_are_checked_before_anything_is_written(client: Client) -> None:
    actors = Actors(client)
    await actors.use(OWNER)
    asset = await post_asset(client, futian_tower())
    hidden = await post_asset(client, futian_tower(visibility="regulators", name="不公开的铁塔"))
    problem = await post_request(client, asset["id"], expect=422)  # its own asset
    assert problem["errors"][0]["field"] == "asset_id"

    await actors.use(REQUESTER)
    problem = await post_request(client, asset["id"], units=7, expect=422)
    assert problem["errors"][0]["field"] == "units"
    problem = await post_request(client, asset["id"], end_date="2020-01-01", expect=422)
    assert problem["errors"][0]["field"] == "end_date"
    await post_request(client, hidden["id"], expect=404)  # not visible to 中国移动
    need = (await client.post("/api/v1/needs", json=_draft_need())).json()
    problem = await post_request(client, asset["id"], need_id=need["id"], expect=422)  # a draft need
    assert problem["errors"][0]["field"] == "need_id"

    await actors.use(REGULATOR)
    problem = await post_request(client, asset["id"], expect=403)
    assert problem["type"] == "/problems/permission-denied"
    await actors.use(REQUESTER)
    assert (await client.get("/api/v1/sharing-requests")).json()["total"] == 0


def _draft_need() -> dict[str, Any]:
    from tests.needs.helpers import need_body

    return need_body()


@pytest.mark.parametrize(
    ("email", "sees"),
    [
        (REQUESTER, True),
        ("admin@mobile.example", True),
        (OWNER, True),
        ("engineer@tower.example", True),
        (REGULATOR, True),  # Shenzhen covers 福田
        (NANSHAN_REGULATOR, False),  # 南山 does not
        (OTHER_OPERATOR, False),
        ("admin@platform.example", False),
    ],
)
async def test_only_parties_and_the_regulators_over_the_asset_see_a_request(
    client: Client, email: str, sees: bool
) -> None:
    actors = Actors(client)
    await actors.use(OWNER)
    asset = await post_asset(client, futian_tower())
    await actors.use(REQUESTER)
    created = await post_request(client, asset["id"])

    await actors.use(email)
    request_id = created["id"]
    for path in ("", "/timeline", "/document"):
        response = await client.get(f"/api/v1/sharing-requests/{request_id}{path}")
        assert response.status_code == (200 if sees else 404), (path, response.text)
    listed = [item["id"] for item in (await client.get("/api/v1/sharing-requests")).json()["items"]]
    assert (request_id in listed) == sees
    if not sees:  # cannot act either: it does not exist for them
        for action in ("accept", "withdraw", "approve"):
            assert (await client.post(f"/api/v1/sharing-requests/{request_id}/{action}")).status_code == 404
        await verb(client, request_id, "reject", {"reason_code": "other", "reason": "x"}, expect=404)
    assert (await _notifications(client))["items"] is not None


async def test_tampering_with_an_agreement_event_is_caught(
    client: Client, database_url: str, backend: str
) -> None:
    actors = Actors(client)
    await actors.use(OWNER)
    asset = await post_asset(client, futian_tower())
    await actors.use(REQUESTER)
    created = await post_request(client, asset["id"], units=2)
    await actors.use(OWNER)
    await verb(client, created["id"], "accept")
    intact = audit_verify(database_url)
    assert intact.returncode == 0, intact.stderr

    engine = create_engine(sync_url(database_url))
    with engine.connect() as connection:
        seq = connection.execute(
            text("SELECT seq FROM events WHERE object_id = :id AND action = 'sharing_request.accept'"),
            {"id": created["id"]},
        ).scalar_one()
    engine.dispose()
    disable = (
        "ALTER TABLE events DISABLE TRIGGER events_append_only"
        if backend == "postgresql"
        else "DROP TRIGGER events_no_update"
    )
    # Someone rewrites history: the agreement was for 1 unit, not 2.
    after = "jsonb_set(after, '{units}', '1')" if backend == "postgresql" else "json_set(after, '$.units', 1)"
    run_sql(database_url, disable, f"UPDATE events SET after = {after} WHERE seq = {int(seq)}")  # noqa: S608
    broken = audit_verify(database_url)
    assert broken.returncode == 1
    assert f"BROKEN at event {seq}" in broken.stderr
