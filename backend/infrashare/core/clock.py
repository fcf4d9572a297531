"""The one source of "now".

Everything reads the time through here: ``utc_now`` for the wall clock (aware UTC), and handlers
through the ``now`` dependency, which asks the app's clock (``app.state.clock``; tests replace
it to move time forward, and the embedded worker reads the same one). Sign-in sessions and token
expiry stay on the wall clock: a test moving the app's clock by days must not sign everyone out.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from litestar import Request
from litestar.di import NamedDependency

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


def provide_now(request: Request[Any, Any, Any]) -> datetime:
    clock: Clock = request.app.state.clock
    return clock()


Now = NamedDependency[datetime]
"""The request's time from the app's clock, injected by name as ``now``."""
