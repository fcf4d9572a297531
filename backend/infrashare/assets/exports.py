"""Export of what the caller may see, as CSV or GeoJSON, masked by the visibility rule.

Rows are read in keyset pages from a session of the export's own (the request's unit of work
ends before a streamed body is sent), so memory stays flat whatever the number of assets.
CSV cells that a spreadsheet would run as a formula are neutralised with a leading apostrophe;
the import strips it again, so an export re-imports unchanged.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import AsyncIterator
from typing import Any

from infrashare.assets.columns import EXPORT_COLUMNS
from infrashare.assets.schemas import AssetRead
from infrashare.assets.service import AssetFilters, filtered_query
from infrashare.assets.visibility import Viewer
from infrashare.core.db import Database
from infrashare.core.geo import route_text

PAGE = 1_000
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ATTRIBUTION = "Demo geodata: © OpenStreetMap contributors, ODbL 1.0 (https://www.openstreetmap.org/copyright)"


def neutralise(value: Any) -> Any:
    """A text cell a spreadsheet would evaluate (=, +, -, @, tab, CR first) gets a leading '."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def flat_row(asset: AssetRead) -> dict[str, Any]:
    """An asset as the flat columns of the CSV import/export layout."""
    geometry = asset.geometry
    point = geometry["type"] == "Point"
    row: dict[str, Any] = {
        "id": str(asset.id),
        "owner_organisation_id": str(asset.owner_organisation_id),
        "external_id": asset.external_id,
        "kind": asset.kind.value,
        "name": asset.name,
        "description": asset.description,
        "status": asset.status.value,
        "ready_date": asset.ready_date.isoformat() if asset.ready_date else None,
        "region_code": asset.region_code,
        "address": asset.address,
        "lon": geometry["coordinates"][0] if point else None,
        "lat": geometry["coordinates"][1] if point else None,
        "route": None if point else route_text(geometry["coordinates"]),
        "capacity_unit": asset.capacity.unit,
        "capacity_total": asset.capacity.total,
        "capacity_free": asset.capacity.free,
        "power_kw": asset.capacity.power_kw,
        "power_guarantee": asset.capacity.power_guarantee,
        "visibility": asset.visibility.value,
        "sharing_terms": asset.sharing.terms,
        "indicative_price_cny": asset.sharing.indicative_price_cny,
        "lead_time_days": asset.sharing.lead_time_days,
        "location_precision": asset.location_precision,
        "version": asset.version,
        "updated_at": asset.updated_at.isoformat(),
    }
    for name, value in asset.attributes.items():
        row[name] = ";".join(str(v) for v in value) if isinstance(value, list) else value
    return row


async def _pages(database: Database, viewer: Viewer, filters: AssetFilters) -> AsyncIterator[list[AssetRead]]:
    from infrashare.assets.models import Asset

    last = None
    async with database.reader() as db:
        while True:
            query = filtered_query(viewer, filters)
            if last is not None:
                query = query.where(Asset.id > last)
            assets = list((await db.scalars(query.limit(PAGE))).all())
            if not assets:
                return
            yield [AssetRead.from_model(asset, viewer) for asset in assets]
            last = assets[-1].id
            db.expunge_all()


async def export_csv(database: Database, viewer: Viewer, filters: AssetFilters) -> AsyncIterator[bytes]:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=EXPORT_COLUMNS, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    yield ("\ufeff" + buffer.getvalue()).encode()  # BOM: Excel then reads the Chinese text right
    async for page in _pages(database, viewer, filters):
        buffer.seek(0)
        buffer.truncate()
        for asset in page:
            row = flat_row(asset)
            writer.writerow({key: neutralise(value) for key, value in row.items()})
        yield buffer.getvalue().encode()


async def export_geojson(database: Database, viewer: Viewer, filters: AssetFilters) -> AsyncIterator[bytes]:
    head = {"type": "FeatureCollection", "attribution": ATTRIBUTION}
    yield json.dumps(head, ensure_ascii=False)[:-1].encode() + b', "features": ['
    first = True
    async for page in _pages(database, viewer, filters):
        parts = []
        for asset in page:
            properties = {
                key: value
                for key, value in flat_row(asset).items()
                if key not in {"lon", "lat", "route", "id"} and value is not None
            }
            feature = {
                "type": "Feature",
                "id": str(asset.id),
                "geometry": asset.geometry,
                "properties": properties,
            }
            parts.append(json.dumps(feature, ensure_ascii=False))
        chunk = ",".join(parts)
        yield (chunk if first else "," + chunk).encode()
        first = False
    yield b"]}"
