"""The request's context in one object: who calls, in which unit of work, with which settings, when.

Handlers that pass the same four things to every service call (the agreements' verbs) ask for
``caller`` instead of ``db_session``, ``principal``, ``settings`` and ``now`` one by one. Asking
for it requires sign-in, exactly as asking for ``principal`` does (it is built from it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from litestar.di import NamedDependency
from sqlalchemy.ext.asyncio import AsyncSession

from infrashare.core.clock import Now
from infrashare.core.db import DbSession
from infrashare.core.principal import CurrentPrincipal, Principal
from infrashare.core.settings import AppSettings, Settings


@dataclass(frozen=True)
class Caller:
    db: AsyncSession
    principal: Principal
    settings: Settings
    now: datetime
    """From the app's clock (``core.clock``)."""


async def provide_caller(
    db_session: DbSession, principal: CurrentPrincipal, settings: AppSettings, now: Now
) -> Caller:
    return Caller(db_session, principal, settings, now)


CurrentCaller = NamedDependency[Caller]
"""Injected by name as ``caller``."""
