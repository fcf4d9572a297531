"""Rules for needs: creating and editing drafts, reading and paging (who sees them: visibility.py).

State changes live in workflow.py (the verbs) and lifecycle.py (the table). Services flush,
never commit; ``now`` is a parameter so tests and the demo seed control the clock.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import ColumnElement, Select, and_, func, select, true
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from infrashare.accounts.models import Organisation
from infrashare.audit.models import Event
from infrashare.audit.service import history, record_event
from infrashare.core.area import Jurisdiction
from infrashare.core.clock import utc_now
from infrashare.core.errors import FieldError, InvalidInput, NotFound, PermissionDenied
from infrashare.core.geo import location_columns
from infrashare.core.indexing import mark_changed
from infrashare.core.paging import Pagination
from infrashare.core.principal import Principal, Role
from infrashare.needs.lifecycle import LIFECYCLE, NeedAction, Party
from infrashare.needs.models import Need, NeedKind, NeedRemark, NeedStatus
from infrashare.needs.schemas import NeedCreate, NeedUpdate
from infrashare.needs.search import NEEDS_INDEX
from infrashare.needs.visibility import visible_clause
from infrashare.regions.models import Region

OPERATOR_ROLES = frozenset({Role.OPERATOR_ADMIN, Role.OPERATOR_MEMBER})
EVENT_NAMES = {
    NeedAction.EDIT: "need.updated",
    NeedAction.SUBMIT: "need.submitted",
    NeedAction.RESUBMIT: "need.resubmitted",
    NeedAction.PUBLISH: "need.published",
    NeedAction.RETURN: "need.returned",
    NeedAction.WITHDRAW: "need.withdrawn",
    NeedAction.MATCH: "need.matched",
    NeedAction.FULFIL: "need.fulfilled",
    NeedAction.EXPIRE: "need.expired",
}
# Fields of a need that a snapshot in the event log records.
SNAPSHOT_FIELDS = [
    "title",
    "purpose",
    "mode",
    "geometry",
    "radius_m",
    "corridor_m",
    "region_code",
    "quantity",
    "needed_by",
    "description",
    "contact_name",
    "contact_phone",
    "contact_email",
    "status",
]


@dataclass(frozen=True)
class NeedView:
    """A need with what its read model shows beside it."""

    need: Need
    organisation: Organisation
    region_name: str
    allowed: list[NeedAction]


# --- who sees what -----------------------------------------------------------------------------


def parties_of(principal: Principal | None, need: Need, jurisdiction: Jurisdiction) -> frozenset[Party]:
    """``jurisdiction`` is the principal's (``principal.jurisdiction``; empty for the system)."""
    if principal is None:
        return frozenset({Party.SYSTEM})
    parties = set()
    if principal.organisation_id == need.organisation_id and principal.role in OPERATOR_ROLES:
        parties.add(Party.REQUESTER)
    if need.region_code in jurisdiction:
        parties.add(Party.REVIEWER)
    return frozenset(parties)


def need_query() -> Select[Need, Organisation, str]:
    return (
        select(Need, Organisation, Region.name)
        .join(Organisation, Organisation.id == Need.organisation_id)
        .join(Region, Region.code == Need.region_code)
        .options(selectinload(Need.kinds))
    )


def locked(query: Select[Need, Organisation, str]) -> Select[Need, Organisation, str]:
    """Locks the need rows until the unit of work ends (PostgreSQL), so concurrent transitions
    of one need queue up and the later one sees the new state. SQLite's writers are serialised
    already (BEGIN IMMEDIATE)."""
    return query.with_for_update(of=Need).execution_options(populate_existing=True)


async def load_need(
    db: AsyncSession, principal: Principal, need_id: uuid.UUID, *, for_update: bool = False
) -> tuple[NeedView, Jurisdiction]:
    jurisdiction = principal.jurisdiction
    query = need_query().where(Need.id == need_id, visible_clause(principal))
    row = (await db.execute(locked(query) if for_update else query)).first()
    if row is None:
        raise NotFound(f"Need {need_id} does not exist or is not visible to you.")
    need, organisation, region_name = row
    allowed = LIFECYCLE.allowed_actions(need, parties_of(principal, need, jurisdiction))
    return NeedView(need, organisation, region_name, allowed), jurisdiction


async def get_need(db: AsyncSession, principal: Principal, need_id: uuid.UUID) -> NeedView:
    view, _ = await load_need(db, principal, need_id)
    return view


def view_of(
    principal: Principal, row: tuple[Need, Organisation, str], jurisdiction: Jurisdiction
) -> NeedView:
    need, organisation, region_name = row
    return NeedView(
        need,
        organisation,
        region_name,
        LIFECYCLE.allowed_actions(need, parties_of(principal, need, jurisdiction)),
    )


# --- creating and editing ----------------------------------------------------------------------


