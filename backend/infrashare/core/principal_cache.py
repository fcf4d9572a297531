"""Who is behind a session cookie or bearer token, remembered for a moment.

A web UI page or a partner's batch sends many requests in a row; each looked up its session or
token in the database before doing anything else (on PostgreSQL a connection checkout and a
four-table join: ~2.5 ms of a ~15 ms search). Safe requests (GET, HEAD, OPTIONS) reuse a lookup
while all of these hold; writes always ask the database.

- it is younger than ``seconds`` (``INFRASHARE_PRINCIPAL_CACHE_SECONDS``): the longest a
  sign-out, revocation or deactivation made through *another* process takes to reach this one;
- no unsafe request (POST, PUT, PATCH, DELETE) has been answered by this process since the
  lookup started: whatever a write here changed (sign-out, a role, a revoked token) counts for
  the very next request;
- the session or token has not expired.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime

from litestar.types import Message, Scope

from infrashare.core.authentication import token_digest
from infrashare.core.db import SAFE_METHODS
from infrashare.core.principal import Principal

MAX_ENTRIES = 10_000


@dataclass(frozen=True)
class _Remembered:
    principal: Principal
    writes_seen: int
    until: float  # time.monotonic()


@dataclass
class PrincipalCache:
    seconds: float
    writes_answered: int = 0
    """Unsafe requests this process has started to answer; a lookup older than the last one
    is not reused."""
    _entries: dict[str, _Remembered] = field(default_factory=dict)

    async def principal(
        self,
        credential: str,
        look_up: Callable[[], Awaitable[Principal | None]],
        now: datetime,
        reuse: bool,
    ) -> Principal | None:
        """The principal behind ``credential`` (``"cookie <secret>"``, ``"bearer <secret>"``),
        looked up unless ``reuse`` allows a fresh lookup remembered. Failures are not remembered."""
        if not reuse:
            return await look_up()
        key = token_digest(credential)
        remembered = self._entries.get(key)
        if remembered is not None and self._fresh(remembered, now):
            return remembered.principal
        writes_seen = self.writes_answered  # before the lookup: a write during it makes it stale
        principal = await look_up()
        if principal is not None and self.seconds > 0:
            if len(self._entries) >= MAX_ENTRIES:
                self._entries.clear()  # a flood of distinct credentials: start over, stay small
            self._entries[key] = _Remembered(principal, writes_seen, time.monotonic() + self.seconds)
        return principal

    def _fresh(self, remembered: _Remembered, now: datetime) -> bool:
        expires_at = remembered.principal.expires_at
        return (
            remembered.writes_seen == self.writes_answered
            and remembered.until > time.monotonic()
            and (expires_at is None or expires_at > now)
        )

    def note_write(self) -> None:
        self.writes_answered += 1
        self._entries.clear()


async def forget_principals_after_writes(message: Message, scope: Scope) -> None:
    """``before_send`` hook: an unsafe request's unit of work has committed (or rolled back)
    before its response starts, so from then on no earlier lookup is reused."""
    if message["type"] == "http.response.start" and scope.get("method") not in SAFE_METHODS:
        cache: PrincipalCache = scope["app"].state.principals
        cache.note_write()
