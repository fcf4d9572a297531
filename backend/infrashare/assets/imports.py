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
import csv
import hashlib
import io
import json
import multiprocessing
import os
import uuid
from collections.abc import AsyncIterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Any

import structlog
from pydantic import ValidationError
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession

from infrashare.accounts.principal import Principal
from infrashare.assets.columns import (
    ATTRIBUTE_COLUMNS,
    EXPORT_ONLY_COLUMNS,
    IMPORT_COLUMNS,
    REQUIRED_COLUMNS,
    column_for_field,
    parse_route,
)
from infrashare.assets.models import AssetImportJob, AssetKind, ImportStatus
from infrashare.assets.schemas import ATTRIBUTE_MODELS, AssetCreate, ImportJobRead
from infrashare.assets.service import (
    RegionPoint,
    check_rules,
    column_values,
    content_of,
    region_points,
    require_writer,
    validation_errors,
)
from infrashare.assets.upsert import AssetUpsert
from infrashare.audit.service import Actor
from infrashare.core.db import Database, utc_now
from infrashare.core.errors import FieldError, InvalidInput, NotFound

MAX_ROWS = 100_000
SYNC_MAX_ROWS = 2_000  # larger uploads run as a background job (202 + progress endpoint)
SLICE = 2_000  # rows per validation task
# Starting the worker processes costs ~1.5 s once per server: worth it from this many rows on.
WORKER_MIN_ROWS = 20_000
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


# --- parsing ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Record:
    """One row of the upload: its row number, its cells by column, and a GeoJSON geometry if any."""

    row: int
    cells: dict[str, Any]
    geometry: Any = None


def _file_error(message: str, column: str = "file", row: int = 0) -> InvalidInput:
    return InvalidInput(message, errors=[FieldError(column, message, row)])


def parse_csv(payload: bytes) -> list[Record]:
    try:
        text = payload.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _file_error(f"The file is not UTF-8 (byte {exc.start}); save it as CSV UTF-8.") from exc
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [name.strip() for name in next(reader, [])]
    _check_header(header)
    records = []
    for number, cells in enumerate(reader, start=2):  # the header is row 1, as a spreadsheet shows it
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            records.append(Record(number, {"__width__": len(cells)}))
            continue
        values = {name: _cell(cell) for name, cell in zip(header, cells, strict=True)}
        records.append(Record(number, {name: value for name, value in values.items() if value}))
        if len(records) > MAX_ROWS:
            raise _file_error(f"At most {MAX_ROWS:,} rows per upload; split the file.")
    return records


def _cell(text: str) -> str:
    """A cell without surrounding blanks and without the apostrophe an export put before =+-@."""
    text = text.strip()
    if text.startswith("'") and text[1:2] in ("=", "+", "-", "@"):
        return text[1:]
    return text


def _check_header(header: list[str]) -> None:
    if not header:
        raise _file_error("The file is empty; start from the template (GET /api/v1/assets/templates/{kind}).")
    known = set(IMPORT_COLUMNS) | EXPORT_ONLY_COLUMNS
    errors = [FieldError(name or "(empty)", "unknown column", 1) for name in header if name not in known]
    errors += [
        FieldError(name, "required column is missing", 1) for name in REQUIRED_COLUMNS if name not in header
    ]
    duplicates = {name for name in header if header.count(name) > 1}
    errors += [FieldError(name, "column appears twice", 1) for name in sorted(duplicates)]
    if errors:
        raise InvalidInput(f"The header row has {len(errors)} problem(s).", errors=errors)


