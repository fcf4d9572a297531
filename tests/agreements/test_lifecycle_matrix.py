"""The sharing-request lifecycle: the whole matrix of state × action × party, and the guards.

The expected table is written out here independently of ``lifecycle.TRANSITIONS``. Each cell
runs in a savepoint on both databases and also checks the capacity invariant: the asset's free
units plus the units its requests hold always equal its total.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from infrashare.agreements import workflow
from infrashare.agreements.lifecycle import RequestAction
from infrashare.agreements.models import RejectionReason, RequestStatus, SharingRequest
from infrashare.agreements.schemas import Counter, RequestCreate
from infrashare.agreements.service import create_request, load_request
from infrashare.assets.models import Asset
from infrashare.assets.schemas import AssetCreate
from infrashare.assets.service import create_asset
from infrashare.core.errors import DomainError
from infrashare.core.settings import Settings
from tests.agreements.helpers import futian_tower, request_body
from tests.needs.helpers import principal_for

S = RequestStatus
A = RequestAction
REQUESTER = {"requester_admin", "requester_member"}
OWNER = {"owner_admin", "owner_member"}
EITHER = REQUESTER | OWNER
# (state, action) -> (state the verb leaves the request in, who may). Accepting ends in ``active``:
# the system activates it in the same unit of work (no approval rule covers a 福田 tower).
EXPECTED: dict[tuple[RequestStatus, RequestAction], tuple[RequestStatus, set[str]]] = {
    (S.REQUESTED, A.ACCEPT): (S.ACTIVE, OWNER),
    (S.REQUESTED, A.REJECT): (S.REJECTED, OWNER),
    (S.REQUESTED, A.COUNTER): (S.COUNTERED, OWNER),
    (S.REQUESTED, A.WITHDRAW): (S.WITHDRAWN, REQUESTER),
    (S.REQUESTED, A.ESCALATE): (S.DISPUTED, REQUESTER),  # the owner is overdue here
    (S.COUNTERED, A.ACCEPT_COUNTER): (S.ACTIVE, REQUESTER),
    (S.COUNTERED, A.REJECT_COUNTER): (S.REJECTED, REQUESTER),
    (S.ACCEPTED, A.REFER): (S.REGULATOR_REVIEW, {"system"}),
    (S.ACCEPTED, A.ACTIVATE): (S.ACTIVE, {"system"}),
    (S.REGULATOR_REVIEW, A.APPROVE): (S.ACTIVE, {"regulator"}),
    (S.REGULATOR_REVIEW, A.REFUSE): (S.REJECTED, {"regulator"}),
    (S.REGULATOR_REVIEW, A.ESCALATE): (S.DISPUTED, REQUESTER),  # the regulator is overdue here
    (S.REJECTED, A.ESCALATE): (S.DISPUTED, REQUESTER),  # rejected by the owner, never disputed
    (S.DISPUTED, A.UPHOLD): (S.REJECTED, {"regulator"}),
    (S.DISPUTED, A.ORDER_ACCEPTANCE): (S.ACTIVE, {"regulator"}),
    (S.ACTIVE, A.TERMINATE): (S.TERMINATED, EITHER),
    (S.ACTIVE, A.EXPIRE): (S.EXPIRED, {"system"}),
}
ACTORS = {
    "requester_admin": "admin@mobile.example",
    "requester_member": "engineer@mobile.example",
    "owner_admin": "admin@tower.example",
    "owner_member": "engineer@tower.example",
    "other_operator": "admin@unicom.example",
    "regulator": "reviewer@sz-ca.example",  # Shenzhen: includes 福田
    "other_regulator": "reviewer@ns-iit.example",  # 南山 only
    "platform_admin": "admin@platform.example",
    "system": "",
}
SYSTEM_ACTIONS = {A.REFER, A.ACTIVATE, A.EXPIRE}
HOLDING = {S.ACCEPTED, S.REGULATOR_REVIEW, S.ACTIVE}
TOTAL, UNITS = 6, 2


def expected_outcome(state: RequestStatus, action: RequestAction, actor: str) -> str:
    if actor == "system" and action not in SYSTEM_ACTIONS:
        return "not a system action"
    if actor in {"other_operator", "other_regulator", "platform_admin"}:
        return "404"
    if (state, action) not in EXPECTED:
        return "409"
    next_state, allowed = EXPECTED[(state, action)]
    return next_state.value if actor in allowed else "403"


async def _request_in_state(db: AsyncSession, state: RequestStatus, now: datetime) -> uuid.UUID:
    owner = await principal_for(db, "admin@tower.example")
    asset = await create_asset(db, owner, AssetCreate.model_validate(futian_tower()))
    requester = await principal_for(db, "engineer@mobile.example")
    data = RequestCreate.model_validate(request_body(str(asset.id), units=UNITS))
    request_id = (await create_request(db, requester, data, Settings(), now)).request.id
    asset_id = asset.id
    reserved = UNITS if state in HOLDING else 0
    values: dict[str, object] = {"status": state, "reserved_units": reserved}
    if state == S.REQUESTED:
        values["owner_due_at"] = now - timedelta(days=1)
    if state in (S.REGULATOR_REVIEW, S.DISPUTED):
        values["review_due_at"] = now - timedelta(days=1) if state == S.REGULATOR_REVIEW else now
    if state == S.REJECTED:
        values["rejected_by"] = "owner"
    await db.execute(update(SharingRequest).where(SharingRequest.id == request_id).values(**values))
    await db.execute(update(Asset).where(Asset.id == asset_id).values(capacity_free=TOTAL - reserved))
    db.expire_all()
    return request_id


async def _attempt(
    db: AsyncSession, request_id: uuid.UUID, action: RequestAction, actor: str, now: datetime
) -> str:
    settings = Settings()
    try:
        if actor == "system":
            if action not in SYSTEM_ACTIONS:
                return "not a system action"
            view = await load_request(db, None, request_id, now, for_update=True)
            await workflow.apply_transition(db, None, view, action, settings, now, reason="系统")
            return view.request.status.value
        principal = await principal_for(db, ACTORS[actor])
        if action == A.REJECT:
            view = await workflow.reject_request(
                db, principal, request_id, RejectionReason.OTHER, "测试原因", settings, now
            )
        elif action == A.COUNTER:
            counter = Counter(units=3, reason="只能提供 3 个挂载位")
            view = await workflow.counter_request(db, principal, request_id, counter, settings, now)
        elif action == A.TERMINATE:
            view = await workflow.terminate_agreement(
                db, principal, request_id, "测试原因", now.date(), settings, now
            )
        else:
            view = await workflow.act(db, principal, request_id, action, settings, now, reason="测试原因")
        return view.request.status.value
    except DomainError as error:
        return str(error.status)


async def _capacity_balances(db: AsyncSession, request_id: uuid.UUID) -> bool:
    request = await db.get(SharingRequest, request_id, populate_existing=True)
    assert request is not None
    free = await db.scalar(select(Asset.capacity_free).where(Asset.id == request.asset_id))
    held = await db.scalar(
        select(func.sum(SharingRequest.reserved_units)).where(SharingRequest.asset_id == request.asset_id)
    )
    return (free or 0) + (held or 0) == TOTAL


@pytest.mark.parametrize("state", list(RequestStatus))
async def test_the_transition_matrix(db: AsyncSession, state: RequestStatus) -> None:
    """Every action by every party on a request in ``state``: the next state, or 404 / 403 / 409."""
    now = datetime.now(UTC)
    request_id = await _request_in_state(db, state, now)
    wrong = []
    for action in RequestAction:
        for actor in ACTORS:
            expected = expected_outcome(state, action, actor)
            savepoint = await db.begin_nested()
            outcome = await _attempt(db, request_id, action, actor, now)
            balanced = await _capacity_balances(db, request_id)
            await savepoint.rollback()
            db.expire_all()
            if outcome != expected:
                wrong.append(f"{state.value} × {action.value} × {actor}: got {outcome}, expected {expected}")
            if not balanced:
                wrong.append(f"{state.value} × {action.value} × {actor}: capacity does not balance")
    assert wrong == []


async def test_guards_make_escalation_a_409_until_they_hold(db: AsyncSession) -> None:
    now = datetime.now(UTC)
    request_id = await _request_in_state(db, S.REQUESTED, now)
    await db.execute(
        update(SharingRequest)
        .where(SharingRequest.id == request_id)
        .values(owner_due_at=now + timedelta(days=1))
    )
    db.expire_all()
    assert await _attempt(db, request_id, A.ESCALATE, "requester_admin", now) == "409"
    # The deadline passes: the same escalation is now possible.
    later = now + timedelta(days=2)
    assert await _attempt(db, request_id, A.ESCALATE, "requester_admin", later) == "disputed"
    # Upheld: rejected by the regulator, final — no second dispute.
    assert await _attempt(db, request_id, A.UPHOLD, "regulator", later) == "rejected"
    assert await _attempt(db, request_id, A.ESCALATE, "requester_admin", later) == "409"

    # A counter the requester rejected is not the owner's rejection: nothing to dispute.
    countered = await _request_in_state(db, S.COUNTERED, now)
    assert await _attempt(db, countered, A.REJECT_COUNTER, "requester_member", now) == "rejected"
    assert await _attempt(db, countered, A.ESCALATE, "requester_member", now) == "409"

    # A review that is not overdue cannot be escalated.
    review = await _request_in_state(db, S.REGULATOR_REVIEW, now)
    await db.execute(
        update(SharingRequest)
        .where(SharingRequest.id == review)
        .values(review_due_at=now + timedelta(days=3))
    )
    db.expire_all()
    assert await _attempt(db, review, A.ESCALATE, "requester_member", now) == "409"
