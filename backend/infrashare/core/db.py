"""Database plumbing: the declarative base, portable column types and the engines.

SQLite serialises writers; a write transaction that starts deferred can fail with
SQLITE_BUSY when it upgrades its lock, so write units of work begin with
``BEGIN IMMEDIATE`` and wait on the busy timeout instead. PostgreSQL needs no such care.

Safe requests (GET, HEAD) read without a transaction: each statement sees what was committed
when it ran — PostgreSQL's READ COMMITTED, which a transaction there gives them anyway — and
no BEGIN, COMMIT or ROLLBACK round trips (they were half of a search request's statements).
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import AsyncGenerator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

import psycopg
from litestar import Request
from litestar.di import NamedDependency
from sqlalchemy import JSON, DateTime, Engine, Enum, MetaData, Table, create_engine, event, insert
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker
from sqlalchemy.types import TypeDecorator

from infrashare.core.clock import utc_now

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on both databases (SQLite stores them naive)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


JSONDocument = JSON().with_variant(JSONB(), "postgresql")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    # Enums are stored by value in a plain VARCHAR: no native PostgreSQL type to migrate.
    type_annotation_map = {
        datetime: UTCDateTime,
        dict[str, Any]: JSONDocument,
        list[str]: JSONDocument,
        enum.Enum: Enum(
            enum.Enum, native_enum=False, length=32, values_callable=lambda e: [m.value for m in e]
        ),
    }


class UUIDPrimaryKey:
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)


class Timestamps:
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(default=utc_now, onupdate=utc_now)


async def bulk_insert(db: AsyncSession, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """Inserts many rows with the same keys in the session's transaction.

    PostgreSQL gets a COPY: psycopg's executemany costs ~35 µs a row in Python, COPY a fraction
    of it, which is what makes 100,000-row imports fast. Values go through SQLAlchemy's own
    bind processors (enums by value, JSON, UTC datetimes), so the rows equal an INSERT's.
    Python-side column defaults are not applied: give every column that needs one.
    """
    if not rows:
        return
    connection = await db.connection()
    dialect = connection.dialect
    if dialect.name != "postgresql":
        await connection.execute(insert(table), list(rows))
        return
    names = list(rows[0])
    processors = [table.c[name].type.dialect_impl(dialect).bind_processor(dialect) for name in names]
    columns = ", ".join(dialect.identifier_preparer.quote(name) for name in names)
    statement = f"COPY {dialect.identifier_preparer.format_table(table)} ({columns}) FROM STDIN"
    columns_and_processors = list(zip(names, processors, strict=True))
    driver = cast(psycopg.AsyncConnection[Any], (await connection.get_raw_connection()).driver_connection)
    async with driver.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            await copy.write_row(
                [
                    row[name] if process is None else process(row[name])
                    for name, process in columns_and_processors
                ]
            )


def sync_url(url: str) -> str:
    """The synchronous driver URL for the same database (Alembic, Authlib)."""
    parsed = make_url(url)
    driver = {"sqlite+aiosqlite": "sqlite", "postgresql+asyncpg": "postgresql+psycopg"}.get(
        parsed.drivername, parsed.drivername
    )
    return parsed.set(drivername=driver).render_as_string(hide_password=False)


def async_url(url: str) -> str:
    parsed = make_url(url)
    driver = {"sqlite": "sqlite+aiosqlite", "postgresql": "postgresql+psycopg"}.get(
        parsed.drivername, parsed.drivername
    )
    return parsed.set(drivername=driver).render_as_string(hide_password=False)


def _tune_sqlite(engine: Engine, begin: str | None) -> None:
    """``begin``: how a unit of work starts; None for sessions that only read, statement by
    statement (their connections refuse writes)."""

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=60000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        if begin is None:
            cursor.execute("PRAGMA query_only=ON")
        cursor.close()

    if begin is not None:

        @event.listens_for(engine, "begin")
        def on_begin(connection: Any) -> None:
            connection.exec_driver_sql(begin)


@dataclass
class Database:
    """Engines and session factories: ``writer`` for units of work that change data."""

    url: str
    engines: list[AsyncEngine]  # each pool once
    writer_engine: AsyncEngine
    reader: async_sessionmaker[AsyncSession]
    writer: async_sessionmaker[AsyncSession]
    statement_reader: async_sessionmaker[AsyncSession]
    """For safe requests: no transaction, each statement reads what is committed (see above)."""
    sync_engine: Engine
    sync_writer: sessionmaker[Session]
    """For synchronous libraries (Authlib's server core) running in worker threads."""

    @property
    def is_sqlite(self) -> bool:
        return self.url.startswith("sqlite")

    async def dispose(self) -> None:
        for engine in self.engines:
            await engine.dispose()
        self.sync_engine.dispose()


def open_database(url: str) -> Database:
    url = async_url(url)
    if url.startswith("sqlite"):
        reader = create_async_engine(url)
        writer = create_async_engine(url)
        # Its connections are always in autocommit: a ROLLBACK would be a no-op round trip.
        statements = create_async_engine(url, skip_autocommit_rollback=True)
        sync_engine = create_engine(sync_url(url))
        _tune_sqlite(reader.sync_engine, "BEGIN")
        _tune_sqlite(writer.sync_engine, "BEGIN IMMEDIATE")
        _tune_sqlite(statements.sync_engine, None)
        _tune_sqlite(sync_engine, "BEGIN IMMEDIATE")
        engines = [reader, writer, statements]
    else:
        # Connections lent to safe requests are in autocommit: no ROLLBACK when they come back.
        reader = writer = create_async_engine(
            url, pool_size=10, max_overflow=20, pool_pre_ping=True, skip_autocommit_rollback=True
        )
        statements = reader.execution_options(isolation_level="AUTOCOMMIT")  # the same pool
        sync_engine = create_engine(sync_url(url), pool_size=5, max_overflow=10, pool_pre_ping=True)
        engines = [reader]
    return Database(
        url=url,
        engines=engines,
        writer_engine=writer,
        reader=async_sessionmaker(reader, expire_on_commit=False),
        writer=async_sessionmaker(writer, expire_on_commit=False),
        statement_reader=async_sessionmaker(statements, expire_on_commit=False),
        sync_engine=sync_engine,
        sync_writer=sessionmaker(sync_engine, expire_on_commit=False),
    )


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


async def provide_db_session(request: Request[Any, Any, Any]) -> AsyncGenerator[AsyncSession, None]:
    """One unit of work per request: commit once on success, roll back on any error. Safe
    requests only read, statement by statement (``statement_reader``).

    Litestar runs the code after ``yield`` before it sends the response, so a failed
    commit still reaches the client as an error.
    """
    database: Database = request.app.state.db
    if request.method in SAFE_METHODS:
        async with database.statement_reader() as session:
            yield session  # nothing to commit or roll back
        return
    async with database.writer() as session:
        try:
            yield session
        except Exception as exc:
            if getattr(exc, "keeps_changes", False):
                await session.commit()
            else:
                await session.rollback()
            raise
        await session.commit()


DbSession = NamedDependency[AsyncSession]
"""The request's unit of work, injected by name as ``db_session``."""
