"""Units of work: safe requests read statement by statement, without a transaction."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from infrashare.accounts.models import Industry, Organisation
from infrashare.core.db import open_database
from infrashare.core.principal import OrganisationKind


async def test_a_safe_request_sees_each_commit_from_its_next_statement_on(database_url: str) -> None:
    """No transaction, so no snapshot held from the first statement: what commits meanwhile is
    seen by the next one (PostgreSQL's READ COMMITTED; SQLite's BEGIN would have hidden it)."""
    database = open_database(database_url)
    count = text("SELECT count(*) FROM organisations WHERE name = 'Between statements'")
    try:
        async with database.statement_reader() as reading:
            assert await reading.scalar(count) == 0
            async with database.writer() as writer:
                writer.add(
                    Organisation(
                        name="Between statements", industry=Industry.TELECOM, kind=OrganisationKind.OPERATOR
                    )
                )
                await writer.commit()
            assert await reading.scalar(count) == 1
    finally:
        await database.dispose()


async def test_a_safe_request_cannot_write_on_sqlite(database_url: str) -> None:
    database = open_database(database_url)
    if not database.is_sqlite:
        await database.dispose()
        pytest.skip("PostgreSQL has no cheap per-connection guard in autocommit; SQLite runs every test")
    try:
        async with database.statement_reader() as reading:
            with pytest.raises(OperationalError, match="readonly"):
                await reading.execute(text("DELETE FROM outbox"))
    finally:
        await database.dispose()
