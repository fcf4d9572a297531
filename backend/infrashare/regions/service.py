"""Looking up administrative divisions and their descendants."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

from meilisearch_python_sdk import AsyncClient
from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from infrashare.core.errors import NotFound
from infrashare.core.indexing import SEARCH_FAILURES
from infrashare.regions.models import Region
from infrashare.regions.search import REGIONS_INDEX

LEVELS = ("province", "city", "county", "street")


async def get_region(db: AsyncSession, code: str) -> Region:
    region = await db.get(Region, code)
    if region is None:
        raise NotFound(f"Region {code} does not exist.", field="code")
    return region


async def ancestors(db: AsyncSession, region: Region) -> list[Region]:
    chain: list[Region] = []
    while region.parent_code:
        region = await get_region(db, region.parent_code)
        chain.insert(0, region)
    return chain


async def children(db: AsyncSession, code: str) -> list[Region]:
    query = select(Region).where(Region.parent_code == code).order_by(Region.code)
    return list((await db.scalars(query)).all())


async def search_regions(
    db: AsyncSession, parent: str | None, level: str | None, text: str | None, limit: int
) -> list[Region]:
    query = select(Region).order_by(Region.code).limit(limit)
    if parent:
        query = query.where(Region.parent_code == parent)
    if level:
        query = query.where(Region.level == level)
    if text:
        pattern = f"%{text.strip()}%"
        query = query.where(
            or_(Region.name.like(pattern), Region.pinyin.like(pattern.lower()), Region.code.like(f"{text}%"))
        )
    return list((await db.scalars(query)).all())


@dataclass(frozen=True)
class RegionHits:
    regions: list[Region]
    total: int
    degraded: bool


async def find_regions(
    db: AsyncSession, search: AsyncClient | None, text: str, level: str | None, within: str | None, limit: int
) -> RegionHits:
    """Typo-tolerant search in Meilisearch; the database's plain match when search is down."""
    filters: list[str | list[str]] = []
    if level:
        filters.append(f"level = {json.dumps(level)}")
    if within:
        filters.append(f"ancestors = {json.dumps(within)}")
    if search is not None:
        try:
            result = await search.index(REGIONS_INDEX.uid).search(text, filter=filters or None, limit=limit)
            codes = [hit["code"] for hit in result.hits]
            found = {
                r.code: r for r in (await db.scalars(select(Region).where(Region.code.in_(codes)))).all()
            }
            regions = [found[code] for code in codes if code in found]
            return RegionHits(regions, result.estimated_total_hits or len(regions), degraded=False)
        except SEARCH_FAILURES:
            pass
    regions = await search_regions(db, None, level, text, limit)
    if within:
        inside = await descendant_codes(db, [within])
        regions = [region for region in regions if region.code in inside and region.code != within]
    return RegionHits(regions, len(regions), degraded=True)


async def descendant_codes(db: AsyncSession, codes: Iterable[str]) -> set[str]:
    """The given codes and every division below them (for jurisdictions and region filters)."""
    found = set(codes)
    frontier = set(found)
    while frontier:
        query = select(Region.code).where(Region.parent_code.in_(frontier))
        frontier = set((await db.scalars(query)).all()) - found
        found |= frontier
    return found


async def missing_region_codes(db: AsyncSession, codes: Iterable[str]) -> list[str]:
    wanted = sorted(set(codes))
    known = set((await db.scalars(select(Region.code).where(Region.code.in_(wanted)))).all())
    return [code for code in wanted if code not in known]
