"""Bulk import of assets from CSV or a GeoJSON FeatureCollection, up to 100,000 rows.

Every row is validated first; if any row fails, nothing is written and the job carries the
full report (row, column, message). Otherwise rows are upserted by ``external_id`` in one
transaction (``upsert.py``), each created or changed asset with its own event, so
``GET /assets/{id}/history`` is complete.

Small uploads run inside the request. Large ones are durable jobs: the row keeps the file, an
outbox message announces it, and any worker process (``infrashare worker`` or the one inside
``serve``) claims and runs it (``import_jobs.py``), recording its progress on the row, so
every replica reads the same state. A job whose process died is taken up again or failed,
never left queued; either way its rows are written in one transaction, all or none.
"""

from __future__ import annotations

import asyncio
import hashlib
import uuid
from dataclasses import dataclass
from typing import Any

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from infrashare.assets.import_rows import (
    SLICE,
    Record,
    RowCheckers,
    checked_slices,
    file_error,
    parse_upload,
    repeated_external_ids,
)
from infrashare.assets.models import AssetImportJob, ImportStatus
from infrashare.assets.service import RegionPoint, region_points, require_writer
from infrashare.assets.upsert import AssetUpsert
from infrashare.core.clock import utc_now
from infrashare.core.errors import FieldError, InvalidInput, NotFound
from infrashare.core.outbox import enqueue
from infrashare.core.principal import Actor, Principal

SYNC_MAX_ROWS = 2_000  # larger uploads run as a background job (202 + progress endpoint)
IMPORT_TOPIC = "asset.import"
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


class Interrupted(Exception):
    """The worker is stopping: the job is handed back, nothing written."""


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
        attempts=0,
    )


async def check_records(
    records: list[Record],
    geojson: bool,
    regions: dict[str, RegionPoint],
    progress: Progress,
    checkers: RowCheckers | None = None,
    stop: asyncio.Event | None = None,
) -> tuple[list[dict[str, Any]], list[FieldError]]:
    """Every record checked (the full report, however many fail): the column values of the
    good rows, and the errors of the others."""
    progress.status, progress.rows_total = ImportStatus.VALIDATING, len(records)
    values: list[dict[str, Any]] = []
    errors = repeated_external_ids(records)
    async for checked in checked_slices(records, geojson, regions, checkers):
        if stop is not None and stop.is_set():
            raise Interrupted
        values += checked.values
        errors += checked.errors
        progress.rows_validated += checked.rows
    return values, sorted(errors, key=lambda error: error.row or 0)


async def write_records(
    db: AsyncSession, job: AssetImportJob, actor: Actor, values: list[dict[str, Any]], progress: Progress
) -> None:
    """Upserts checked rows in ``db``'s transaction and records the outcome on ``job``."""
    progress.status = ImportStatus.WRITING
    upsert = AssetUpsert(db, actor, job.organisation_id, f"bulk import {job.id}")
    for start in range(0, len(values), SLICE):
        await upsert.write(values[start : start + SLICE])
        progress.rows_written = upsert.outcome.rows
    outcome = await upsert.finish()
    job.rows_validated = job.rows_total
    job.status, job.finished_at = ImportStatus.SUCCEEDED, utc_now()
    job.rows_written = outcome.created + outcome.updated
    job.created_count, job.updated_count, job.unchanged_count = (
        outcome.created,
        outcome.updated,
        outcome.unchanged,
    )
    job.detail = f"{outcome.created} created, {outcome.updated} updated, {outcome.unchanged} unchanged."
    job.upload, job.claimed_by, job.lease_until = None, None, None
    await db.flush()


async def run_import(db: AsyncSession, job: AssetImportJob, actor: Actor, records: list[Record]) -> None:
    """A small upload, in the request's unit of work: all rows checked, then all written, or
    none and the report on ``job``."""
    progress = Progress()
    regions = await region_points(db, region_codes(records))
    values, errors = await check_records(records, job.format == "geojson", regions, progress)
    if errors:
        reject(job, errors)
        return
    await write_records(db, job, actor, values, progress)


def region_codes(records: list[Record]) -> set[str]:
    return {str(record.cells.get("region_code", "")) for record in records}


def reject(job: AssetImportJob, errors: list[FieldError]) -> None:
    job.rows_validated = job.rows_total
    job.status, job.error_count, job.finished_at = ImportStatus.FAILED, len(errors), utc_now()
    job.errors = {"items": [_error_item(error) for error in errors]}
    job.detail = f"{len(errors)} problem(s) found; nothing was written."
    job.upload, job.claimed_by, job.lease_until = None, None, None


def _error_item(error: FieldError) -> dict[str, Any]:
    return {"row": error.row or 0, "column": error.field, "message": error.message}


def rejected(job: AssetImportJob) -> ImportRejected:
    items = (job.errors or {}).get("items", [])
    errors = [FieldError(item["column"], item["message"], item["row"]) for item in items]
    return ImportRejected(job.detail or "The upload has errors.", errors=errors, job_id=str(job.id))


async def submit_import(
    db: AsyncSession,
    principal: Principal,
    payload: bytes,
    fmt: str,
    filename: str | None,
    background: bool | None,
) -> tuple[AssetImportJob, bool]:
    """Parses the upload and runs it now (small) or queues it as a job; True when queued.

    A queued job keeps the file in its row and leaves an outbox message in the same unit of
    work: whichever worker process claims it runs it (``import_jobs.py``)."""
    require_writer(principal)
    records = parse_upload(payload, fmt)
    if not records:
        raise file_error("The upload has no rows.", "file")
    job = new_job(principal, fmt, filename, payload, len(records))
    db.add(job)
    await db.flush()
    if background or (background is None and len(records) > SYNC_MAX_ROWS):
        job.upload = payload
        actor = principal.actor
        enqueue(
            db,
            IMPORT_TOPIC,
            job.id,
            {
                "user_id": str(actor.user_id) if actor.user_id else None,
                "organisation_id": str(actor.organisation_id) if actor.organisation_id else None,
                "client_id": actor.client_id,
            },
        )
        return job, True
    await run_import(db, job, principal.actor, records)
    if job.status == ImportStatus.FAILED:
        raise rejected(job)
    return job, False


async def get_job(db: AsyncSession, principal: Principal, job_id: uuid.UUID) -> AssetImportJob:
    job = await db.get(AssetImportJob, job_id)
    if job is None or job.organisation_id != principal.organisation_id:
        raise NotFound(f"Import job {job_id} does not exist.")
    return job
