"""Assets in Meilisearch: what a document looks like and how the index is fed.

Location privacy decides the geo design. Non-owners see an asset on a ~1 km grid, and a radius
filter is an oracle ("is it within r of here?") that trilateration would turn back into the
exact spot — so every document's ``_geo`` is the *coarse* point. Routes (ducts, cables, space
along a tunnel) become one document per ~1 km cell they pass through (``cell_index`` 0, 1, …),
so geo filters and distance sorts see the whole route, not its first point. Geo searches ask for
``distinct`` on ``asset_id``; every other search filters ``cell_index = 0``, one document per
asset — distinct is not an index setting, since it made every search ~30x slower at 200,000
assets. Exact distances are computed afterwards, from the geometry each caller may see.

Street addresses are not indexed: they are withheld from non-owners, and a text match on them
would leak them just the same.
"""

from __future__ import annotations

import itertools
import math
import uuid
from collections.abc import AsyncIterator, Sequence
from datetime import date
from typing import Any

from meilisearch_python_sdk.models.settings import MeilisearchSettings, Pagination
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import load_only

from infrashare.accounts.models import Organisation
from infrashare.assets.models import Asset, AssetKind, AssetStatus
from infrashare.assets.schemas import haversine_m
from infrashare.assets.visibility import snap
from infrashare.core.indexing import Document, SearchIndex
from infrashare.regions.service import lineages

ROUTE_STEP_M = 250.0
ONE_PER_ASSET = "cell_index = 0"  # the filter that leaves one document per asset
BATCH = 1000
EPOCH = date(1970, 1, 1)

KIND_LABELS: dict[AssetKind, str] = {
    AssetKind.TOWER: "铁塔 通信塔 tower mast",
    AssetKind.POLE: "杆路 电杆 pole",
    AssetKind.DUCT: "管道 管孔 duct conduit pipeline",
    AssetKind.CABLE: "光缆 cable fibre fiber",
    AssetKind.MACHINE_ROOM: "机房 machine room equipment room",
    AssetKind.RESERVED_SPACE: "预留空间 reserved space",
}
INDUSTRY_LABELS: dict[str, str] = {
    "telecom": "电信 通信 telecom",
    "power": "电力 power",
    "rail_metro": "轨道交通 地铁 rail metro",
    "highway": "公路 高速 highway",
    "water": "供水 water",
    "gas": "燃气 gas",
    "heating": "供热 heating",
    "drainage": "排水 drainage",
    "public_security": "公安 public security",
    "broadcasting": "广电 broadcasting",
    "other": "其他 other",
}
SYNONYM_GROUPS = (
    ("铁塔", "tower", "mast", "通信塔"),
    ("管道", "duct", "conduit", "pipeline", "管孔"),
    ("光缆", "cable", "fibre", "fiber", "optical cable"),
    ("机房", "machine room", "computer room", "equipment room"),
    ("杆路", "pole", "电杆"),
    ("预留空间", "reserved space"),
)


def synonyms() -> dict[str, list[str]]:
    return {word: [other for other in group if other != word] for group in SYNONYM_GROUPS for word in group}


def coarse_cells(geometry: dict[str, Any]) -> list[tuple[float, float]]:
    """The ~1 km grid cells (lon, lat) the geometry touches, walking routes every 250 m."""
    if geometry["type"] == "Point":
        lon, lat = geometry["coordinates"][:2]
        return [(snap(lon), snap(lat))]
    cells: dict[tuple[float, float], None] = {}
    vertices = [tuple(vertex[:2]) for vertex in geometry["coordinates"]]
    for start, end in itertools.pairwise(vertices):
        steps = max(1, math.ceil(haversine_m(start, end) / ROUTE_STEP_M))
        for step in range(steps + 1):
            t = step / steps
            cells[(snap(start[0] + (end[0] - start[0]) * t), snap(start[1] + (end[1] - start[1]) * t))] = None
    return list(cells)


def district_of(lineage: list[str]) -> str | None:
    """The county-level division (区/县) in a lineage of codes: six digits, not ending in 00."""
    return next((code for code in lineage if len(code) == 6 and not code.endswith("00")), None)


