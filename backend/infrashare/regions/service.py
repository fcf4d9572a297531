"""Looking up administrative divisions and their descendants."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from infrashare.core.errors import NotFound
from infrashare.regions.models import Region

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


async def descendant_codes(db: AsyncSession, codes: Iterable[str]) -> set[str]:
    """The given codes and every division below them (for jurisdictions and region filters)."""
    found = set(codes)
    frontier = set(found)
    while frontier:
        query = select(Region.code).where(Region.parent_code.in_(frontier))
        frontier = set((await db.scalars(query)).all()) - found
        found |= frontier
    return found


async def lineages(db: AsyncSession, codes: Iterable[str]) -> dict[str, list[str]]:
    """For each code: itself, then its parent, up to the province (from one read of the table)."""
    parents: dict[str, str | None] = dict((await db.execute(select(Region.code, Region.parent_code))).all())
    result: dict[str, list[str]] = {}
    for code in codes:
        chain: list[str] = []
        current: str | None = code
        while current:
            chain.append(current)
            current = parents.get(current)
        result[code] = chain
    return result


async def missing_region_codes(db: AsyncSession, codes: Iterable[str]) -> list[str]:
    wanted = sorted(set(codes))
    known = set((await db.scalars(select(Region.code).where(Region.code.in_(wanted)))).all())
    return [code for code in wanted if code not in known]
