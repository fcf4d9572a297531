"""Fixtures for the asset tests."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.sessions import Client, sign_in


@pytest.fixture
async def as_user(app: Litestar) -> AsyncIterator[Any]:
    """A second client on the same app, signed in again as whoever the test names."""
    async with AsyncTestClient(app, base_url="http://127.0.0.1") as other:

        async def open_as(email: str) -> Client:
            other.cookies.clear()
            await sign_in(other, email)
            return other

        yield open_as
