"""Bulk import of assets from CSV or a GeoJSON FeatureCollection, up to 100,000 rows.

Every row is validated first; if any row fails, nothing is written and the job carries the
full report (row, column, message). Otherwise rows are upserted by ``external_id`` in one
transaction (``upsert.py``), each created or changed asset with its own event, so
``GET /assets/{id}/history`` is complete.

Small uploads run inside the request. Large ones run as a job in an asyncio task on the
server, so a client that disconnects does not stop them; the job row records the outcome
and ``live_progress`` the rows validated and written while it runs.
"""

from __future__ import annotations

import asyncio
import hashlib
import uuid
from dataclasses import dataclass, field
from typing import Any

import structlog
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession

from infrashare.accounts.principal import Principal
from infrashare.assets.import_rows import (
    Record,
    RowCheckers,
    checked_slices,
    file_error,
    parse_upload,
    repeated_external_ids,
)
from infrashare.assets.models import AssetImportJob, ImportStatus
from infrashare.assets.schemas import ImportJobRead
from infrashare.assets.service import region_points, require_writer
from infrashare.assets.upsert import AssetUpsert
from infrashare.audit.service import Actor
from infrashare.core.db import Database, utc_now
from infrashare.core.errors import FieldError, InvalidInput, NotFound

SYNC_MAX_ROWS = 2_000  # larger uploads run as a background job (202 + progress endpoint)
ANALYZE_AFTER_ROWS = 10_000
logger = structlog.get_logger("infrashare.assets.imports")


class ImportRejected(InvalidInput):
    """The upload failed validation: nothing was written, but the job row records the report."""

    keeps_changes = True


@dataclass
class Progress:
    status: ImportStatus = ImportStatus.QUEUED
    rows_total: int = 0
    rows_validated: int = 0
    rows_written: int = 0


@dataclass
class Registry:
    """Jobs running in this process: their tasks (kept referenced) and live progress."""

    tasks: set[asyncio.Task[None]] = field(default_factory=set)
    progress: dict[uuid.UUID, Progress] = field(default_factory=dict)
    checkers: RowCheckers = field(default_factory=RowCheckers)


REGISTRY = Registry()


def live_progress(job_id: uuid.UUID) -> Progress | None:
    return REGISTRY.progress.get(job_id)


def new_job(
    principal: Principal, fmt: str, filename: str | None, payload: bytes, rows: int
) -> AssetImportJob:
    return AssetImportJob(
        id=uuid.uuid4(),
        organisation_id=principal.organisation_id,
        user_id=principal.user_id,
        format=fmt,
        filename=filename,
        content_digest=hashlib.sha256(payload).hexdigest(),
        status=ImportStatus.QUEUED,
        rows_total=rows,
    )


async def run_import(
    db: AsyncSession,
    job: AssetImportJob,
    actor: Actor,
    records: list[Record],
    progress: Progress,
    checkers: RowCheckers | None = None,
) -> None:
    """Validates every record and writes all or nothing; the outcome is recorded on ``job``.

    Checked slices are written as they come, inside a savepoint: the first error stops the
    writing, the remaining rows are still checked for the full report, and the savepoint is
    rolled back. Only the job row survives a rejected upload.
    """
    progress.status, progress.rows_total = ImportStatus.VALIDATING, len(records)
    geojson = job.format == "geojson"
    regions = await region_points(db, {str(r.cells.get("region_code", "")) for r in records})
    repeats = repeated_external_ids(records)
    errors: list[FieldError] = []
    upsert = AssetUpsert(db, actor, job.organisation_id, f"bulk import {job.id}")
    savepoint = await db.begin_nested()
    async for checked in checked_slices(records, geojson, regions, checkers):
        errors += checked.errors
        progress.rows_validated += checked.rows
        if not errors and not repeats:
            await upsert.write(checked.values)
            progress.rows_written = upsert.outcome.rows
    if errors or repeats:
        await savepoint.rollback()
        _reject(job, sorted([*errors, *repeats], key=lambda error: error.row or 0))
        return
    progress.status = ImportStatus.WRITING
    outcome = await upsert.finish()
    await savepoint.commit()
    job.rows_validated = len(records)
    job.status, job.finished_at = ImportStatus.SUCCEEDED, utc_now()
    job.rows_written = outcome.created + outcome.updated
    job.created_count, job.updated_count, job.unchanged_count = (
        outcome.created,
        outcome.updated,
        outcome.unchanged,
    )
    job.detail = f"{outcome.created} created, {outcome.updated} updated, {outcome.unchanged} unchanged."
    await db.flush()


