"""Regulator approval rules and review, deadlines on a controlled clock, both dispute paths, expiry."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from litestar import Litestar

from infrashare.core.db import open_database
from infrashare.core.settings import Settings
from infrashare.worker import expire_due
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
    verb,
)
from tests.assets.bodies import asset_body
from tests.needs.helpers import Actors
from tests.sessions import Client


class Clock:
    """The app's clock, moved by the test."""

    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock(app: Litestar) -> Clock:
    clock = Clock()
    app.state.clock = clock
    return clock


def nanshan_reserved_space(**overrides: Any) -> dict[str, Any]:
    body = asset_body(
        "reserved_space", capacity={"total": 6, "free": 6, "power_kw": 20, "power_guarantee": True}
    )
    body.update(overrides)
    return body


async def _overdue_ids(client: Client, expect: int = 200) -> list[str]:
    response = await client.get("/api/v1/sharing-requests/overdue")
    assert response.status_code == expect, response.text
    return [item["id"] for item in response.json()["items"]] if expect == 200 else []


async def test_a_seeded_rule_sends_reserved_space_to_review_then_approval_or_refusal(client: Client) -> None:
    actors = Actors(client)
    await actors.use(OWNER)
    asset = await post_asset(client, nanshan_reserved_space())
    await actors.use(REQUESTER)
    first = await post_request(client, asset["id"], units=2)
    second = await post_request(client, asset["id"], units=3)

    await actors.use(OWNER)
    review = await verb(client, first["id"], "accept")
    assert review["status"] == "regulator_review" and review["reserved_units"] == 2
    assert review["review_rule_id"] and review["review_due_at"] and review["allowed_actions"] == []
    assert await free_units(client, asset["id"]) == 4
    await verb(client, second["id"], "accept")
    assert await free_units(client, asset["id"]) == 1
    timeline = (await client.get(f"/api/v1/sharing-requests/{first['id']}/timeline")).json()
    assert [e["action"] for e in timeline][-2:] == ["sharing_request.accept", "sharing_request.refer"]
    assert "approval rule" in timeline[-1]["reason"]

    await actors.use(REQUESTER)
    await verb(client, first["id"], "approve", expect=403)
    await actors.use(OTHER_OPERATOR)
    await verb(client, first["id"], "approve", expect=404)

    await actors.use(NANSHAN_REGULATOR)  # 南山's own regulator may decide too
    assert (await get_request(client, first["id"]))["allowed_actions"] == ["approve", "refuse"]
    problem = await verb(client, first["id"], "refuse", {"reason": " "}, expect=422)
    assert problem["errors"][0]["field"] == "reason"
    refused = await verb(client, first["id"], "refuse", {"reason": "预留空间须优先保障通信管线"})
    assert refused["status"] == "rejected" and refused["rejected_by"] == "regulator"
    assert refused["reserved_units"] == 0
    await actors.use(REGULATOR)
    approved = await verb(client, second["id"], "approve")
    assert approved["status"] == "active" and approved["reserved_units"] == 3

    await actors.use(OWNER)
    assert await free_units(client, asset["id"]) == 3  # 2 released by the refusal, 3 held
    await actors.use(REQUESTER)
    await verb(client, first["id"], "escalate", {"reason": "不服"}, expect=409)  # a regulator's refusal


async def test_a_co_build_need_goes_to_review_by_the_seeded_rule(client: Client) -> None:
    actors = Actors(client)
    need = await published_need(actors, mode="co_build", quantity=5)
    await actors.use(OWNER)
    asset = await post_asset(client, futian_tower())
    await actors.use(REQUESTER)
    created = await post_request(client, asset["id"], need_id=need["id"])
    plain = await post_request(client, asset["id"])
    await actors.use(OWNER)
    assert (await verb(client, created["id"], "accept"))["status"] == "regulator_review"
    assert (await verb(client, plain["id"], "accept"))["status"] == "active"  # no need, no rule
    await actors.use(REGULATOR)
    await verb(client, created["id"], "approve")
    await actors.use(REQUESTER)
    assert (await client.get(f"/api/v1/needs/{need['id']}")).json()["status"] == "matched"  # 2 of 5