def parse_geojson(payload: bytes) -> list[Record]:
    try:
        document = json.loads(payload.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _file_error(f"Not a UTF-8 JSON document: {exc}") from exc
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        raise _file_error("Expected a GeoJSON FeatureCollection.", "type")
    features = document.get("features")
    if not isinstance(features, list):
        raise _file_error("A FeatureCollection needs a `features` array.", "features")
    if len(features) > MAX_ROWS:
        raise _file_error(f"At most {MAX_ROWS:,} features per upload; split the file.")
    records = []
    for number, feature in enumerate(features, start=1):
        if not isinstance(feature, dict) or not isinstance(feature.get("properties") or {}, dict):
            records.append(Record(number, {"__feature__": True}))
            continue
        cells = {
            key: value for key, value in (feature.get("properties") or {}).items() if value not in (None, "")
        }
        records.append(Record(number, cells, feature.get("geometry")))
    return records


# --- validation ---------------------------------------------------------------------------------


def _split_list(value: Any) -> Any:
    if isinstance(value, str):
        return [part.strip() for part in value.replace("；", ";").split(";") if part.strip()]
    return value


_KINDS = frozenset(kind.value for kind in AssetKind)
_BOOLEANS = {"是": True, "否": False, "有": True, "无": False}


def _body(record: Record, geojson: bool) -> tuple[dict[str, Any], list[FieldError]]:
    """The AssetCreate body a record describes, and the errors found while shaping it."""
    cells, row = record.cells, record.row
    if "__width__" in cells:
        return {}, [
            FieldError("row", f"has {cells['__width__']} cells, the header has a different number", row)
        ]
    if "__feature__" in cells:
        return {}, [FieldError("feature", "is not a GeoJSON Feature with properties", row)]
    errors: list[FieldError] = []
    unknown = [name for name in cells if name not in IMPORT_COLUMNS and name not in EXPORT_ONLY_COLUMNS]
    errors += [FieldError(name, "unknown property", row) for name in unknown]
    kind = cells.get("kind")
    attributes: dict[str, Any] = {}
    model = ATTRIBUTE_MODELS[AssetKind(kind)] if isinstance(kind, str) and kind in _KINDS else None
    own = set(model.model_fields) if model else set()
    for name in ATTRIBUTE_COLUMNS:
        if name in cells:
            if name not in own and own:
                errors.append(FieldError(name, f"is not an attribute of a {kind}", row))
            else:
                attributes[name] = _split_list(cells[name]) if name == "mounting_heights_m" else cells[name]
    guarantee = cells.get("power_guarantee", False)
    body: dict[str, Any] = {
        key: cells[key]
        for key in ("kind", "name", "description", "status", "ready_date", "external_id", "visibility")
        if key in cells
    }
    body |= {
        "region_code": str(cells.get("region_code", "")),
        "address": cells.get("address"),
        "capacity": {
            "total": cells.get("capacity_total"),
            "free": cells.get("capacity_free"),
            "power_kw": cells.get("power_kw"),
            "power_guarantee": _BOOLEANS.get(guarantee, guarantee)
            if isinstance(guarantee, str)
            else guarantee,
        },
        "attributes": attributes,
        "sharing": {
            "terms": cells.get("sharing_terms", ""),
            "indicative_price_cny": cells.get("indicative_price_cny"),
            "lead_time_days": cells.get("lead_time_days"),
        },
    }
    if geojson:
        body["geometry"] = record.geometry
    elif cells.get("route"):
        try:
            body["geometry"] = {"type": "LineString", "coordinates": parse_route(str(cells["route"]))}
        except ValueError as exc:
            errors.append(FieldError("route", str(exc), row))
    elif "lon" in cells or "lat" in cells:
        body["geometry"] = {"type": "Point", "coordinates": [cells.get("lon"), cells.get("lat")]}
    else:
        errors.append(FieldError("lon", "give lon and lat (a site) or route (a line)", row))
    if not cells.get("external_id"):
        errors.append(FieldError("external_id", "required for an import (rows are matched by it)", row))
    return body, errors


@dataclass
class CheckedRows:
    """A slice of the upload after validation: the column values of its good rows, the errors of
    the others."""

    rows: int
    values: list[dict[str, Any]]
    errors: list[FieldError]


def check_rows(records: list[Record], geojson: bool, regions: dict[str, RegionPoint]) -> CheckedRows:
    """Validates rows without touching the database, so large uploads check their slices in
    worker processes while this one writes."""
    values: list[dict[str, Any]] = []
    errors: list[FieldError] = []
    for record in records:
        try:
            row_errors = _validate_one(record, geojson, regions, values)
        except Exception as exc:  # a row we failed to foresee must still not fail the upload with a 500
            logger.exception("unexpected error validating an import row", row=record.row)
            row_errors = [FieldError("row", f"could not be read ({type(exc).__name__})", record.row)]
        errors += [_as_column(error, record, geojson) for error in row_errors]
    return CheckedRows(len(records), values, errors)


def _validate_one(
    record: Record, geojson: bool, regions: dict[str, RegionPoint], values: list[dict[str, Any]]
) -> list[FieldError]:
    body, errors = _body(record, geojson)
    if not body or errors:
        return errors
    try:
        data = AssetCreate.model_validate(body)
    except ValidationError as exc:
        return validation_errors(exc, record.row)
    errors = check_rules(data, regions, record.row)
    if not errors:
        values.append(column_values(content_of(data)))
    return errors


def _as_column(error: FieldError, record: Record, geojson: bool) -> FieldError:
    geometry_column = "geometry" if geojson else "route" if record.cells.get("route") else "lon"
    return FieldError(column_for_field(error.field, geometry_column), error.message, error.row)


def repeated_external_ids(records: list[Record]) -> list[FieldError]:
    seen: dict[str, int] = {}
    errors = []
    for record in records:
        external_id = str(record.cells.get("external_id", ""))
        if external_id and external_id in seen:
            errors.append(FieldError("external_id", f"repeats row {seen[external_id]}", record.row))
        seen.setdefault(external_id, record.row)
    return errors


@dataclass
class RowCheckers:
    """Worker processes that validate slices of large uploads (validation is pure Python and
    CPU-bound; this process meanwhile writes the slices already checked). ``workers`` 0 checks
    in this process; None picks one fewer than the CPUs, at most 4."""

    workers: int | None = None
    _pool: ProcessPoolExecutor | None = None

    def pool(self) -> ProcessPoolExecutor | None:
        count = self.workers if self.workers is not None else min(4, (os.cpu_count() or 1) - 1)
        if self._pool is None and count > 0:
            # spawn, not fork: the server has threads (database drivers) a fork would copy mid-lock.
            self._pool = ProcessPoolExecutor(count, mp_context=multiprocessing.get_context("spawn"))
        return self._pool

    def discard(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None


@dataclass
class Registry:
    """Jobs running in this process: their tasks (kept referenced) and live progress."""

    tasks: set[asyncio.Task[None]] = field(default_factory=set)
    progress: dict[uuid.UUID, Progress] = field(default_factory=dict)
    checkers: RowCheckers = field(default_factory=RowCheckers)


REGISTRY = Registry()


def live_progress(job_id: uuid.UUID) -> Progress | None:
    return REGISTRY.progress.get(job_id)


async def checked_slices(
    records: list[Record], geojson: bool, regions: dict[str, RegionPoint], checkers: RowCheckers | None
) -> AsyncIterator[CheckedRows]:
    """The upload's slices checked, in order; in worker processes when ``checkers`` has any."""
    slices = [records[start : start + SLICE] for start in range(0, len(records), SLICE)]
    pool = checkers.pool() if checkers and len(records) >= WORKER_MIN_ROWS else None
    if pool is None:
        for rows in slices:
            yield check_rows(rows, geojson, regions)
            await asyncio.sleep(0)  # let other requests (progress polls) run
        return
    loop = asyncio.get_running_loop()
    futures = [loop.run_in_executor(pool, check_rows, rows, geojson, regions) for rows in slices]
    try:
        for rows, future in zip(slices, futures, strict=True):
            try:
                yield await future
            except BrokenProcessPool:  # a worker died (killed, out of memory): check here instead
                logger.warning("import row checker died; checking in the server process")
                if checkers:
                    checkers.discard()
                yield check_rows(rows, geojson, regions)
    finally:
        for future in futures:
            future.cancel()


# --- jobs ---------------------------------------------------------------------------------------


def parse_upload(payload: bytes, fmt: str) -> list[Record]:
    if fmt == "csv":
        return parse_csv(payload)
    if fmt == "geojson":
        return parse_geojson(payload)
    raise _file_error("Upload text/csv or application/geo+json (or say ?format=csv|geojson).", "format")


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
        raise _file_error("The upload has no rows.", "file")
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
