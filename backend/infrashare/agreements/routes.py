"""HTTP: sharing requests and agreements (the verbs), approval rules, notifications.

Every operation declares its OAuth scope. Handlers take the time as the ``now`` dependency
(``core.clock``: the app's clock, which tests move) and pass it down.
"""

from __future__ import annotations

import uuid
from typing import Annotated

from litestar import Controller, MediaType, delete, get, post
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter
from litestar.response import Template
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from infrashare.accounts.models import Organisation
from infrashare.agreements import notifications, rules, service, workflow
from infrashare.agreements.documents import TEMPLATE, document_context
from infrashare.agreements.lifecycle import RequestAction as Action
from infrashare.agreements.models import RequestStatus, SharingRequestRemark
from infrashare.agreements.schemas import (
    Counter,
    ExpiryResult,
    NotificationPage,
    NotificationRead,
    Rejection,
    RequestCreate,
    RequestPage,
    RequestRead,
    RequestReason,
    RequestTimelineEntry,
    RequiredReason,
    RuleCreate,
    RuleRead,
    Termination,
)
from infrashare.audit.service import history
from infrashare.core.caller import Caller, CurrentCaller
from infrashare.core.clock import Now
from infrashare.core.contract import problems
from infrashare.core.db import DbSession
from infrashare.core.paging import Paging
from infrashare.core.principal import CurrentPrincipal
from infrashare.core.scopes import requires

READ = requires("agreements:read")
WRITE = requires("agreements:write")
RequestId = FromPath[uuid.UUID]