def _reject(job: AssetImportJob, errors: list[FieldError]) -> None:
    job.rows_validated = job.rows_total
    job.status, job.error_count, job.finished_at = ImportStatus.FAILED, len(errors), utc_now()
    job.errors = {"items": [_error_item(error) for error in errors]}
    job.detail = f"{len(errors)} problem(s) found; nothing was written."


def _error_item(error: FieldError) -> dict[str, Any]:
    return {"row": error.row or 0, "column": error.field, "message": error.message}


def rejected(job: AssetImportJob) -> ImportRejected:
    items = (job.errors or {}).get("items", [])
    errors = [FieldError(item["column"], item["message"], item["row"]) for item in items]
    return ImportRejected(job.detail or "The upload has errors.", errors=errors, job_id=str(job.id))


def start_background(database: Database, job_id: uuid.UUID, actor: Actor, records: list[Record]) -> None:
    """Runs the job in a task of this server process; it outlives the request that started it."""
    progress = REGISTRY.progress.setdefault(job_id, Progress(rows_total=len(records)))
    task = asyncio.create_task(_run_job(database, job_id, actor, records, progress))
    REGISTRY.tasks.add(task)
    task.add_done_callback(REGISTRY.tasks.discard)


async def _run_job(
    database: Database, job_id: uuid.UUID, actor: Actor, records: list[Record], progress: Progress
) -> None:
    try:
        async with database.writer() as db:  # waits until the request that queued the job commits
            job = await _wait_for_job(db, job_id)
            await run_import(db, job, actor, records, progress, REGISTRY.checkers)
            await db.commit()
        await _refresh_statistics(database, job.rows_written or 0)
    except Exception as exc:
        logger.exception("asset import failed", job_id=str(job_id))
        await _mark_failed(
            database, job_id, f"The import failed and wrote nothing: {type(exc).__name__}: {exc}"
        )
        progress.status = ImportStatus.FAILED
    finally:
        REGISTRY.progress.pop(job_id, None)  # the job row now holds the outcome


async def _refresh_statistics(database: Database, rows_written: int) -> None:
    """After a large import PostgreSQL's planner still sees the table as it was until autovacuum
    gets to it; an immediate re-import or filtered list would be planned for a small table."""
    if database.is_sqlite or rows_written < ANALYZE_AFTER_ROWS:
        return
    try:
        async with database.writer() as db:
            await db.execute(text("ANALYZE assets, events, outbox"))
            await db.commit()
    except SQLAlchemyError:  # statistics are an optimisation; autovacuum will get there
        logger.warning("could not refresh planner statistics after an import", exc_info=True)


async def _wait_for_job(db: AsyncSession, job_id: uuid.UUID) -> AssetImportJob:
    for _ in range(600):
        job = await db.get(AssetImportJob, job_id)
        if job is not None:
            return job
        await db.rollback()
        await asyncio.sleep(0.1)
    raise RuntimeError("the job row never appeared")


async def _mark_failed(database: Database, job_id: uuid.UUID, detail: str) -> None:
    async with database.writer() as db:
        job = await db.get(AssetImportJob, job_id)
        if job is not None:
            job.status, job.detail, job.finished_at = ImportStatus.FAILED, detail[:2000], utc_now()
            await db.commit()


async def submit_import(
    db: AsyncSession,
    database: Database,
    principal: Principal,
    payload: bytes,
    fmt: str,
    filename: str | None,
    background: bool | None,
) -> tuple[AssetImportJob, bool]:
    """Parses the upload and runs it now (small) or as a background job; True when queued."""
    require_writer(principal)
    records = parse_upload(payload, fmt)
    if not records:
        raise file_error("The upload has no rows.", "file")
    job = new_job(principal, fmt, filename, payload, len(records))
    db.add(job)
    await db.flush()
    if background or (background is None and len(records) > SYNC_MAX_ROWS):
        start_background(database, job.id, principal.actor, records)
        return job, True
    await run_import(db, job, principal.actor, records, Progress())
    if job.status == ImportStatus.FAILED:
        raise rejected(job)
    return job, False


async def get_job(db: AsyncSession, principal: Principal, job_id: uuid.UUID) -> AssetImportJob:
    job = await db.get(AssetImportJob, job_id)
    if job is None or job.organisation_id != principal.organisation_id:
        raise NotFound(f"Import job {job_id} does not exist.")
    return job


def job_read(job: AssetImportJob) -> ImportJobRead:
    """The job as stored, overlaid with live counters while it runs in this process."""
    data: dict[str, Any] = {
        name: getattr(job, name) for name in ImportJobRead.model_fields if name != "errors"
    }
    data["errors"] = (job.errors or {}).get("items", [])
    live = live_progress(job.id)
    if live is not None and job.finished_at is None:
        data |= {
            "status": live.status,
            "rows_validated": live.rows_validated,
            "rows_written": live.rows_written,
        }
    return ImportJobRead.model_validate(data)
