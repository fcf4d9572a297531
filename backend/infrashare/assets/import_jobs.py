"""Running queued asset imports in any worker process, on the one consumer (``core/consumer.py``).

An import is a job row (with its file) and an outbox message on ``asset.import``. A worker
claims the message with a lease and runs the job in two phases:

1. **check** every row, slice by slice in the checker processes, writing the job's progress
   and renewing the lease after each slice in short transactions (so every replica reads the
   progress, and another process takes the job if this one dies);
2. **write** all rows in one transaction that also marks the message done — only if this
   worker still holds it (a later claim means its lease was lost). A process killed while
   writing leaves nothing: the database rolls its transaction back.

A job whose process died is due again once its lease runs out and is run from the start by
whichever worker polls first; after ``MAX_ATTEMPTS`` claims it is failed, nothing written. A
worker that stops gracefully hands the job back at once (``queued``). During the write,
PostgreSQL keeps renewing the lease from another connection; SQLite cannot (its one write lock
is the import's), but no other process can claim the job while that lock is held either.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import uuid
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, ClassVar

import structlog
from sqlalchemy import text, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import undefer

from infrashare.assets.import_rows import RowCheckers, parse_upload
from infrashare.assets.imports import (
    IMPORT_TOPIC,
    Progress,
    check_records,
    region_codes,
    reject,
    write_records,
)
from infrashare.assets.models import AssetImportJob, ImportStatus
from infrashare.assets.service import region_points
from infrashare.core.clock import utc_now
from infrashare.core.consumer import Consumer, Message
from infrashare.core.errors import DomainError, FieldError
from infrashare.core.outbox import OutboxMessage
from infrashare.core.principal import Actor

logger = structlog.get_logger("infrashare.assets.import_jobs")
MAX_ATTEMPTS = 2  # one more try after a process died under the job, then it is failed
ANALYZE_AFTER_ROWS = 10_000
PROGRESS_SECONDS = 1.0  # how often a running job's progress is written (and its lease renewed)
WORKER = f"{socket.gethostname()}:{os.getpid()}"
GAVE_UP = "The import stopped {attempts} time(s) with the process running it; nothing was written. ({error})"


class LeaseLost(Exception):
    """Another worker claimed the job meanwhile (this one stalled past its lease)."""


def _actor(message: Message) -> Actor:
    data = message.payload or {}
    user, organisation = data.get("user_id"), data.get("organisation_id")
    return Actor(
        uuid.UUID(user) if user else None,
        uuid.UUID(organisation) if organisation else None,
        data.get("client_id"),
    )


@dataclass
class ImportRunner(Consumer):
    checkers: RowCheckers = field(default_factory=RowCheckers)
    topics: tuple[str, ...] = field(default=(IMPORT_TOPIC,), kw_only=True)
    batch_size: int = field(default=1, kw_only=True)
    lease: timedelta = field(default=timedelta(seconds=60), kw_only=True)
    max_attempts: int | None = field(default=MAX_ATTEMPTS, kw_only=True)
    name: ClassVar[str] = "asset-imports"

    async def handle(self, messages: list[Message]) -> dict[int, str]:
        for message in messages:
            await self._run(message)
        return {}

    async def _run(self, message: Message) -> None:
        job_id = uuid.UUID(message.key)
        async with self.database.reader() as session:
            job = await session.get(AssetImportJob, job_id, options=[undefer(AssetImportJob.upload)])
        if job is None or job.finished_at is not None:
            return
        if job.upload is None:
            await self._reject_file(job_id, message, "The file of this import was not kept; upload it again.")
            return
        progress = Progress(ImportStatus.VALIDATING, rows_total=job.rows_total)
        keeper = Keeper(self, message, job_id, progress)
        await keeper.save()
        async with keeper.running():
            try:
                records = await asyncio.to_thread(parse_upload, job.upload, job.format)
            except DomainError as exc:  # the request parsed it once: only a changed parser gets here
                await self._reject_file(job_id, message, str(exc))
                return
            async with self.database.reader() as session:
                regions = await region_points(session, region_codes(records))
            values, errors = await check_records(
                records, job.format == "geojson", regions, progress, self.checkers, self.stop
            )
            if not errors:
                progress.status = ImportStatus.WRITING
                await keeper.save()
            keeper.writing = True
            await self._settle_job(job_id, message, _actor(message), values, errors, progress)
        await self._refresh_statistics(progress.rows_written)

    async def _settle_job(
        self,
        job_id: uuid.UUID,
        message: Message,
        actor: Actor,
        values: list[dict[str, Any]],
        errors: list[FieldError],
        progress: Progress,
    ) -> None:
        """Writes the rows (or the report), and marks the message done, in one transaction."""
        async with self.database.writer() as session:
            job = await session.get(AssetImportJob, job_id)
            if job is None or job.finished_at is not None:
                return
            if errors:
                reject(job, errors)
            else:
                await write_records(session, job, actor, values, progress)
            await self._still_mine(session, message)
            await session.commit()

    async def _still_mine(self, session: AsyncSession, message: Message) -> None:
        done = await session.execute(
            update(OutboxMessage)
            .where(self._still_held([message]))
            .values(done_at=utc_now())
            .execution_options(synchronize_session=False)
        )
        if done.rowcount != 1:  # type: ignore[attr-defined]
            await session.rollback()
            raise LeaseLost(f"import {message.key} was claimed by another worker")

    async def _reject_file(self, job_id: uuid.UUID, message: Message, detail: str) -> None:
        async with self.database.writer() as session:
            job = await session.get(AssetImportJob, job_id)
            if job is not None and job.finished_at is None:
                job.status, job.detail, job.finished_at = ImportStatus.FAILED, detail[:2000], utc_now()
                job.upload = None
                await self._still_mine(session, message)
                await session.commit()

    async def gave_up(self, session: AsyncSession, message: Message, error: str) -> None:
        job = await session.get(AssetImportJob, uuid.UUID(message.key))
        if job is not None and job.finished_at is None:
            job.status, job.finished_at = ImportStatus.FAILED, utc_now()
            job.detail = GAVE_UP.format(attempts=message.attempts, error=error)[:2000]
            job.rows_written, job.upload, job.claimed_by, job.lease_until = 0, None, None, None

    async def release(self, messages: Sequence[Message]) -> None:
        await super().release(messages)
        with contextlib.suppress(Exception):
            async with self.database.writer() as session:
                await session.execute(
                    update(AssetImportJob)
                    .where(
                        AssetImportJob.id.in_([uuid.UUID(m.key) for m in messages]),
                        AssetImportJob.finished_at.is_(None),
                    )
                    .values(status=ImportStatus.QUEUED, claimed_by=None, lease_until=None, rows_written=0)
                )
                await session.commit()

    async def close(self) -> None:
        await asyncio.to_thread(self.checkers.discard)

    async def _refresh_statistics(self, rows_written: int) -> None:
        """After a large import PostgreSQL's planner still sees the table as it was until
        autovacuum gets to it; an immediate re-import or filtered list would be planned for a
        small table."""
        if self.database.is_sqlite or rows_written < ANALYZE_AFTER_ROWS:
            return
        try:
            async with self.database.writer() as db:
                await db.execute(text("ANALYZE assets, events, outbox"))
                await db.commit()
        except SQLAlchemyError:  # statistics are an optimisation; autovacuum will get there
            logger.warning("could not refresh planner statistics after an import", exc_info=True)


@dataclass
class Keeper:
    """Writes a running job's progress and renews its lease, every second (at most a third of the lease)."""

    runner: ImportRunner
    message: Message
    job_id: uuid.UUID
    progress: Progress
    writing: bool = False  # on SQLite the import then holds the one write lock

    async def save(self) -> None:
        lease_until = utc_now() + self.runner.lease
        # The job first, then the message: the order the import's own transaction takes them in.
        async with self.runner.database.writer() as session:
            await session.execute(
                update(AssetImportJob)
                .where(AssetImportJob.id == self.job_id, AssetImportJob.finished_at.is_(None))
                .values(
                    status=self.progress.status,
                    rows_validated=self.progress.rows_validated,
                    rows_written=self.progress.rows_written,
                    attempts=self.message.attempts,
                    claimed_by=WORKER,
                    lease_until=lease_until,
                )
            )
            await session.execute(
                update(OutboxMessage)
                .where(self.runner._still_held([self.message]))
                .values(available_at=lease_until)
            )
            await session.commit()

    async def _keep(self) -> None:
        while True:
            await asyncio.sleep(min(PROGRESS_SECONDS, self.runner.lease.total_seconds() / 3))
            if self.writing and self.runner.database.is_sqlite:
                continue
            try:
                await self.save()
            except SQLAlchemyError:  # a missed beat; the lease has two more
                logger.warning("could not record import progress", job_id=str(self.job_id), exc_info=True)

    @contextlib.asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        task = asyncio.create_task(self._keep())
        try:
            yield
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
