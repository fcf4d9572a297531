"""Rules for sharing requests: who is party to one, making one, reading and listing.

State changes live in workflow.py (the one function and the verbs) and lifecycle.py (the
table). Services flush, never commit; ``now`` is a parameter (routes pass the app's clock).

Who sees a request: visibility.py.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from infrashare.accounts.models import Organisation
from infrashare.agreements.lifecycle import (
    LIFECYCLE,
    OWNER_ANSWER_STATES,
    REGULATOR_STATES,
    Party,
    RequestAction,
)
from infrashare.agreements.models import NotificationEvent, RequestStatus, SharingRequest
from infrashare.agreements.notifications import notify
from infrashare.agreements.schemas import RequestCreate
from infrashare.agreements.visibility import in_jurisdiction, visible_clause
from infrashare.assets.models import Asset, AssetStatus
from infrashare.assets.service import get_visible
from infrashare.assets.visibility import viewer_for
from infrashare.audit.service import record_event
from infrashare.core.area import NO_JURISDICTION, Jurisdiction
from infrashare.core.errors import FieldError, InvalidInput, NotFound, PermissionDenied
from infrashare.core.paging import Pagination
from infrashare.core.principal import OrganisationKind, Principal, Role
from infrashare.core.settings import Settings
from infrashare.needs.models import Need, NeedStatus
from infrashare.webhooks.service import emit

OPERATOR_ROLES = frozenset({Role.OPERATOR_ADMIN, Role.OPERATOR_MEMBER})
OBJECT_TYPE = "sharing_request"
REQUESTABLE_NEED_STATES = frozenset({NeedStatus.PUBLISHED, NeedStatus.MATCHED})

Requester = aliased(Organisation, name="requester")
Owner = aliased(Organisation, name="owner")


@dataclass
class RequestView:
    """A request with what its read model shows beside it, for one caller at one time."""

    request: SharingRequest
    asset: Asset
    requester_name: str
    owner_name: str
    parties: frozenset[Party]
    now: datetime

    @property
    def allowed(self) -> list[RequestAction]:
        return LIFECYCLE.allowed_actions(self.request, self.parties, self.now)

    @property
    def overdue_party(self) -> str | None:
        return overdue_party(self.request, self.now)


def overdue_party(request: SharingRequest, now: datetime) -> str | None:
    if request.status in OWNER_ANSWER_STATES and now > request.owner_due_at:
        return Party.OWNER.value
    if request.status in REGULATOR_STATES and request.review_due_at and now > request.review_due_at:
        return Party.REGULATOR.value
    return None


def snapshot_of(request: SharingRequest) -> dict[str, Any]:
    """What the event log records of a request's state (before and after each change)."""
    return {
        "status": request.status,
        "asset_id": request.asset_id,
        "requester_organisation_id": request.requester_organisation_id,
        "owner_organisation_id": request.owner_organisation_id,
        "need_id": request.need_id,
        "units": request.units,
        "start_date": request.start_date,
        "end_date": request.end_date,
        "terms": request.terms,
        "annual_fee_cny": request.annual_fee_cny,
        "reserved_units": request.reserved_units,
        "owner_due_at": request.owner_due_at,
        "review_due_at": request.review_due_at,
        "rejected_by": request.rejected_by,
        "notice_date": request.notice_date,
        "review_rule_id": request.review_rule_id,
    }


# --- who is who ---------------------------------------------------------------------------------


def parties_of(
    principal: Principal | None, request: SharingRequest, asset: Asset, jurisdiction: Jurisdiction
) -> frozenset[Party]:
    """``jurisdiction`` is the principal's (``principal.jurisdiction``; empty for the system)."""
    if principal is None:
        return frozenset({Party.SYSTEM})
    parties = set()
    if principal.role in OPERATOR_ROLES:
        if principal.organisation_id == request.requester_organisation_id:
            parties.add(Party.REQUESTER)
        if principal.organisation_id == request.owner_organisation_id:
            parties.add(Party.OWNER)
    if asset.region_code in jurisdiction:
        parties.add(Party.REGULATOR)
    return frozenset(parties)


def request_query() -> Select[SharingRequest, Asset, str, str]:
    return (
        select(SharingRequest, Asset, Requester.name, Owner.name)
        .join(Asset, Asset.id == SharingRequest.asset_id)
        .join(Requester, Requester.id == SharingRequest.requester_organisation_id)
        .join(Owner, Owner.id == SharingRequest.owner_organisation_id)
    )


async def load_request(
    db: AsyncSession,
    principal: Principal | None,
    request_id: uuid.UUID,
    now: datetime,
    *,
    for_update: bool = False,
) -> RequestView:
    """The request if the caller may see it (404 otherwise); ``for_update`` locks its row
    (PostgreSQL; SQLite write transactions are serialised already)."""
    if for_update:
        locked = select(SharingRequest.id).where(SharingRequest.id == request_id).with_for_update()
        await db.execute(locked)
    jurisdiction = principal.jurisdiction if principal else NO_JURISDICTION
    query = request_query().where(SharingRequest.id == request_id)
    if principal is not None:
        query = query.where(visible_clause(principal))
    row = (await db.execute(query.execution_options(populate_existing=True))).first()
    if row is None:
        raise NotFound(f"Sharing request {request_id} does not exist or is not visible to you.")
    request, asset, requester_name, owner_name = row
    parties = parties_of(principal, request, asset, jurisdiction)
    return RequestView(request, asset, requester_name, owner_name, parties, now)