async def test_rules_are_managed_by_platform_admins_and_regulators_in_their_jurisdiction(
    client: Client,
) -> None:
    actors = Actors(client)
    rule = {"region_code": "440305", "min_units": 4, "description": "南山：4 个单位以上须审批"}
    await actors.use(OWNER)
    assert (await client.post("/api/v1/approval-rules", json=rule)).status_code == 403
    await actors.use(NANSHAN_REGULATOR)
    outside = await client.post("/api/v1/approval-rules", json=rule | {"region_code": "440304"})
    assert outside.status_code == 403
    bad = await client.post("/api/v1/approval-rules", json=rule | {"region_code": "999999"})
    assert bad.status_code == 422
    created = await client.post("/api/v1/approval-rules", json=rule)
    assert created.status_code == 201, created.text
    rule_id = created.json()["id"]
    listed = (await client.get("/api/v1/approval-rules")).json()
    assert rule_id in [r["id"] for r in listed] and len(listed) >= 3  # the two seeded for Shenzhen

    await actors.use(OWNER)
    tower = await post_asset(client, asset_body("tower", capacity={"total": 10, "free": 10}))
    await actors.use(REQUESTER)
    big = await post_request(client, tower["id"], units=4)
    small = await post_request(client, tower["id"], units=3)
    later = await post_request(client, tower["id"], units=5)
    await actors.use(OWNER)
    big_answer = await verb(client, big["id"], "accept")
    assert big_answer["status"] == "regulator_review" and big_answer["review_rule_id"] == rule_id
    assert (await verb(client, small["id"], "accept"))["status"] == "active"

    await actors.use("admin@platform.example")
    deactivated = await client.delete(f"/api/v1/approval-rules/{rule_id}")
    assert deactivated.status_code == 200 and deactivated.json()["is_active"] is False
    await actors.use(OWNER)
    problem = await verb(client, later["id"], "accept", expect=409)  # 4 + 3 held of 10: 3 free
    assert problem["type"] == "/problems/insufficient-capacity"
    assert (await get_request(client, later["id"]))["status"] == "requested"  # nothing half-written


async def test_deadlines_are_flagged_listed_and_an_overdue_request_is_disputed_and_ordered(
    client: Client, clock: Clock
) -> None:
    actors = Actors(client)
    await actors.use(OWNER)
    asset = await post_asset(client, futian_tower())
    await actors.use(REQUESTER)
    created = await post_request(client, asset["id"], units=2)
    due = datetime.fromisoformat(created["owner_due_at"])
    assert due == clock.now + timedelta(days=30)
    await verb(client, created["id"], "escalate", {"reason": "逾期未答复"}, expect=409)

    clock.advance(days=30, seconds=1)
    shown = await get_request(client, created["id"])
    assert shown["overdue"] is True and shown["overdue_party"] == "owner"
    assert shown["allowed_actions"] == ["withdraw", "escalate"]
    await actors.use(REGULATOR)
    assert created["id"] in await _overdue_ids(client)
    await actors.use(NANSHAN_REGULATOR)  # 福田 is not theirs
    assert created["id"] not in await _overdue_ids(client)
    await actors.use(OWNER)
    await _overdue_ids(client, expect=403)

    await actors.use(REQUESTER)
    disputed = await verb(client, created["id"], "escalate", {"reason": "产权方逾期 30 天未答复"})
    assert disputed["status"] == "disputed" and disputed["overdue"] is False
    assert datetime.fromisoformat(disputed["review_due_at"]) == clock.now + timedelta(days=15)
    clock.advance(days=16)
    assert (await get_request(client, created["id"]))["overdue_party"] == "regulator"
    await actors.use(REGULATOR)
    assert created["id"] in await _overdue_ids(client)
    await verb(client, created["id"], "order-acceptance", expect=422)  # the body with the reason is required
    ordered = await verb(client, created["id"], "order-acceptance", {"reason": "依据共建共享规定责令接受"})
    assert ordered["status"] == "active" and ordered["reserved_units"] == 2 and ordered["overdue"] is False
    assert created["id"] not in await _overdue_ids(client)
    await actors.use(OWNER)
    assert await free_units(client, asset["id"]) == 4
    assert (await get_request(client, created["id"]))["allowed_actions"] == ["terminate"]


