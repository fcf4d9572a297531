"""HTTP: the event log for platform admins (features show their own objects' history)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

from litestar import Controller, get
from litestar.params import Parameter
from sqlalchemy.ext.asyncio import AsyncSession

from infrashare.accounts.models import Role
from infrashare.accounts.principal import Principal
from infrashare.audit import service
from infrashare.audit.schemas import ChainReportRead, EventRead


class AuditController(Controller):
    path = "/api/v1/audit"
    tags = ["audit"]

    @get("/events", summary="Events about one object, in order (platform admins)")
    async def object_events(
        self,
        db_session: AsyncSession,
        principal: Principal,
        object_type: Annotated[str, Parameter(max_length=40)],
        object_id: Annotated[str, Parameter(max_length=64)],
    ) -> list[EventRead]:
        principal.require_role(Role.PLATFORM_ADMIN)
        events = await service.history(db_session, object_type, object_id)
        return [EventRead.model_validate(event) for event in events]

    @get("/verify", summary="Verify the whole hash chain (platform admins)")
    async def verify(self, db_session: AsyncSession, principal: Principal) -> ChainReportRead:
        principal.require_role(Role.PLATFORM_ADMIN)
        return ChainReportRead(**asdict(await service.verify_chain(db_session)))
