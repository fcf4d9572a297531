"""The request lifecycle at work: ``apply_transition`` — the one place a request changes state —
and the service verbs.

``apply_transition`` runs the table (lifecycle.py) on the core engine (``core.lifecycle``:
decide, reason check, the reason as its own remark, event log) and adds what is the request's
own: it reserves or releases capacity as the target state demands, stamps the times, notifies
the counterparty and queues webhook events; when an agreement becomes
active it moves the linked need (``published → matched``, ``matched → fulfilled`` once active
agreements cover its quantity). Services flush, never commit; ``now`` is always given.

Expiry: an agreement expires after its end date (``end_date < today``).
``expire_due_agreements`` runs from ``infrashare agreements expire`` and lazily before lists.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from infrashare.agreements import capacity
from infrashare.agreements.lifecycle import (
    AGREEMENT_STATES,
    FINAL,
    LIFECYCLE,
    Party,
    RequestAction,
    RequestRule,
    capacity_effect,
)
from infrashare.agreements.models import (
    NotificationEvent,
    RejectionReason,
    RequestStatus,
    SharingRequest,
    SharingRequestRemark,
)
from infrashare.agreements.notifications import notify
from infrashare.agreements.rules import matching_rule
from infrashare.agreements.schemas import Counter
from infrashare.agreements.service import (
    OBJECT_TYPE,
    RequestView,
    event_data,
    load_request,
    snapshot_of,
)
from infrashare.core.errors import FieldError, InvalidInput
from infrashare.core.lifecycle import Author, Move, Workflow
from infrashare.core.principal import Principal
from infrashare.core.settings import Settings
from infrashare.needs.lifecycle import NeedAction
from infrashare.needs.models import Need, NeedStatus
from infrashare.needs.workflow import system_transition

S = RequestStatus
RequestMove = Move[RequestStatus, RequestAction, Party]


def _event_name(action: RequestAction) -> str:
    return f"sharing_request.{action.value}"


def _remark(request: SharingRequest, move: RequestMove, author: Author | None) -> SharingRequestRemark:
    return SharingRequestRemark(
        request_id=request.id, reason_code=move.reason_code, **move.remark_columns(author)
    )


WORKFLOW: Workflow[RequestStatus, RequestAction, Party, SharingRequest] = Workflow(
    LIFECYCLE, object_type=OBJECT_TYPE, event_name=_event_name, snapshot=snapshot_of, remark=_remark
)


def _stamp(request: SharingRequest, move: RequestMove, settings: Settings) -> None:
    to, now = move.to, move.now
    if move.party == Party.OWNER and request.answered_at is None:
        request.answered_at = now
    if to == S.COUNTERED:
        request.countered_at = now
    elif to == S.ACCEPTED:
        request.accepted_at = now
    elif to == S.REGULATOR_REVIEW:
        request.referred_at = now
        request.review_due_at = now + timedelta(days=settings.regulator_review_days)
    elif to == S.DISPUTED:
        request.disputed_at = now
        request.review_due_at = now + timedelta(days=settings.regulator_review_days)
    elif to == S.ACTIVE:
        request.activated_at = now
    if to == S.REJECTED:
        request.rejected_by = move.party.value
    if to in FINAL:
        request.closed_at = now
    if move.reason:
        request.last_reason = move.reason


async def apply_transition(
    db: AsyncSession,
    principal: Principal | None,
    view: RequestView,
    action: RequestAction,
    settings: Settings,
    now: datetime,
    *,
    reason: str | None = None,
    reason_code: str | None = None,
    changes: dict[str, Any] | None = None,
) -> RequestRule:
    """The one place a request changes state. ``principal`` None is the system."""
    request, asset = view.request, view.asset
    move = WORKFLOW.begin(request, action, view.parties, now, reason=reason, reason_code=reason_code)
    for key, value in (changes or {}).items():
        setattr(request, key, value)
    effect = capacity_effect(request, move.to)
    if effect == "reserve":
        await capacity.reserve(db, asset.id, request.units, now)
        request.reserved_units = request.units
    elif effect == "release":
        await capacity.release(db, asset.id, request.reserved_units, now)
        request.reserved_units = 0
    _stamp(request, move, settings)
    await WORKFLOW.finish(db, principal, request, move)
    await _tell(db, view, WORKFLOW.event_name(action), move.party, move.came_from, action)
    if move.to == S.ACTIVE and request.need_id is not None:
        await _advance_need(db, request.need_id, now)
    return move.rule


async def _tell(
    db: AsyncSession,
    view: RequestView,
    event: str,
    party: Party,
    from_status: RequestStatus,
    action: RequestAction,
) -> None:
    request, asset = view.request, view.asset
    sides = {
        Party.REQUESTER: [request.owner_organisation_id],
        Party.OWNER: [request.requester_organisation_id],
    }.get(party, [request.requester_organisation_id, request.owner_organisation_id])
    await notify(db, request, asset, NotificationEvent(event), sides, view.now)
    agreement = request.status in AGREEMENT_STATES or from_status in AGREEMENT_STATES
    await emit_state_change(
        db, view, "agreement.state_changed" if agreement else "request.state_changed", from_status, action
    )


async def emit_state_change(
    db: AsyncSession, view: RequestView, event_type: str, from_status: RequestStatus, action: RequestAction
) -> None:
    from infrashare.webhooks.service import emit

    request, asset = view.request, view.asset
    await emit(
        db,
        event_type,
        event_data(request, from_status, action.value),
        organisations=[request.requester_organisation_id, request.owner_organisation_id],
        region_code=asset.region_code,
        asset_kinds=[asset.kind.value],
    )


async def _advance_need(db: AsyncSession, need_id: uuid.UUID, now: datetime) -> None:
    """A need moves to matched with its first active agreement, to fulfilled once they cover it."""
    need = await db.scalar(select(Need).where(Need.id == need_id))
    if need is None:
        return
    if need.status == NeedStatus.PUBLISHED:
        await system_transition(
            db, need_id, NeedAction.MATCH, reason="共享协议生效 an agreement became active", now=now
        )
    if need.status == NeedStatus.MATCHED:
        covered = await db.scalar(
            select(func.coalesce(func.sum(SharingRequest.units), 0)).where(
                SharingRequest.need_id == need_id, SharingRequest.status == S.ACTIVE
            )
        )
        if int(covered or 0) >= need.quantity:
            reason = f"active agreements cover {covered} of {need.quantity} units"
            await system_transition(db, need_id, NeedAction.FULFIL, reason=reason, now=now)


async def _lock_need(db: AsyncSession, request: SharingRequest) -> None:
    """Lock the linked need before the event-log head, in the order every writer takes them."""
    if request.need_id is not None:
        await db.execute(select(Need.id).where(Need.id == request.need_id).with_for_update())


async def act(
    db: AsyncSession,
    principal: Principal,
    request_id: uuid.UUID,
    action: RequestAction,
    settings: Settings,
    now: datetime,
    *,
    reason: str | None = None,
    reason_code: str | None = None,
    changes: dict[str, Any] | None = None,
) -> RequestView:
    view = await load_request(db, principal, request_id, now, for_update=True)
    await _lock_need(db, view.request)
    await apply_transition(
        db, principal, view, action, settings, now, reason=reason, reason_code=reason_code, changes=changes
    )
    if view.request.status == S.ACCEPTED:
        await _settle_acceptance(db, view, settings, now)
    return await load_request(db, principal, request_id, now)


async def _settle_acceptance(
    db: AsyncSession, accepted: RequestView, settings: Settings, now: datetime
) -> None:
    """Right after acceptance, the system refers the request to review or activates it."""
    system_view = RequestView(
        accepted.request,
        accepted.asset,
        accepted.requester_name,
        accepted.owner_name,
        frozenset({Party.SYSTEM}),
        now,
    )
    rule = await matching_rule(db, accepted.request, accepted.asset)
    if rule is None:
        await apply_transition(db, None, system_view, RequestAction.ACTIVATE, settings, now)
    else:
        reason = f"approval rule {rule.id}: {rule.description or 'regulator approval required'}"
        changes = {"review_rule_id": rule.id}
        await apply_transition(
            db, None, system_view, RequestAction.REFER, settings, now, reason=reason, changes=changes
        )


# --- the verbs ----------------------------------------------------------------------------------


async def accept_request(
    db: AsyncSession, principal: Principal, request_id: uuid.UUID, settings: Settings, now: datetime
) -> RequestView:
    return await act(db, principal, request_id, RequestAction.ACCEPT, settings, now)


async def reject_request(
    db: AsyncSession,
    principal: Principal,
    request_id: uuid.UUID,
    reason_code: RejectionReason,
    reason: str,
    settings: Settings,
    now: datetime,
) -> RequestView:
    return await act(
        db,
        principal,
        request_id,
        RequestAction.REJECT,
        settings,
        now,
        reason=reason,
        reason_code=reason_code.value,
    )


async def counter_request(
    db: AsyncSession,
    principal: Principal,
    request_id: uuid.UUID,
    data: Counter,
    settings: Settings,
    now: datetime,
) -> RequestView:
    view = await load_request(db, principal, request_id, now, for_update=True)
    LIFECYCLE.decide(view.request, RequestAction.COUNTER, view.parties, now)  # 409 / 403 before any 422
    changes = _counter_changes(view, data, now)
    await apply_transition(
        db, principal, view, RequestAction.COUNTER, settings, now, reason=data.reason, changes=changes
    )
    return await load_request(db, principal, request_id, now)


def _counter_changes(view: RequestView, data: Counter, now: datetime) -> dict[str, Any]:
    request, asset = view.request, view.asset
    proposed = data.model_dump(exclude_unset=True, exclude={"reason"})
    changes = {
        key: value for key, value in proposed.items() if value is not None and getattr(request, key) != value
    }
    if not changes:
        raise InvalidInput(
            "A counter-proposal changes units, the term or the terms.",
            errors=[
                FieldError(
                    "body", "change at least one of units, start_date, end_date, terms, annual_fee_cny"
                )
            ],
        )
    units = changes.get("units", request.units)
    start, end = changes.get("start_date", request.start_date), changes.get("end_date", request.end_date)
    errors = []
    if units > asset.capacity_total:
        errors.append(
            FieldError("units", f"the asset has {asset.capacity_total} {asset.capacity_unit} in total")
        )
    if end <= start:
        errors.append(FieldError("end_date", "must be after start_date"))
    elif end < now.date():
        errors.append(FieldError("end_date", "is in the past"))
    if errors:
        raise InvalidInput(f"{errors[0].field}: {errors[0].message}", errors=errors)
    return changes


async def terminate_agreement(
    db: AsyncSession,
    principal: Principal,
    request_id: uuid.UUID,
    reason: str,
    notice_date: date,
    settings: Settings,
    now: datetime,
) -> RequestView:
    view = await load_request(db, principal, request_id, now, for_update=True)
    LIFECYCLE.decide(view.request, RequestAction.TERMINATE, view.parties, now)
    if notice_date > now.date():
        raise InvalidInput(
            "notice_date: notice cannot be dated in the future; terminate on or after the notice day.",
            errors=[FieldError("notice_date", "after today")],
        )
    changes = {"notice_date": notice_date}
    await _lock_need(db, view.request)
    await apply_transition(
        db, principal, view, RequestAction.TERMINATE, settings, now, reason=reason, changes=changes
    )
    return await load_request(db, principal, request_id, now)


async def expire_due_agreements(
    db: AsyncSession, today: date, settings: Settings, now: datetime
) -> list[uuid.UUID]:
    """Expire every active agreement whose end date is before ``today``; returns their ids."""
    query = (
        select(SharingRequest.id)
        .where(SharingRequest.status == S.ACTIVE, SharingRequest.end_date < today)
        .order_by(SharingRequest.end_date, SharingRequest.id)
    )
    expired = list((await db.scalars(query)).all())
    for request_id in expired:
        view = await load_request(db, None, request_id, now, for_update=True)
        if view.request.status != S.ACTIVE:
            continue
        reason = f"end date {view.request.end_date.isoformat()} passed"
        await apply_transition(db, None, view, RequestAction.EXPIRE, settings, now, reason=reason)
    return expired