class SharingRequestController(Controller):
    path = "/api/v1/sharing-requests"
    tags = ["agreements"]

    @post(
        "/",
        status_code=HTTP_201_CREATED,
        summary="Ask an asset's owner for capacity units",
        responses=problems(404, 409),
        **WRITE,
    )
    async def create(
        self,
        caller: CurrentCaller,
        data: JSONBody[RequestCreate],
    ) -> RequestRead:
        view = await service.create_request(caller.db, caller.principal, data, caller.settings, caller.now)
        return RequestRead.from_model(view)

    @get("/", summary="Requests and agreements I am party to (regulators: in my jurisdiction)", **READ)
    async def list_requests(
        self,
        now: Now,
        db_session: DbSession,
        principal: CurrentPrincipal,
        pagination: Paging,
        status: Annotated[list[RequestStatus] | None, QueryParameter()] = None,
        side: Annotated[
            str | None, QueryParameter(pattern="^(requester|owner)$", description="Only as requester / owner")
        ] = None,
    ) -> RequestPage:
        views, total = await service.list_requests(
            db_session, principal, now, statuses=status or [], side=side, pagination=pagination
        )
        return RequestPage.of([RequestRead.from_model(v) for v in views], total, pagination)

    @get("/overdue", summary="Overdue requests, reviews and disputes in my jurisdiction (regulators)", **READ)
    async def overdue(
        self,
        now: Now,
        db_session: DbSession,
        principal: CurrentPrincipal,
        pagination: Paging,
    ) -> RequestPage:
        views, total = await service.overdue_requests(db_session, principal, now, pagination)
        return RequestPage.of([RequestRead.from_model(v) for v in views], total, pagination)

    @get("/{request_id:uuid}", summary="One request or agreement, with what I may do now", **READ)
    async def get_request(
        self,
        now: Now,
        db_session: DbSession,
        principal: CurrentPrincipal,
        request_id: RequestId,
    ) -> RequestRead:
        return RequestRead.from_model(await service.load_request(db_session, principal, request_id, now))

    @get("/{request_id:uuid}/timeline", summary="Every transition with actor, time and reason", **READ)
    async def timeline(
        self,
        now: Now,
        db_session: DbSession,
        principal: CurrentPrincipal,
        request_id: RequestId,
    ) -> list[RequestTimelineEntry]:
        await service.load_request(db_session, principal, request_id, now)
        events = await history(db_session, service.OBJECT_TYPE, request_id)
        remarks = await _remarks(db_session, request_id)
        return [RequestTimelineEntry.from_model(event, remarks) for event in events]

    @get(
        "/{request_id:uuid}/document",
        summary="The printable agreement (HTML): parties, asset, units, term, terms, event trail",
        **READ,
    )
    async def document(
        self,
        now: Now,
        db_session: DbSession,
        principal: CurrentPrincipal,
        request_id: RequestId,
    ) -> Template:
        view = await service.load_request(db_session, principal, request_id, now)
        events = await history(db_session, service.OBJECT_TYPE, request_id)
        ids = {e.actor_organisation_id for e in events if e.actor_organisation_id}
        names = {
            str(org_id): name
            for org_id, name in (
                await db_session.execute(
                    select(Organisation.id, Organisation.name).where(Organisation.id.in_(ids))
                )
            )
        }
        context = document_context(view, events, names, now)
        return Template(TEMPLATE, context=context, media_type=MediaType.HTML)

    async def _verb(
        self, caller: Caller, request_id: uuid.UUID, action: Action, reason: str | None = None
    ) -> RequestRead:
        db, principal, settings, now = caller.db, caller.principal, caller.settings, caller.now
        view = await workflow.act(db, principal, request_id, action, settings, now, reason=reason)
        return RequestRead.from_model(view)

    @post(
        "/{request_id:uuid}/accept",
        status_code=HTTP_200_OK,
        summary="Accept (owner); reserves the units",
        **WRITE,
    )
    async def accept(
        self,
        caller: CurrentCaller,
        request_id: RequestId,
    ) -> RequestRead:
        return await self._verb(caller, request_id, Action.ACCEPT)

    @post(
        "/{request_id:uuid}/reject",
        status_code=HTTP_200_OK,
        summary="Reject with a reason code and text (owner)",
        **WRITE,
    )
    async def reject(
        self,
        caller: CurrentCaller,
        request_id: RequestId,
        data: JSONBody[Rejection],
    ) -> RequestRead:
        view = await workflow.reject_request(
            caller.db,
            caller.principal,
            request_id,
            data.reason_code,
            data.reason,
            caller.settings,
            caller.now,
        )
        return RequestRead.from_model(view)

    @post(
        "/{request_id:uuid}/counter",
        status_code=HTTP_200_OK,
        summary="Counter: change units, term or terms (owner)",
        **WRITE,
    )
    async def counter(
        self,
        caller: CurrentCaller,
        request_id: RequestId,
        data: JSONBody[Counter],
    ) -> RequestRead:
        view = await workflow.counter_request(
            caller.db, caller.principal, request_id, data, caller.settings, caller.now
        )
        return RequestRead.from_model(view)

    @post(
        "/{request_id:uuid}/withdraw",
        status_code=HTTP_200_OK,
        summary="Withdraw before an answer (requester)",
        **WRITE,
    )
    async def withdraw(
        self,
        caller: CurrentCaller,
        request_id: RequestId,
        data: JSONBody[RequestReason | None] = None,
    ) -> RequestRead:
        reason = data.reason if data else None
        return await self._verb(caller, request_id, Action.WITHDRAW, reason)

    @post(
        "/{request_id:uuid}/accept-counter",
        status_code=HTTP_200_OK,
        summary="Accept the owner's counter (requester); reserves the units",
        **WRITE,
    )
    async def accept_counter(
        self,
        caller: CurrentCaller,
        request_id: RequestId,
    ) -> RequestRead:
        return await self._verb(caller, request_id, Action.ACCEPT_COUNTER)

    @post(
        "/{request_id:uuid}/reject-counter",
        status_code=HTTP_200_OK,
        summary="Reject the owner's counter (requester)",
        **WRITE,
    )
    async def reject_counter(
        self,
        caller: CurrentCaller,
        request_id: RequestId,
        data: JSONBody[RequestReason | None] = None,
    ) -> RequestRead:
        reason = data.reason if data else None
        return await self._verb(caller, request_id, Action.REJECT_COUNTER, reason)

    @post(
        "/{request_id:uuid}/approve",
        status_code=HTTP_200_OK,
        summary="Approve under review (regulator)",
        **WRITE,
    )
    async def approve(
        self,
        caller: CurrentCaller,
        request_id: RequestId,
        data: JSONBody[RequestReason | None] = None,
    ) -> RequestRead:
        reason = data.reason if data else None
        return await self._verb(caller, request_id, Action.APPROVE, reason)

    @post(
        "/{request_id:uuid}/refuse",
        status_code=HTTP_200_OK,
        summary="Refuse with a reason (regulator); releases units",
        **WRITE,
    )
    async def refuse(
        self,
        caller: CurrentCaller,
        request_id: RequestId,
        data: JSONBody[RequiredReason],
    ) -> RequestRead:
        return await self._verb(caller, request_id, Action.REFUSE, data.reason)

    @post(
        "/{request_id:uuid}/escalate",
        status_code=HTTP_200_OK,
        summary="Dispute an owner's rejection or an overdue answer or review (requester)",
        **WRITE,
    )
    async def escalate(
        self,
        caller: CurrentCaller,
        request_id: RequestId,
        data: JSONBody[RequiredReason],
    ) -> RequestRead:
        return await self._verb(caller, request_id, Action.ESCALATE, data.reason)

    @post(
        "/{request_id:uuid}/uphold",
        status_code=HTTP_200_OK,
        summary="Decide a dispute: uphold the rejection (regulator)",
        **WRITE,
    )
    async def uphold(
        self,
        caller: CurrentCaller,
        request_id: RequestId,
        data: JSONBody[RequiredReason],
    ) -> RequestRead:
        return await self._verb(caller, request_id, Action.UPHOLD, data.reason)

    @post(
        "/{request_id:uuid}/order-acceptance",
        status_code=HTTP_200_OK,
        summary="Decide a dispute: order acceptance (regulator); the agreement becomes active",
        **WRITE,
    )
    async def order_acceptance(
        self,
        caller: CurrentCaller,
        request_id: RequestId,
        data: JSONBody[RequiredReason],
    ) -> RequestRead:
        return await self._verb(caller, request_id, Action.ORDER_ACCEPTANCE, data.reason)

    @post(
        "/{request_id:uuid}/terminate",
        status_code=HTTP_200_OK,
        summary="Terminate an active agreement (either side)",
        **WRITE,
    )
    async def terminate(
        self,
        caller: CurrentCaller,
        request_id: RequestId,
        data: JSONBody[Termination],
    ) -> RequestRead:
        view = await workflow.terminate_agreement(
            caller.db,
            caller.principal,
            request_id,
            data.reason,
            data.notice_date,
            caller.settings,
            caller.now,
        )
        return RequestRead.from_model(view)


