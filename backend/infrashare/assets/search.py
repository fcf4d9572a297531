"""Assets in Meilisearch: what a document looks like and how the index is fed.

Location privacy decides the geo design. Non-owners see an asset on a ~1 km grid, and a radius
filter is an oracle ("is it within r of here?") that trilateration would turn back into the
exact spot — so assets are indexed by the *grid cells* they touch, never by their exact spot.
One document per asset lists in ``cells`` every 0.01° cell its geometry passes through (routes
walked every 250 m, so a duct is found near its middle, not only near its first point), and the
0.1° and 1° blocks those cells lie in, so that a large area is a short filter. Geo filters and
distance sorts are built on those terms (matching/coverings.py); the index has no ``_geo`` —
Meilisearch 1.21 rewrites its whole geo index on every batch (~2 s at 250,000 points) and reads
it back on every geo search (~12 ms) — and exact distances are computed afterwards, from the
geometry each caller may see.

Street addresses are not indexed: they are withheld from non-owners, and a text match on them
would leak them just the same.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Sequence
from datetime import date
from typing import Any

from meilisearch_python_sdk.models.settings import MeilisearchSettings, Pagination
from sqlalchemy import Row, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from infrashare.accounts.models import Organisation
from infrashare.assets.models import Asset, AssetKind, AssetStatus
from infrashare.assets.visibility import GRID_DEGREES, grant_holders, snap
from infrashare.core.geo import densified
from infrashare.core.indexing import Document, SearchIndex
from infrashare.regions.service import lineages

ROUTE_STEP_M = 250.0
BLOCK_SIDES = (1, 10, 100)  # a level's block side, in grid cells: 0.01°, 0.1°, 1°
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
    return list(dict.fromkeys((snap(lon), snap(lat)) for lon, lat in densified(geometry, ROUTE_STEP_M)))


def grid_index(degrees: float) -> int:
    """The cell of the ~1 km grid a longitude or latitude falls in (its centre is index × 0.01°)."""
    return round(degrees / GRID_DEGREES)


def cell_term(level: int, i: int, j: int) -> str:
    """The filter value of the block at ``level`` with column ``i`` and row ``j``."""
    return f"{level}:{i}:{j}"


def cell_terms(geometry: dict[str, Any]) -> list[str]:
    """The grid cells the geometry touches, then the coarser blocks they lie in."""
    cells = [(grid_index(lon), grid_index(lat)) for lon, lat in coarse_cells(geometry)]
    return [
        cell_term(level, i, j)
        for level, side in enumerate(BLOCK_SIDES)
        for i, j in dict.fromkeys((i // side, j // side) for i, j in cells)
    ]


def district_of(lineage: list[str]) -> str | None:
    """The county-level division (区/县) in a lineage of codes: six digits, not ending in 00."""
    return next((code for code in lineage if len(code) == 6 and not code.endswith("00")), None)


def ready_day(value: date | None) -> int:
    return (value - EPOCH).days if value else 0


# What a document is built from: a burst of 10,000 changes reads only these, as plain rows.
DOCUMENT_COLUMNS = (
    Asset.id,
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
    Organisation.id.label("owner_id"),
    Organisation.name.label("owner_name"),
    Organisation.industry.label("owner_industry"),
)


def asset_document(row: Row[Any], region_codes: list[str], granted_to: list[str]) -> Document:
    """The document of one asset, from a row of ``DOCUMENT_COLUMNS``, with the organisations that
    hold units of it (they see it whatever its visibility)."""
    industry = row.owner_industry.value
    return {
        "asset_id": str(row.id),
        "name": row.name,
        "description": row.description,
        "kind": row.kind.value,
        "kind_label": KIND_LABELS[row.kind],
        "status": row.status.value,
        "owner_id": str(row.owner_id),
        "owner_name": row.owner_name,
        "owner_industry": industry,
        "industry_label": INDUSTRY_LABELS.get(industry, ""),
        "region_code": row.region_code,
        "region_codes": region_codes,
        "district_code": district_of(region_codes),
        "capacity_free": row.capacity_free,
        "capacity_total": row.capacity_total,
        "capacity_unit": row.capacity_unit,
        "power_kw": row.power_kw or 0,
        "power_guarantee": row.power_guarantee,
        "ready_day": ready_day(row.ready_date),
        "visibility": row.visibility.value,
        "granted_to": granted_to,
        "geometry_type": row.geometry["type"],
        "cells": cell_terms(row.geometry),
    }


async def load_assets(db: AsyncSession, keys: Sequence[str]) -> dict[str, list[Document]]:
    connection = await db.connection()  # plain rows: no ORM bookkeeping for 10,000 of them
    rows = (
        await connection.execute(
            select(*DOCUMENT_COLUMNS)
            .join(Organisation, Organisation.id == Asset.owner_organisation_id)
            .where(Asset.id.in_([uuid.UUID(key) for key in keys]), Asset.status != AssetStatus.RETIRED)
        )
    ).all()
    chains = await lineages(db, {row.region_code for row in rows})
    holders = await _grant_holders(connection, [row.id for row in rows])
    found = {
        str(row.id): [asset_document(row, chains[row.region_code], sorted(holders.get(row.id, ())))]
        for row in rows
    }
    return {key: found.get(key, []) for key in keys}


async def _grant_holders(
    connection: AsyncConnection, asset_ids: list[uuid.UUID]
) -> dict[uuid.UUID, set[str]]:
    """Per asset, the organisations holding units of it. Every change of what a request holds
    changes the asset's free capacity too, so the asset is re-indexed with it."""
    rows = await connection.execute(grant_holders(asset_ids))
    holders: dict[uuid.UUID, set[str]] = {}
    for asset_id, organisation_id in rows:
        holders.setdefault(asset_id, set()).add(str(organisation_id))
    return holders


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
    primary_key="asset_id",
    key_field="asset_id",
    settings=MeilisearchSettings(
        searchable_attributes=["name", "kind_label", "description", "owner_name", "industry_label"],
        filterable_attributes=[
            "asset_id",
            "cells",
            "kind",
            "status",
            "owner_id",
            "owner_industry",
            "region_codes",
            "district_code",
            "capacity_free",
            "power_kw",
            "power_guarantee",
            "ready_day",
            "visibility",
            "granted_to",
        ],
        sortable_attributes=["capacity_free", "power_kw", "ready_day", "name"],
        facet_search=False,  # nothing searches within facet values; it costs every batch
        synonyms=synonyms(),
        pagination=Pagination(max_total_hits=10_000),
    ),
    load=load_assets,
    all_keys=all_asset_ids,
)
