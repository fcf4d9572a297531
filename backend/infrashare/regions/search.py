"""Regions in Meilisearch: find a division by Chinese name, short name, pinyin (typos allowed) or code."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from typing import Any

from meilisearch_python_sdk.models.settings import MeilisearchSettings
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from infrashare.core.indexing import SEARCH_FAILURES, Document, SearchIndex
from infrashare.core.paging import Pagination
from infrashare.core.search import SearchEngine
from infrashare.regions.models import Region
from infrashare.regions.service import RegionFilters, lineages, search_regions

BATCH = 1000


def region_document(region: Region, lineage: list[str]) -> Document:
    document: dict[str, Any] = {
        "code": region.code,
        "name": region.name,
        "short_name": region.short_name,
        "pinyin": region.pinyin,
        "pinyin_joined": region.pinyin.replace(" ", ""),
        "level": region.level,
        "parent_code": region.parent_code,
        "ancestors": lineage[1:],
    }
    if region.lat is not None and region.lon is not None:
        document["_geo"] = {"lat": region.lat, "lng": region.lon}
    return document


async def load_regions(db: AsyncSession, codes: Sequence[str]) -> dict[str, list[Document]]:
    rows = (await db.scalars(select(Region).where(Region.code.in_(codes)))).all()
    chains = await lineages(db, [row.code for row in rows])
    found = {row.code: [region_document(row, chains[row.code])] for row in rows}
    return {code: found.get(code, []) for code in codes}


async def all_region_codes(db: AsyncSession) -> AsyncIterator[list[str]]:
    codes = list((await db.scalars(select(Region.code).order_by(Region.code))).all())
    for start in range(0, len(codes), BATCH):
        yield codes[start : start + BATCH]


REGIONS_INDEX = SearchIndex(
    uid="regions",
    primary_key="code",
    key_field="code",
    settings=MeilisearchSettings(
        searchable_attributes=["name", "short_name", "pinyin", "pinyin_joined", "code"],
        filterable_attributes=["code", "level", "parent_code", "ancestors"],
        sortable_attributes=["code"],
    ),
    load=load_regions,
    all_keys=all_region_codes,
)


@dataclass(frozen=True)
class RegionHits:
    regions: list[Region]
    total: int
    degraded: bool


async def find_regions(
    db: AsyncSession,
    search: SearchEngine | None,
    text: str,
    level: str | None,
    within: str | None,
    pagination: Pagination,
) -> RegionHits:
    """Typo-tolerant search in Meilisearch; the database's plain match when search is down."""
    filters: list[str | list[str]] = []
    if level:
        filters.append(f"level = {json.dumps(level)}")
    if within:
        filters.append(f"ancestors = {json.dumps(within)}")
    if search is not None:
        try:
            result = await search.searchable(REGIONS_INDEX.uid).search(
                text, filter=filters or None, page=pagination.page, hits_per_page=pagination.page_size
            )
            codes = [hit["code"] for hit in result.hits]
            found = {
                r.code: r for r in (await db.scalars(select(Region).where(Region.code.in_(codes)))).all()
            }
            regions = [found[code] for code in codes if code in found]
            return RegionHits(regions, result.total_hits or 0, degraded=False)
        except SEARCH_FAILURES:
            pass
    regions, total = await search_regions(
        db, RegionFilters(within=within, level=level, text=text), pagination
    )
    return RegionHits(regions, total, degraded=True)