async def test_a_dispute_of_a_rejection_upheld_is_final(client: Client) -> None:
    actors = Actors(client)
    await actors.use(OWNER)
    asset = await post_asset(client, futian_tower())
    await actors.use(REQUESTER)
    created = await post_request(client, asset["id"])
    await actors.use(OWNER)
    await verb(client, created["id"], "reject", {"reason_code": "own_use_planned", "reason": "自用"})
    await actors.use(REQUESTER)
    problem = await verb(client, created["id"], "escalate", {}, expect=422)
    assert problem["errors"][0]["field"] == "reason"
    disputed = await verb(client, created["id"], "escalate", {"reason": "该铁塔仍有 6 个空闲挂载位"})
    assert disputed["status"] == "disputed" and disputed["reserved_units"] == 0
    await actors.use(OWNER)
    await verb(client, created["id"], "uphold", {"reason": "x"}, expect=403)
    await actors.use(NANSHAN_REGULATOR)
    await verb(client, created["id"], "uphold", {"reason": "x"}, expect=404)
    await actors.use(REGULATOR)
    upheld = await verb(client, created["id"], "uphold", {"reason": "产权方自用规划属实"})
    assert upheld["status"] == "rejected" and upheld["rejected_by"] == "regulator"
    await actors.use(REQUESTER)
    problem = await verb(client, created["id"], "escalate", {"reason": "再议"}, expect=409)
    assert problem.get("allowed_actions", []) == []
    timeline = (await client.get(f"/api/v1/sharing-requests/{created['id']}/timeline")).json()
    assert [e["action"] for e in timeline] == [
        "sharing_request.created",
        "sharing_request.reject",
        "sharing_request.escalate",
        "sharing_request.uphold",
    ]
    assert await free_units(client, asset["id"]) == 6


async def test_an_upheld_dispute_of_an_overdue_review_releases_the_units(
    client: Client, clock: Clock
) -> None:
    actors = Actors(client)
    await actors.use(OWNER)
    asset = await post_asset(client, nanshan_reserved_space())
    await actors.use(REQUESTER)
    created = await post_request(client, asset["id"], units=4)
    await actors.use(OWNER)
    assert (await verb(client, created["id"], "accept"))["status"] == "regulator_review"
    assert await free_units(client, asset["id"]) == 2
    clock.advance(days=15, seconds=1)
    await actors.use(REQUESTER)
    disputed = await verb(client, created["id"], "escalate", {"reason": "审批逾期"})
    assert disputed["status"] == "disputed" and disputed["reserved_units"] == 4  # still held
    await actors.use(REGULATOR)
    upheld = await verb(client, created["id"], "uphold", {"reason": "不予批准"})
    assert upheld["status"] == "rejected" and upheld["reserved_units"] == 0
    await actors.use(OWNER)
    assert await free_units(client, asset["id"]) == 6


def _expire_cli(database_url: str, today: date) -> subprocess.CompletedProcess[str]:
    command = [
        str(Path(sys.executable).with_name("infrashare")),
        "agreements",
        "expire",
        "--today",
        today.isoformat(),
    ]
    env = {**os.environ, "INFRASHARE_DATABASE_URL": database_url}
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=120, check=False)


async def test_agreements_expire_after_their_end_date_by_cli_and_on_the_workers_schedule(
    client: Client, clock: Clock, database_url: str, settings: Settings
) -> None:
    actors = Actors(client)
    await actors.use(OWNER)
    asset = await post_asset(client, futian_tower())
    await actors.use(REQUESTER)
    end = clock.now.date() + timedelta(days=40)
    short = await post_request(client, asset["id"], units=1, end_date=end.isoformat())
    longer = await post_request(client, asset["id"], units=2, end_date=(end + timedelta(days=10)).isoformat())
    await actors.use(OWNER)
    await verb(client, short["id"], "accept")
    await verb(client, longer["id"], "accept")
    assert await free_units(client, asset["id"]) == 3

    on_end_day = _expire_cli(database_url, end)
    assert on_end_day.returncode == 0, on_end_day.stderr
    assert on_end_day.stdout.startswith("0 agreements expired")
    after_end = _expire_cli(database_url, end + timedelta(days=1))
    assert after_end.stdout.startswith("1 agreements expired") and short["id"] in after_end.stdout
    expired = await get_request(client, short["id"])
    assert expired["status"] == "expired" and expired["reserved_units"] == 0
    assert await free_units(client, asset["id"]) == 4

    clock.now = datetime.combine(end + timedelta(days=11), datetime.min.time(), UTC)
    listed = (await client.get("/api/v1/sharing-requests", params={"status": "expired"})).json()
    assert {item["id"] for item in listed["items"]} == {short["id"]}  # a read writes nothing
    database = open_database(database_url)
    try:
        assert (await expire_due(database, settings, clock.now)).agreements == 1
    finally:
        await database.dispose()
    listed = (await client.get("/api/v1/sharing-requests", params={"status": "expired"})).json()
    assert {item["id"] for item in listed["items"]} == {short["id"], longer["id"]}
    assert await free_units(client, asset["id"]) == 6
    timeline = (await client.get(f"/api/v1/sharing-requests/{longer['id']}/timeline")).json()
    assert (
        timeline[-1]["action"] == "sharing_request.expire" and timeline[-1]["actor_organisation_id"] is None
    )
