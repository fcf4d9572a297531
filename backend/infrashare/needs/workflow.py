"""The need lifecycle at work: one function applies the transition table, and the service verbs.

``apply_transition`` asks the table in lifecycle.py, stamps the milestone time, keeps a human
reason as a remark (shown on the timeline) and writes the event log. Services flush, never
commit; ``now``/``today`` are parameters so tests and the demo seed control the clock.

Expiry: a need expires when its needed-by date is before today (UTC). ``expire_overdue_needs``
runs from ``infrashare needs expire`` (schedule it daily) and lazily before lists are read,
so a list never shows an overdue need as open.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from infrashare.accounts.models import Role
from infrashare.accounts.principal import Principal
from infrashare.audit.service import SYSTEM, record_event
from infrashare.core.db import utc_now
from infrashare.core.errors import FieldError, InvalidInput, NotFound, PermissionDenied
from infrashare.core.indexing import mark_changed
from infrashare.needs.lifecycle import EXPIRABLE, Action, IllegalTransition, decide
from infrashare.needs.models import Need, NeedRemark, NeedStatus
from infrashare.needs.search import NEEDS_INDEX
from infrashare.needs.service import (
    EVENT_NAMES,
    NeedView,
    get_need,
    load_need,
    locked,
    need_query,
    page_of,
    parties_of,
    snapshot_of,
)
from infrashare.needs.visibility import in_jurisdiction, visible_clause
from infrashare.regions.area import NO_JURISDICTION, Jurisdiction
from infrashare.webhooks.service import emit


def _stamp(
    need: Need, to: NeedStatus, now: datetime, principal: Principal | None, reason: str | None
) -> None:
    need.status, need.status_changed_at, need.updated_at = to, now, now
    if to == NeedStatus.SUBMITTED:
        need.submitted_at = need.submitted_at or now
        need.last_submitted_at, need.edited_since_return = now, False
    elif to in (NeedStatus.PUBLISHED, NeedStatus.RETURNED):
        need.reviewed_by_organisation_id = principal.organisation_id if principal else None
        if to == NeedStatus.PUBLISHED:
            need.published_at = now
        else:
            need.returned_at, need.last_return_reason = now, reason
    elif to == NeedStatus.MATCHED:
        need.matched_at = now
    else:  # fulfilled, withdrawn, expired
        need.closed_at = now


async def apply_transition(
    db: AsyncSession,
    principal: Principal | None,
    need: Need,
    action: Action,
    jurisdiction: Jurisdiction,
    *,
    reason: str | None = None,
    now: datetime | None = None,
) -> Need:
    """The one place a need changes state. ``principal`` None is the system (scheduler, agreements)."""
    if action == Action.EDIT:
        raise ValueError("edits change fields, not the state: use service.update_need")
    rule = decide(need.status, action, parties_of(principal, need, jurisdiction))
    reason = (reason or "").strip() or None
    if rule.needs_reason and reason is None:
        raise InvalidInput(
            f"A reason is required to {action.value} a need.", errors=[FieldError("reason", "required")]
        )
    if action == Action.RESUBMIT and not need.edited_since_return:
        raise IllegalTransition(
            "Edit the returned need to answer the reviewer before resubmitting it.",
            current_status=need.status.value,
            action=action.value,
            allowed_actions=[Action.EDIT.value, Action.WITHDRAW.value],
        )
    now = now or utc_now()
    before, from_status = snapshot_of(need), need.status
    _stamp(need, rule.to, now, principal, reason)
    if reason:
        db.add(
            NeedRemark(
                need_id=need.id,
                action=action.value,
                from_status=from_status,
                to_status=rule.to,
                text=reason,
                author_user_id=principal.user_id if principal else None,
                author_organisation_id=principal.organisation_id if principal else None,
                created_at=now,
            )
        )
    await db.flush()
    actor = principal.actor if principal else SYSTEM
    await record_event(
        db, actor, EVENT_NAMES[action], "need", need.id, before=before, after=snapshot_of(need), reason=reason
    )
    if rule.to == NeedStatus.PUBLISHED:
        await announce_published(db, need)
    mark_changed(db, NEEDS_INDEX, need.id)
    return need


def published_event(need: Need) -> dict[str, Any]:
    """The ``need.published`` webhook body: what the needs list shows of the need."""
    return {
        "id": str(need.id),
        "organisation_id": str(need.organisation_id),
        "title": need.title,
        "purpose": need.purpose.value,
        "mode": need.mode.value,
        "wanted_kinds": [kind.value for kind in need.wanted_kinds],
        "quantity": need.quantity,
        "needed_by": need.needed_by.isoformat(),
        "region_code": need.region_code,
        "geometry": need.geometry,
        "radius_m": need.radius_m,
        "corridor_m": need.corridor_m,
        "published_at": need.published_at.isoformat() if need.published_at else None,
    }


async def announce_published(db: AsyncSession, need: Need) -> None:
    """Queues ``need.published`` for every subscriber whose regions and kinds cover the need,
    in the unit of work that publishes it (so a rolled-back publication sends nothing)."""
    kinds = [kind.value for kind in need.wanted_kinds]
    await emit(db, "need.published", published_event(need), region_code=need.region_code, asset_kinds=kinds)


async def act(
    db: AsyncSession,
    principal: Principal,
    need_id: uuid.UUID,
    action: Action,
    reason: str | None = None,
    now: datetime | None = None,
) -> NeedView:
    view, jurisdiction = await load_need(db, principal, need_id, for_update=True)
    await apply_transition(db, principal, view.need, action, jurisdiction, reason=reason, now=now)
    return await get_need(db, principal, need_id)


async def submit_need(
    db: AsyncSession, principal: Principal, need_id: uuid.UUID, now: datetime | None = None
) -> NeedView:
    return await act(db, principal, need_id, Action.SUBMIT, now=now)


async def resubmit_need(
    db: AsyncSession, principal: Principal, need_id: uuid.UUID, now: datetime | None = None
) -> NeedView:
    return await act(db, principal, need_id, Action.RESUBMIT, now=now)


async def publish_need(
    db: AsyncSession, principal: Principal, need_id: uuid.UUID, now: datetime | None = None
) -> NeedView:
    return await act(db, principal, need_id, Action.PUBLISH, now=now)


async def return_need(
    db: AsyncSession, principal: Principal, need_id: uuid.UUID, reason: str, now: datetime | None = None
) -> NeedView:
    return await act(db, principal, need_id, Action.RETURN, reason=reason, now=now)


async def withdraw_need(
    db: AsyncSession,
    principal: Principal,
    need_id: uuid.UUID,
    reason: str | None = None,
    now: datetime | None = None,
) -> NeedView:
    return await act(db, principal, need_id, Action.WITHDRAW, reason=reason, now=now)


async def match_need(
    db: AsyncSession, principal: Principal, need_id: uuid.UUID, now: datetime | None = None
) -> NeedView:
    return await act(db, principal, need_id, Action.MATCH, now=now)


async def fulfil_need(
    db: AsyncSession, principal: Principal, need_id: uuid.UUID, now: datetime | None = None
) -> NeedView:
    return await act(db, principal, need_id, Action.FULFIL, now=now)


async def system_transition(
    db: AsyncSession,
    need_id: uuid.UUID,
    action: Action,
    *,
    reason: str | None = None,
    now: datetime | None = None,
) -> Need:
    """For the agreements feature and the scheduler: MATCH, FULFIL or EXPIRE as the system."""
    query = select(Need).where(Need.id == need_id).options(selectinload(Need.kinds))
    need = await db.scalar(query.with_for_update().execution_options(populate_existing=True))
    if need is None:
        raise NotFound(f"Need {need_id} does not exist.")
    return await apply_transition(db, None, need, action, NO_JURISDICTION, reason=reason, now=now)


class BulkPublishFailed(IllegalTransition):
    slug, title = "bulk-publish-failed", "Bulk publish failed"


async def bulk_publish_needs(
    db: AsyncSession, principal: Principal, need_ids: list[uuid.UUID], now: datetime | None = None
) -> list[uuid.UUID]:
    """All or nothing: any need that cannot be published fails the batch, naming each (``ids[i]``).

    The request's unit of work then rolls back, so no need of a failed batch is published.
    """
    jurisdiction = principal.jurisdiction
    rows = (
        await db.execute(locked(need_query().where(Need.id.in_(need_ids), visible_clause(principal))))
    ).all()
    found = {row[0].id: row[0] for row in rows}
    errors: list[FieldError] = []
    now = now or utc_now()
    for index, need_id in enumerate(need_ids):
        need = found.get(need_id)
        if need is None:
            errors.append(
                FieldError(f"ids[{index}]", f"need {need_id} does not exist or is not visible to you")
            )
            continue
        try:
            await apply_transition(db, principal, need, Action.PUBLISH, jurisdiction, now=now)
        except (IllegalTransition, PermissionDenied) as exc:
            errors.append(FieldError(f"ids[{index}]", exc.detail))
    if len(set(need_ids)) != len(need_ids):
        errors.append(FieldError("ids", "each need at most once"))
    if errors:
        raise BulkPublishFailed(
            f"{len(errors)} of {len(need_ids)} needs cannot be published; none was.", errors=errors
        )
    return need_ids


async def review_queue(
    db: AsyncSession, principal: Principal, page: int, page_size: int
) -> tuple[list[NeedView], int]:
    """Submitted needs in the regulator's jurisdiction (descendant regions included), oldest first."""
    principal.require_role(Role.REGULATOR)
    jurisdiction = principal.jurisdiction
    where = [Need.status == NeedStatus.SUBMITTED, in_jurisdiction(principal)]
    return await page_of(
        db, principal, jurisdiction, where, [Need.last_submitted_at, Need.id], page, page_size
    )


async def expire_overdue_needs(db: AsyncSession, today: date, now: datetime | None = None) -> list[uuid.UUID]:
    """Expire every open need whose needed-by date is before ``today``; returns their ids."""
    query = (
        select(Need)
        .where(Need.status.in_(EXPIRABLE), Need.needed_by < today)
        .order_by(Need.needed_by, Need.id)
        .options(selectinload(Need.kinds))
        .with_for_update()  # a concurrent expiry waits, then skips what is no longer open
        .execution_options(populate_existing=True)
    )
    overdue = list((await db.scalars(query)).all())
    for need in overdue:
        reason = f"needed-by date {need.needed_by.isoformat()} passed unfulfilled"
        await apply_transition(db, None, need, Action.EXPIRE, NO_JURISDICTION, reason=reason, now=now)
    return [need.id for need in overdue]