async def _check(db: AsyncSession, data: NeedCreate, today: date) -> None:
    """Rules beyond one field's shape; every broken one is named."""
    errors: list[FieldError] = []
    if data.geometry.type == "Point":
        if data.radius_m is None:
            errors.append(FieldError("radius_m", "a Point location needs a radius in metres"))
        if data.corridor_m is not None:
            errors.append(FieldError("corridor_m", "only a LineString route has a corridor width"))
    else:
        if data.corridor_m is None:
            errors.append(FieldError("corridor_m", "a LineString route needs a corridor width in metres"))
        if data.radius_m is not None:
            errors.append(FieldError("radius_m", "only a Point location has a radius"))
    if len(set(data.wanted_kinds)) != len(data.wanted_kinds):
        errors.append(FieldError("wanted_kinds", "each kind at most once"))
    if data.needed_by <= today:
        errors.append(FieldError("needed_by", f"must be after today ({today.isoformat()})"))
    if await db.get(Region, data.region_code) is None:
        errors.append(FieldError("region_code", f"unknown region {data.region_code}"))
    if errors:
        raise InvalidInput("; ".join(f"{e.field}: {e.message}" for e in errors), errors=errors)


def _apply_fields(need: Need, data: NeedCreate) -> None:
    values = data.model_dump(exclude={"wanted_kinds", "geometry"})
    for name, value in values.items():
        setattr(need, name, value)
    need.geometry = data.geometry.model_dump()
    for name, value in location_columns(need.geometry).items():
        setattr(need, name, value)
    need.kinds = [NeedKind(kind=kind) for kind in data.wanted_kinds]


def snapshot_of(need: Need) -> dict[str, Any]:
    values = {name: getattr(need, name) for name in SNAPSHOT_FIELDS}
    values["wanted_kinds"] = need.wanted_kinds
    return values


async def create_need(
    db: AsyncSession, principal: Principal, data: NeedCreate, now: datetime | None = None
) -> NeedView:
    """A draft need of the caller's organisation (operator users only)."""
    if principal.role not in OPERATOR_ROLES:
        raise PermissionDenied("Only operators post needs.")
    now = now or utc_now()
    await _check(db, data, now.date())
    need = Need(
        organisation_id=principal.organisation_id,
        created_by_user_id=principal.user_id,
        status=NeedStatus.DRAFT,
        status_changed_at=now,
        created_at=now,
        updated_at=now,
    )
    _apply_fields(need, data)
    db.add(need)
    await db.flush()
    await record_event(db, principal.actor, "need.created", "need", need.id, after=snapshot_of(need))
    mark_changed(db, NEEDS_INDEX, need.id)
    return await get_need(db, principal, need.id)


async def update_need(
    db: AsyncSession, principal: Principal, need_id: uuid.UUID, data: NeedUpdate, now: datetime | None = None
) -> NeedView:
    """Edits while draft or returned, by the requesting organisation; the merged need is re-checked."""
    view, jurisdiction = await load_need(db, principal, need_id, for_update=True)
    need = view.need
    LIFECYCLE.decide(need, NeedAction.EDIT, parties_of(principal, need, jurisdiction))
    now = now or utc_now()
    before = snapshot_of(need)
    current = {**before, "geometry": need.geometry}
    del current["status"]
    try:
        merged = NeedCreate.model_validate({**current, **data.model_dump(exclude_unset=True)})
    except ValidationError as exc:
        errors = [FieldError(".".join(str(p) for p in e["loc"]) or "body", e["msg"]) for e in exc.errors()]
        raise InvalidInput(errors[0].field + ": " + errors[0].message, errors=errors) from exc
    await _check(db, merged, now.date())
    _apply_fields(need, merged)
    need.updated_at = now
    if need.status == NeedStatus.RETURNED:
        need.edited_since_return = True
    await db.flush()
    await record_event(
        db, principal.actor, "need.updated", "need", need.id, before=before, after=snapshot_of(need)
    )
    mark_changed(db, NEEDS_INDEX, need.id)
    return await get_need(db, principal, need.id)


async def page_of(
    db: AsyncSession,
    principal: Principal,
    jurisdiction: Jurisdiction,
    where: list[ColumnElement[bool]],
    order: list[Any],
    pagination: Pagination,
) -> tuple[list[NeedView], int]:
    condition = and_(true(), *where)
    total = await db.scalar(
        select(func.count())
        .select_from(Need)
        .join(Organisation, Organisation.id == Need.organisation_id)
        .where(condition)
    )
    query = pagination.rows(need_query().where(condition).order_by(*order))
    rows = (await db.execute(query)).all()
    return [view_of(principal, row, jurisdiction) for row in rows], total or 0


async def remarks(db: AsyncSession, need_id: uuid.UUID) -> list[NeedRemark]:
    query = select(NeedRemark).where(NeedRemark.need_id == need_id).order_by(NeedRemark.created_at)
    return list((await db.scalars(query)).all())


async def history_of(db: AsyncSession, need_id: uuid.UUID) -> list[Event]:
    return await history(db, "need", need_id)


async def timeline(db: AsyncSession, principal: Principal, need_id: uuid.UUID) -> list[Event]:
    """The need's events in order (with reasons), for whoever may read the need."""
    await get_need(db, principal, need_id)
    return await history_of(db, need_id)
