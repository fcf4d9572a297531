"""HTTP: the event log for platform admins (features show their own objects' history)."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get
from litestar.params import QueryParameter

from infrashare.audit import service
from infrashare.audit.schemas import ChainReportRead, EventRead
from infrashare.core.db import DbSession
from infrashare.core.principal import CurrentPrincipal, Role


class AuditController(Controller):
    path = "/api/v1/audit"
    tags = ["audit"]

    @get("/events", summary="Events about one object, in order (platform admins)")
    async def object_events(
        self,
        db_session: DbSession,
        principal: CurrentPrincipal,
        object_type: Annotated[str, QueryParameter(max_length=40)],
        object_id: Annotated[str, QueryParameter(max_length=64)],
    ) -> list[EventRead]:
        principal.require_role(Role.PLATFORM_ADMIN)
        events = await service.history(db_session, object_type, object_id)
        return [EventRead.model_validate(event) for event in events]

    @get("/verify", summary="Verify the whole hash chain (platform admins)")
    async def verify(self, db_session: DbSession, principal: CurrentPrincipal) -> ChainReportRead:
        principal.require_role(Role.PLATFORM_ADMIN)
        return ChainReportRead.model_validate(await service.verify_chain(db_session))
