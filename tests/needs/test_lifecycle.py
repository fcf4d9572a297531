"""The need lifecycle: the whole matrix of state × action × party, the full story through the API
(return and resubmit included), expiry by the scheduler and before lists, and the event log."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from infrashare.cli import main as cli
from infrashare.core.db import open_database
from infrashare.core.errors import DomainError
from infrashare.core.settings import get_settings
from infrashare.needs import service, workflow
from infrashare.needs.lifecycle import NeedAction
from infrashare.needs.models import Need, NeedRemark, NeedStatus
from infrashare.needs.schemas import NeedCreate, NeedUpdate
from tests.needs.helpers import FUTIAN, Actors, act, need_body, post_need, principal_for, utc_today
from tests.sessions import Client

S = NeedStatus
A = NeedAction
# The spec, written out independently of lifecycle.TRANSITIONS: (state, action) -> (next, who may).
EXPECTED: dict[tuple[NeedStatus, NeedAction], tuple[NeedStatus, set[str]]] = {
    (S.DRAFT, A.EDIT): (S.DRAFT, {"requester_admin", "requester_member"}),
    (S.DRAFT, A.SUBMIT): (S.SUBMITTED, {"requester_admin", "requester_member"}),
    (S.DRAFT, A.WITHDRAW): (S.WITHDRAWN, {"requester_admin", "requester_member"}),
    (S.DRAFT, A.EXPIRE): (S.EXPIRED, {"system"}),
    (S.SUBMITTED, A.PUBLISH): (S.PUBLISHED, {"reviewer"}),
    (S.SUBMITTED, A.RETURN): (S.RETURNED, {"reviewer"}),
    (S.SUBMITTED, A.WITHDRAW): (S.WITHDRAWN, {"requester_admin", "requester_member"}),
    (S.SUBMITTED, A.EXPIRE): (S.EXPIRED, {"system"}),
    (S.RETURNED, A.EDIT): (S.RETURNED, {"requester_admin", "requester_member"}),
    (S.RETURNED, A.RESUBMIT): (S.SUBMITTED, {"requester_admin", "requester_member"}),
    (S.RETURNED, A.WITHDRAW): (S.WITHDRAWN, {"requester_admin", "requester_member"}),
    (S.RETURNED, A.EXPIRE): (S.EXPIRED, {"system"}),
    (S.PUBLISHED, A.MATCH): (S.MATCHED, {"requester_admin", "requester_member", "system"}),
    (S.PUBLISHED, A.WITHDRAW): (S.WITHDRAWN, {"requester_admin", "requester_member"}),
    (S.PUBLISHED, A.EXPIRE): (S.EXPIRED, {"system"}),
    (S.MATCHED, A.FULFIL): (S.FULFILLED, {"requester_admin", "requester_member", "system"}),
    (S.MATCHED, A.WITHDRAW): (S.WITHDRAWN, {"requester_admin", "requester_member"}),
}
ACTORS = {
    "requester_admin": "admin@mobile.example",
    "requester_member": "engineer@mobile.example",
    "other_operator": "admin@unicom.example",
    "reviewer": "reviewer@sz-ca.example",  # Shenzhen: includes 福田
    "other_regulator": "reviewer@ns-iit.example",  # 南山 only
    "platform_admin": "admin@platform.example",
    "system": "",
}
EVER_SUBMITTED = {S.SUBMITTED, S.RETURNED, S.PUBLISHED, S.MATCHED, S.FULFILLED}
EVER_PUBLISHED = {S.PUBLISHED, S.MATCHED, S.FULFILLED}


def visible(actor: str, state: NeedStatus) -> bool:
    if actor in {"requester_admin", "requester_member", "system"}:
        return True
    if actor in {"reviewer", "platform_admin"}:
        return state in EVER_SUBMITTED
    return state in EVER_PUBLISHED


def expected_outcome(state: NeedStatus, action: NeedAction, actor: str) -> str:
    if not visible(actor, state):
        return "404"
    if (state, action) not in EXPECTED:
        return "409"
    next_state, allowed = EXPECTED[(state, action)]
    return next_state.value if actor in allowed else "403"


async def _need_in_state(db: AsyncSession, state: NeedStatus) -> uuid.UUID:
    """A 福田 need of 中国移动, put straight into ``state`` with the milestones that state implies."""
    requester = await principal_for(db, "engineer@mobile.example")
    view = await service.create_need(db, requester, NeedCreate.model_validate(need_body(region_code=FUTIAN)))
    need_id = view.need.id
    now = datetime.now(UTC)
    values: dict[str, object] = {"status": state, "edited_since_return": state == S.RETURNED}
    if state in EVER_SUBMITTED:
        values |= {"submitted_at": now, "last_submitted_at": now}
    if state in EVER_PUBLISHED:
        values["published_at"] = now
    await db.execute(update(Need).where(Need.id == need_id).values(**values))
    db.expire_all()
    return need_id


async def _attempt(db: AsyncSession, need_id: uuid.UUID, action: NeedAction, actor: str) -> str:
    try:
        if actor == "system":
            if action not in (A.MATCH, A.FULFIL, A.EXPIRE):
                return "not a system action"
            need = await workflow.system_transition(db, need_id, action, reason="系统")
            return need.status.value
        principal = await principal_for(db, ACTORS[actor])
        if action == A.EDIT:
            view = await service.update_need(db, principal, need_id, NeedUpdate(quantity=5))
        else:
            view = await workflow.act(db, principal, need_id, action, reason="测试原因")
        return view.need.status.value
    except DomainError as error:
        return str(error.status)


@pytest.mark.parametrize("state", list(NeedStatus))
async def test_the_transition_matrix(db: AsyncSession, state: NeedStatus) -> None:
    """Every action by every party on a need in ``state``: the next state, or 404 / 403 / 409."""
    need_id = await _need_in_state(db, state)
    wrong = []
    for action in NeedAction:
        for actor in ACTORS:
            expected = expected_outcome(state, action, actor)
            if actor == "system" and action not in (A.MATCH, A.FULFIL, A.EXPIRE):
                expected = "not a system action"
            savepoint = await db.begin_nested()
            outcome = await _attempt(db, need_id, action, actor)
            await savepoint.rollback()
            db.expire_all()
            if outcome != expected:
                wrong.append(f"{state.value} × {action.value} × {actor}: got {outcome}, expected {expected}")
    assert wrong == []


async def test_illegal_transitions_are_409_problems_naming_the_allowed_actions(client: Client) -> None:
    actors = Actors(client)
    await actors.use("engineer@mobile.example")
    need = await post_need(client)
    problem = await act(client, need["id"], "fulfil", expect=409)
    assert problem["type"] == "/problems/illegal-transition"
    assert problem["current_status"] == "draft" and problem["action"] == "fulfil"
    assert problem["allowed_actions"] == ["edit", "submit", "withdraw"]
    await act(client, need["id"], "submit")
    problem = await act(client, need["id"], "publish", expect=403)  # possible, but not for the requester
    assert problem["type"] == "/problems/permission-denied"


async def test_the_full_story_return_resubmit_publish_match_fulfil(client: Client) -> None:
    actors = Actors(client)
    requester = await actors.use("engineer@mobile.example")
    need = await post_need(client, title="深南大道 5G 宏站", quantity=2)
    need_id = need["id"]
    await act(client, need_id, "submit")

    reviewer = await actors.use("reviewer@sz-ca.example")
    queue = (await client.get("/api/v1/needs/review-queue")).json()
    assert need_id in [item["id"] for item in queue["items"]]
    problem = await act(client, need_id, "return", {"reason": "  "}, expect=422)
    assert problem["errors"][0]["field"] == "reason"
    returned = await act(client, need_id, "return", {"reason": "请补充天线挂高和所需平台数量"})
    assert returned["status"] == "returned"
    assert returned["last_return_reason"] == "请补充天线挂高和所需平台数量"
    assert returned["reviewed_by_organisation_id"] == reviewer["organisation"]["id"]
    assert need_id not in [
        item["id"] for item in (await client.get("/api/v1/needs/review-queue")).json()["items"]
    ]

    await actors.use("engineer@mobile.example")
    problem = await act(client, need_id, "resubmit", expect=409)  # not edited yet
    assert problem["allowed_actions"] == ["edit", "withdraw"]
    edited = await client.patch(
        f"/api/v1/needs/{need_id}", json={"description": "天线挂高 35 米，需 2 个平台"}
    )
    assert edited.status_code == 200, edited.text
    resubmitted = await act(client, need_id, "resubmit")
    assert resubmitted["status"] == "submitted"
    assert resubmitted["last_submitted_at"] > resubmitted["submitted_at"]

    await actors.use("reviewer@sz-ca.example")
    published = await act(client, need_id, "publish")
    assert published["status"] == "published" and published["published_at"]

    await actors.use("admin@unicom.example")  # another operator now sees it on the list
    listed = (await client.get("/api/v1/needs", params={"q": "深南大道"})).json()
    assert [item["id"] for item in listed["items"]] == [need_id]

    await actors.use("admin@mobile.example")
    assert (await act(client, need_id, "match"))["status"] == "matched"
    fulfilled = await act(client, need_id, "fulfil")
    assert fulfilled["status"] == "fulfilled" and fulfilled["closed_at"]
    assert fulfilled["allowed_actions"] == []

    timeline = (await client.get(f"/api/v1/needs/{need_id}/timeline")).json()
    assert [(e["action"], e["status"]) for e in timeline] == [
        ("need.created", "draft"),
        ("need.submitted", "submitted"),
        ("need.returned", "returned"),
        ("need.updated", "returned"),
        ("need.resubmitted", "submitted"),
        ("need.published", "published"),
        ("need.matched", "matched"),
        ("need.fulfilled", "fulfilled"),
    ]
    by_action = {e["action"]: e for e in timeline}
    assert by_action["need.returned"]["reason"] == "请补充天线挂高和所需平台数量"
    assert by_action["need.returned"]["actor_organisation_id"] == reviewer["organisation"]["id"]
    assert by_action["need.submitted"]["actor_user_id"] == requester["user"]["id"]
    assert all(e["occurred_at"] for e in timeline)

    await actors.use("admin@platform.example")
    assert (await client.get("/api/v1/audit/verify")).json()["ok"] is True


async def test_expiry_by_the_scheduler_with_a_controlled_clock(db: AsyncSession) -> None:
    requester = await principal_for(db, "engineer@mobile.example")
    reviewer = await principal_for(db, "reviewer@sz-ca.example")
    today = utc_today()

    async def need(days: int, *, publish: bool = False, match: bool = False) -> uuid.UUID:
        body = need_body(needed_by=(today + timedelta(days=days)).isoformat())
        view = await service.create_need(db, requester, NeedCreate.model_validate(body))
        need_id = view.need.id
        if publish:
            await workflow.submit_need(db, requester, need_id)
            await workflow.publish_need(db, reviewer, need_id)
        if match:
            await workflow.match_need(db, requester, need_id)
        return need_id

    draft_due = await need(10)
    published_due = await need(20, publish=True)
    matched_due = await need(20, publish=True, match=True)
    later = await need(60, publish=True)
    await db.execute(
        update(Need)
        .where(Need.id.not_in([draft_due, published_due, matched_due, later]))
        .values(needed_by=today + timedelta(days=365))
    )

    assert await workflow.expire_overdue_needs(db, today + timedelta(days=20)) == [draft_due]
    expired = sorted(await workflow.expire_overdue_needs(db, today + timedelta(days=21)))
    assert expired == [published_due]
    statuses = dict((await db.execute(select(Need.id, Need.status))).all())
    assert statuses[draft_due] == S.EXPIRED and statuses[published_due] == S.EXPIRED
    assert statuses[matched_due] == S.MATCHED  # in an agreement's hands: never expired
    assert statuses[later] == S.PUBLISHED
    remark = await db.scalar(select(NeedRemark).where(NeedRemark.need_id == published_due))
    assert remark is not None and remark.action == "expire" and "passed unfulfilled" in remark.text
    events = await service.history_of(db, published_due)
    assert events[-1].action == "need.expired" and events[-1].actor_user_id is None


def test_the_expire_command(database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    async def setup() -> uuid.UUID:
        database = open_database(database_url)
        async with database.writer() as db:
            requester = await principal_for(db, "engineer@mobile.example")
            body = need_body(needed_by=(utc_today() + timedelta(days=5)).isoformat())
            need_id = (await service.create_need(db, requester, NeedCreate.model_validate(body))).need.id
            await db.commit()
        await database.dispose()
        return need_id

    async def status_of(need_id: uuid.UUID) -> NeedStatus | None:
        database = open_database(database_url)
        async with database.reader() as db:
            status = await db.scalar(select(Need.status).where(Need.id == need_id))
        await database.dispose()
        return status

    need_id = asyncio.run(setup())
    monkeypatch.setenv("INFRASHARE_DATABASE_URL", database_url)
    get_settings.cache_clear()
    try:
        day = (utc_today() + timedelta(days=6)).isoformat()
        result = CliRunner().invoke(cli, ["needs", "expire", "--today", day])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    assert str(need_id) in result.output
    assert asyncio.run(status_of(need_id)) == S.EXPIRED


async def test_lists_expire_overdue_needs_before_showing_them(client: Client, database_url: str) -> None:
    actors = Actors(client)
    await actors.use("engineer@mobile.example")
    need = await post_need(client, title="逾期需求")
    await act(client, need["id"], "submit")
    await actors.use("reviewer@sz-ca.example")
    await act(client, need["id"], "publish")
    database = open_database(database_url)
    async with database.writer() as db:  # the needed-by date passes
        await db.execute(
            update(Need)
            .where(Need.id == uuid.UUID(need["id"]))
            .values(needed_by=utc_today() - timedelta(days=1))
        )
        await db.commit()
    await database.dispose()
    assert (await client.get(f"/api/v1/needs/{need['id']}")).json()["status"] == "expired"
    listed = (await client.get("/api/v1/needs", params={"q": "逾期需求"})).json()
    assert listed["items"] == []


async def test_withdrawing_with_or_without_a_reason(client: Client) -> None:
    await Actors(client).use("admin@mobile.example")
    quiet = await post_need(client)
    assert (await client.post(f"/api/v1/needs/{quiet['id']}/withdraw")).json()["status"] == "withdrawn"
    said = await post_need(client)
    await act(client, said["id"], "submit")
    withdrawn = await act(client, said["id"], "withdraw", {"reason": "站址已另行解决"})
    assert withdrawn["status"] == "withdrawn" and withdrawn["closed_at"]
    timeline = (await client.get(f"/api/v1/needs/{said['id']}/timeline")).json()
    assert timeline[-1]["action"] == "need.withdrawn" and timeline[-1]["reason"] == "站址已另行解决"
