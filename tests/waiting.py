"""Waiting on a condition: poll until it holds. The ceiling only catches a condition that never
will; it is far above what any wait here needs on a loaded two-CPU machine, so a slow machine
makes a test slower, not red."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")

CEILING_SECONDS = 120.0


async def eventually(
    probe: Callable[[], Awaitable[T]],
    holds: Callable[[T], bool],
    what: str,
    interval: float = 0.1,
    ceiling: float = CEILING_SECONDS,
) -> T:
    """Calls ``probe`` until ``holds(result)``; returns that result."""
    deadline = time.monotonic() + ceiling
    while True:
        result = await probe()
        if holds(result):
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: still not the case after {ceiling:.0f} s; last seen: {result!r}")
        await asyncio.sleep(interval)


def eventually_sync(
    probe: Callable[[], T], holds: Callable[[T], bool], what: str, pause: Callable[[], None]
) -> T:
    """The same for synchronous code (browser tests): ``pause`` waits between two probes."""
    deadline = time.monotonic() + CEILING_SECONDS
    while True:
        result = probe()
        if holds(result):
            return result
        if time.monotonic() > deadline:
            raise AssertionError(
                f"{what}: still not the case after {CEILING_SECONDS:.0f} s; last seen: {result!r}"
            )
        pause()