async def _remarks(db: AsyncSession, request_id: uuid.UUID) -> dict[tuple[str, str | None], str | None]:
    rows = await db.scalars(select(SharingRequestRemark).where(SharingRequestRemark.request_id == request_id))
    return {(f"sharing_request.{r.action}", r.to_status.value): r.reason_code for r in rows if r.reason_code}


class ApprovalRuleController(Controller):
    path = "/api/v1/approval-rules"
    tags = ["agreements"]

    @get("/", summary="Rules that send accepted requests to regulator review", **READ)
    async def list_rules(
        self, db_session: DbSession, principal: CurrentPrincipal, include_inactive: FromQuery[bool] = False
    ) -> list[RuleRead]:
        return [RuleRead.model_validate(r) for r in await rules.list_rules(db_session, include_inactive)]

    @post(
        "/",
        status_code=HTTP_201_CREATED,
        summary="Add a rule (platform admins; regulators in their jurisdiction)",
        **WRITE,
    )
    async def create_rule(
        self, db_session: DbSession, principal: CurrentPrincipal, data: JSONBody[RuleCreate]
    ) -> RuleRead:
        return RuleRead.model_validate(await rules.create_rule(db_session, principal, data))

    @delete(
        "/{rule_id:uuid}", status_code=HTTP_200_OK, summary="Deactivate a rule (kept for the record)", **WRITE
    )
    async def deactivate_rule(
        self, db_session: DbSession, principal: CurrentPrincipal, rule_id: FromPath[uuid.UUID]
    ) -> RuleRead:
        return RuleRead.model_validate(await rules.deactivate_rule(db_session, principal, rule_id))


class NotificationController(Controller):
    path = "/api/v1/notifications"
    tags = ["notifications"]

    @get("/", summary="My organisation's notifications, newest first, with the unread count", **READ)
    async def list_notifications(
        self,
        db_session: DbSession,
        principal: CurrentPrincipal,
        pagination: Paging,
        unread_only: FromQuery[bool] = False,
    ) -> NotificationPage:
        items, total, unread = await notifications.list_notifications(
            db_session, principal, unread_only, pagination
        )
        return NotificationPage.of(
            [NotificationRead.model_validate(n) for n in items], total, pagination, unread=unread
        )

    @post(
        "/{notification_id:uuid}/read", status_code=HTTP_200_OK, summary="Mark one notification read", **WRITE
    )
    async def mark_read(
        self,
        now: Now,
        db_session: DbSession,
        principal: CurrentPrincipal,
        notification_id: FromPath[uuid.UUID],
    ) -> dict[str, int]:
        return {"marked": await notifications.mark_read(db_session, principal, notification_id, now)}

    @post(
        "/read-all", status_code=HTTP_200_OK, summary="Mark all my organisation's notifications read", **WRITE
    )
    async def mark_all_read(
        self, now: Now, db_session: DbSession, principal: CurrentPrincipal
    ) -> dict[str, int]:
        return {"marked": await notifications.mark_read(db_session, principal, None, now)}


__all__ = ["ApprovalRuleController", "ExpiryResult", "NotificationController", "SharingRequestController"]