# --- making a request ---------------------------------------------------------------------------


def _invalid(field: str, message: str) -> InvalidInput:
    return InvalidInput(f"{field}: {message}", errors=[FieldError(field, message)])


async def _check_need(db: AsyncSession, principal: Principal, need_id: uuid.UUID) -> None:
    need = await db.get(Need, need_id)
    if need is None or need.organisation_id != principal.organisation_id:
        raise _invalid("need_id", "not one of your organisation's needs")
    if need.status not in REQUESTABLE_NEED_STATES:
        raise _invalid("need_id", f"the need is {need.status.value}; only published or matched needs")


async def create_request(
    db: AsyncSession, principal: Principal, data: RequestCreate, settings: Settings, now: datetime
) -> RequestView:
    if principal.role not in OPERATOR_ROLES:
        raise PermissionDenied("Only users of operator organisations make sharing requests.")
    asset = await get_visible(db, await viewer_for(db, principal), data.asset_id)
    if asset.owner_organisation_id == principal.organisation_id:
        raise _invalid("asset_id", "this is your own organisation's asset")
    if asset.status == AssetStatus.RETIRED:
        raise _invalid("asset_id", "the asset is retired")
    if data.units > asset.capacity_total:
        raise _invalid("units", f"the asset has {asset.capacity_total} {asset.capacity_unit} in total")
    if data.end_date <= data.start_date:
        raise _invalid("end_date", "must be after start_date")
    if data.end_date < now.date():
        raise _invalid("end_date", "is in the past")
    if data.need_id is not None:
        await _check_need(db, principal, data.need_id)
    request = SharingRequest(
        id=uuid.uuid4(),
        requester_organisation_id=principal.organisation_id,
        owner_organisation_id=asset.owner_organisation_id,
        asset_id=asset.id,
        need_id=data.need_id,
        created_by_user_id=principal.user_id,
        units=data.units,
        start_date=data.start_date,
        end_date=data.end_date,
        terms=data.terms,
        annual_fee_cny=data.annual_fee_cny,
        reserved_units=0,
        status=RequestStatus.REQUESTED,
        status_changed_at=now,
        owner_due_at=now + timedelta(days=settings.owner_answer_days),
        created_at=now,
    )
    db.add(request)
    await db.flush()
    await record_event(
        db, principal.actor, "sharing_request.created", OBJECT_TYPE, request.id, after=snapshot_of(request)
    )
    await notify(db, request, asset, NotificationEvent.CREATED, [asset.owner_organisation_id], now)
    await emit(
        db,
        "request.received",
        event_data(request, None, "create"),
        organisations=[asset.owner_organisation_id],
        region_code=asset.region_code,
        asset_kinds=[asset.kind.value],
    )
    return await load_request(db, principal, request.id, now)


def event_data(request: SharingRequest, from_status: RequestStatus | None, action: str) -> dict[str, Any]:
    return {
        "id": str(request.id),
        "action": action,
        "status": request.status.value,
        "from_status": from_status.value if from_status else None,
        "asset_id": str(request.asset_id),
        "requester_organisation_id": str(request.requester_organisation_id),
        "owner_organisation_id": str(request.owner_organisation_id),
        "units": request.units,
        "start_date": request.start_date.isoformat(),
        "end_date": request.end_date.isoformat(),
    }


# --- reads --------------------------------------------------------------------------------------


async def list_requests(
    db: AsyncSession,
    principal: Principal,
    now: datetime,
    *,
    statuses: list[RequestStatus],
    side: str | None,
    pagination: Pagination,
) -> tuple[list[RequestView], int]:
    where: list[ColumnElement[bool]] = [visible_clause(principal)]
    if statuses:
        where.append(SharingRequest.status.in_(statuses))
    if side == "requester":
        where.append(SharingRequest.requester_organisation_id == principal.organisation_id)
    elif side == "owner":
        where.append(SharingRequest.owner_organisation_id == principal.organisation_id)
    return await _page(db, principal, now, where, pagination)


async def overdue_requests(
    db: AsyncSession, principal: Principal, now: datetime, pagination: Pagination
) -> tuple[list[RequestView], int]:
    """Requests in the regulator's jurisdiction whose owner or regulator deadline has passed."""
    if principal.organisation_kind != OrganisationKind.REGULATOR:
        raise PermissionDenied("The overdue list is for regulators.")
    overdue = or_(
        and_(SharingRequest.status.in_(OWNER_ANSWER_STATES), SharingRequest.owner_due_at < now),
        and_(SharingRequest.status.in_(REGULATOR_STATES), SharingRequest.review_due_at < now),
    )
    return await _page(db, principal, now, [in_jurisdiction(principal), overdue], pagination)


async def _page(
    db: AsyncSession,
    principal: Principal,
    now: datetime,
    where: list[ColumnElement[bool]],
    pagination: Pagination,
) -> tuple[list[RequestView], int]:
    total_query = (
        select(func.count())
        .select_from(SharingRequest)
        .join(Asset, Asset.id == SharingRequest.asset_id)
        .where(*where)
    )
    total = int(await db.scalar(total_query) or 0)
    query = pagination.rows(
        request_query().where(*where).order_by(SharingRequest.created_at.desc(), SharingRequest.id)
    )
    views = [
        RequestView(r, a, rn, on, parties_of(principal, r, a, principal.jurisdiction), now)
        for r, a, rn, on in (await db.execute(query))
    ]
    return views, total
