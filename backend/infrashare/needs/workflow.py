"""The need lifecycle at work: one function applies the transition table, and the service verbs.

``apply_transition`` runs the table in lifecycle.py on the core engine (``core.lifecycle``:
decide, reason check, remark shown on the timeline, event log) and adds what is the need's own:
milestone times, the ``need.published`` webhook, reindexing. Services flush, never commit; ``now``/``today`` are parameters so tests and the demo seed control the clock.

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

from infrashare.core.area import NO_JURISDICTION, Jurisdiction
from infrashare.core.clock import utc_now
from infrashare.core.errors import FieldError, NotFound, PermissionDenied
from infrashare.core.indexing import mark_changed
from infrashare.core.lifecycle import Author, IllegalTransition, Move, Workflow
from infrashare.core.paging import Pagination
from infrashare.core.principal import Principal, Role
from infrashare.needs.lifecycle import (
    EXPIRABLE,
    LIFECYCLE,
    NeedAction,
    Party,
    require_edit_since_return,
)
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
from infrashare.webhooks.service import emit

NeedMove = Move[NeedStatus, NeedAction, Party]


def _remark(need: Need, move: NeedMove, author: Author | None) -> NeedRemark:
    return NeedRemark(need_id=need.id, **move.remark_columns(author))


WORKFLOW: Workflow[NeedStatus, NeedAction, Party, Need] = Workflow(
    LIFECYCLE, object_type="need", event_name=EVENT_NAMES.__getitem__, snapshot=snapshot_of, remark=_remark
)


def _stamp(need: Need, move: NeedMove, principal: Principal | None) -> None:
    to, now = move.to, move.now
    need.updated_at = now
    if to == NeedStatus.SUBMITTED:
        need.submitted_at = need.submitted_at or now
        need.last_submitted_at, need.edited_since_return = now, False
    elif to in (NeedStatus.PUBLISHED, NeedStatus.RETURNED):
        need.reviewed_by_organisation_id = principal.organisation_id if principal else None
        if to == NeedStatus.PUBLISHED:
            need.published_at = now
        else:
            need.returned_at, need.last_return_reason = now, move.reason
    elif to == NeedStatus.MATCHED:
        need.matched_at = now
    else:  # fulfilled, withdrawn, expired
        need.closed_at = now


async def apply_transition(
    db: AsyncSession,
    principal: Principal | None,
    need: Need,
    action: NeedAction,
    jurisdiction: Jurisdiction,
    *,
    reason: str | None = None,
    now: datetime | None = None,
) -> Need:
    """The one place a need changes state. ``principal`` None is the system (scheduler, agreements)."""
    if action == NeedAction.EDIT:
        raise ValueError("edits change fields, not the state: use service.update_need")
    parties = parties_of(principal, need, jurisdiction)
    move = WORKFLOW.begin(need, action, parties, now or utc_now(), reason=reason)
    if action == NeedAction.RESUBMIT:
        require_edit_since_return(need, parties)
    _stamp(need, move, principal)
    await WORKFLOW.finish(db, principal, need, move)
    if move.to == NeedStatus.PUBLISHED:
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
    action: NeedAction,
    reason: str | None = None,
    now: datetime | None = None,
) -> NeedView:
    view, jurisdiction = await load_need(db, principal, need_id, for_update=True)
    await apply_transition(db, principal, view.need, action, jurisdiction, reason=reason, now=now)
    return await get_need(db, principal, need_id)


async def submit_need(
    db: AsyncSession, principal: Principal, need_id: uuid.UUID, now: datetime | None = None
) -> NeedView:
    return await act(db, principal, need_id, NeedAction.SUBMIT, now=now)


async def resubmit_need(
    db: AsyncSession, principal: Principal, need_id: uuid.UUID, now: datetime | None = None
) -> NeedView:
    return await act(db, principal, need_id, NeedAction.RESUBMIT, now=now)


async def publish_need(
    db: AsyncSession, principal: Principal, need_id: uuid.UUID, now: datetime | None = None
) -> NeedView:
    return await act(db, principal, need_id, NeedAction.PUBLISH, now=now)


async def return_need(
    db: AsyncSession, principal: Principal, need_id: uuid.UUID, reason: str, now: datetime | None = None
) -> NeedView:
    return await act(db, principal, need_id, NeedAction.RETURN, reason=reason, now=now)


async def withdraw_need(
    db: AsyncSession,
    principal: Principal,
    need_id: uuid.UUID,
    reason: str | None = None,
    now: datetime | None = None,
) -> NeedView:
    return await act(db, principal, need_id, NeedAction.WITHDRAW, reason=reason, now=now)


async def match_need(
    db: AsyncSession, principal: Principal, need_id: uuid.UUID, now: datetime | None = None
) -> NeedView:
    return await act(db, principal, need_id, NeedAction.MATCH, now=now)


async def fulfil_need(
    db: AsyncSession, principal: Principal, need_id: uuid.UUID, now: datetime | None = None
) -> NeedView:
    return await act(db, principal, need_id, NeedAction.FULFIL, now=now)


async def system_transition(
    db: AsyncSession,
    need_id: uuid.UUID,
    action: NeedAction,
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
            await apply_transition(db, principal, need, NeedAction.PUBLISH, jurisdiction, now=now)
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
    db: AsyncSession, principal: Principal, pagination: Pagination
) -> tuple[list[NeedView], int]:
    """Submitted needs in the regulator's jurisdiction (descendant regions included), oldest first."""
    principal.require_role(Role.REGULATOR)
    jurisdiction = principal.jurisdiction
    where = [Need.status == NeedStatus.SUBMITTED, in_jurisdiction(principal)]
    return await page_of(db, principal, jurisdiction, where, [Need.last_submitted_at, Need.id], pagination)


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
        await apply_transition(db, None, need, NeedAction.EXPIRE, NO_JURISDICTION, reason=reason, now=now)
    return [need.id for need in overdue]
