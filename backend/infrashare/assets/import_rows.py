"""Reading an upload's rows (CSV or a GeoJSON FeatureCollection) and checking them.

Checking needs no database: the regions a slice refers to are passed in, so large uploads are
checked slice by slice in worker processes (``RowCheckers``), with the job's progress recorded
after each slice.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
import multiprocessing
import os
import threading
import time
from collections.abc import AsyncIterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any

import structlog
from pydantic import ValidationError

from infrashare.assets.columns import (
    ATTRIBUTE_COLUMNS,
    EXPORT_ONLY_COLUMNS,
    IMPORT_COLUMNS,
    REQUIRED_COLUMNS,
    column_for_field,
)
from infrashare.assets.models import AssetKind
from infrashare.assets.schemas import ATTRIBUTE_MODELS, AssetCreate
from infrashare.assets.service import RegionPoint, check_rules, column_values, content_of, validation_errors
from infrashare.core.errors import FieldError, InvalidInput
from infrashare.core.geo import split_route_text

MAX_ROWS = 100_000
SLICE = 2_000  # rows per validation task
# Starting the worker processes costs ~1.5 s once per server: worth it from this many rows on.
WORKER_MIN_ROWS = 20_000
logger = structlog.get_logger("infrashare.assets.import_rows")


# --- parsing ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Record:
    """One row of the upload: its row number, its cells by column, and a GeoJSON geometry if any."""

    row: int
    cells: dict[str, Any]
    geometry: Any = None


def file_error(message: str, column: str = "file", row: int = 0) -> InvalidInput:
    return InvalidInput(message, errors=[FieldError(column, message, row)])


def parse_csv(payload: bytes) -> list[Record]:
    try:
        text = payload.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise file_error(f"The file is not UTF-8 (byte {exc.start}); save it as CSV UTF-8.") from exc
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
            raise file_error(f"At most {MAX_ROWS:,} rows per upload; split the file.")
    return records


def _cell(text: str) -> str:
    """A cell without surrounding blanks and without the apostrophe an export put before =+-@."""
    text = text.strip()
    if text.startswith("'") and text[1:2] in ("=", "+", "-", "@"):
        return text[1:]
    return text


def _check_header(header: list[str]) -> None:
    if not header:
        raise file_error("The file is empty; start from the template (GET /api/v1/assets/templates/{kind}).")
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
        raise file_error(f"Not a UTF-8 JSON document: {exc}") from exc
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        raise file_error("Expected a GeoJSON FeatureCollection.", "type")
    features = document.get("features")
    if not isinstance(features, list):
        raise file_error("A FeatureCollection needs a `features` array.", "features")
    if len(features) > MAX_ROWS:
        raise file_error(f"At most {MAX_ROWS:,} features per upload; split the file.")
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
            body["geometry"] = {"type": "LineString", "coordinates": split_route_text(str(cells["route"]))}
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


def _watch_parent(parent: int) -> None:
    """Runs in each checker process: exits once the server that started it is gone (a kill -9
    gives it no chance to stop its children, which would otherwise run on without a parent)."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(0)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


@dataclass
class RowCheckers:
    """Worker processes that validate slices of large uploads (validation is pure Python and
    CPU-bound). ``workers`` 0 checks in this process; None picks one fewer than the CPUs, at
    most 4."""

    workers: int | None = None
    _pool: ProcessPoolExecutor | None = None

    def pool(self) -> ProcessPoolExecutor | None:
        count = self.workers if self.workers is not None else min(4, (os.cpu_count() or 1) - 1)
        if self._pool is None and count > 0:
            # spawn, not fork: the server has threads (database drivers) a fork would copy mid-lock.
            self._pool = ProcessPoolExecutor(
                count,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_watch_parent,
                initargs=(os.getpid(),),
            )
        return self._pool

    def discard(self) -> None:
        """Stops the processes once the slice each has in hand is done (the server is stopping;
        should it be killed instead, each process sees its parent gone and exits)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


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


def parse_upload(payload: bytes, fmt: str) -> list[Record]:
    if fmt == "csv":
        return parse_csv(payload)
    if fmt == "geojson":
        return parse_geojson(payload)
    raise file_error("Upload text/csv or application/geo+json (or say ?format=csv|geojson).", "format")