def ready_day(value: date | None) -> int:
    return (value - EPOCH).days if value else 0


# What a document is built from: a burst of 10,000 changes reads only these.
DOCUMENT_COLUMNS = (
    Asset.name,
    Asset.description,
    Asset.kind,
    Asset.status,
    Asset.region_code,
    Asset.capacity_free,
    Asset.capacity_total,
    Asset.capacity_unit,
    Asset.power_kw,
    Asset.power_guarantee,
    Asset.ready_date,
    Asset.visibility,
    Asset.geometry,
)


def asset_documents(asset: Asset, owner: Organisation, region_codes: list[str]) -> list[Document]:
    base: dict[str, Any] = {
        "asset_id": str(asset.id),
        "name": asset.name,
        "description": asset.description,
        "kind": asset.kind.value,
        "kind_label": KIND_LABELS[asset.kind],
        "status": asset.status.value,
        "owner_id": str(owner.id),
        "owner_name": owner.name,
        "owner_industry": owner.industry.value,
        "industry_label": INDUSTRY_LABELS.get(owner.industry.value, ""),
        "region_code": asset.region_code,
        "region_codes": region_codes,
        "district_code": district_of(region_codes),
        "capacity_free": asset.capacity_free,
        "capacity_total": asset.capacity_total,
        "capacity_unit": asset.capacity_unit,
        "power_kw": asset.power_kw or 0,
        "power_guarantee": asset.power_guarantee,
        "ready_day": ready_day(asset.ready_date),
        "visibility": asset.visibility.value,
        "geometry_type": asset.geometry["type"],
    }
    cells = coarse_cells(asset.geometry)
    return [
        {**base, "doc_id": f"{asset.id}-{n}", "cell_index": n, "_geo": {"lat": lat, "lng": lon}}
        for n, (lon, lat) in enumerate(cells)
    ]


async def load_assets(db: AsyncSession, keys: Sequence[str]) -> dict[str, list[Document]]:
    rows = (
        await db.execute(
            select(Asset, Organisation)
            .join(Organisation, Organisation.id == Asset.owner_organisation_id)
            .where(Asset.id.in_([uuid.UUID(key) for key in keys]))
            .options(load_only(*DOCUMENT_COLUMNS), load_only(Organisation.name, Organisation.industry))
        )
    ).all()
    chains = await lineages(db, {asset.region_code for asset, _ in rows})
    found = {
        str(asset.id): asset_documents(asset, owner, chains[asset.region_code])
        for asset, owner in rows
        if asset.status != AssetStatus.RETIRED
    }
    return {key: found.get(key, []) for key in keys}


async def all_asset_ids(db: AsyncSession) -> AsyncIterator[list[str]]:
    last = None
    while True:
        query = select(Asset.id).where(Asset.status != AssetStatus.RETIRED).order_by(Asset.id).limit(BATCH)
        if last is not None:
            query = query.where(Asset.id > last)
        ids = list((await db.scalars(query)).all())
        if not ids:
            return
        yield [str(asset_id) for asset_id in ids]
        last = ids[-1]


ASSETS_INDEX = SearchIndex(
    uid="assets",
    primary_key="doc_id",
    key_field="asset_id",
    settings=MeilisearchSettings(
        searchable_attributes=["name", "kind_label", "description", "owner_name", "industry_label"],
        filterable_attributes=[
            "asset_id",
            "doc_id",
            "cell_index",
            "kind",
            "status",
            "owner_id",
            "owner_industry",
            "region_code",
            "region_codes",
            "district_code",
            "capacity_free",
            "power_kw",
            "power_guarantee",
            "ready_day",
            "visibility",
            "_geo",
        ],
        sortable_attributes=["capacity_free", "power_kw", "ready_day", "_geo", "name"],
        synonyms=synonyms(),
        pagination=Pagination(max_total_hits=10_000),
    ),
    load=load_assets,
    all_keys=all_asset_ids,
)
