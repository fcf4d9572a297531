"""Looking up administrative divisions, their ancestors and descendants (by materialised path)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from infrashare.core.area import Area, Jurisdiction
from infrashare.core.conditions import Expression, StartsWith, Tree
from infrashare.core.errors import NotFound
from infrashare.core.paging import Pagination
from infrashare.regions.models import Region

LEVELS = ("province", "city", "county", "street")


async def get_region(db: AsyncSession, code: str) -> Region:
    region = await db.get(Region, code)
    if region is None:
        raise NotFound(f"Region {code} does not exist.", field="code")
    return region


def chain_of(path: str) -> list[str]:
    """A region's code, then its parent's, up to the province: its path read backwards."""
    return path.strip("/").split("/")[::-1]


async def ancestors(db: AsyncSession, region: Region) -> list[Region]:
    codes = chain_of(region.path)[1:][::-1]
    found = {r.code: r for r in (await db.scalars(select(Region).where(Region.code.in_(codes)))).all()}
    return [found[code] for code in codes if code in found]


async def children(db: AsyncSession, code: str) -> list[Region]:
    query = select(Region).where(Region.parent_code == code).order_by(Region.code)
    return list((await db.scalars(query)).all())


@dataclass(frozen=True)
class RegionFilters:
    parent: str | None = None  # its children only
    within: str | None = None  # everything below it
    level: str | None = None
    text: str | None = None  # in the name or pinyin, or a code's start


def _region_clauses(filters: RegionFilters) -> list[ColumnElement[bool]]:
    clauses: list[ColumnElement[bool]] = []
    if filters.parent:
        clauses.append(Region.parent_code == filters.parent)
    if filters.within:
        clauses.append(Region.path.contains(f"/{filters.within}/", autoescape=True))
        clauses.append(Region.code != filters.within)
    if filters.level:
        clauses.append(Region.level == filters.level)
    if filters.text:
        text = filters.text.strip()
        clauses.append(
            or_(
                Region.name.contains(text, autoescape=True),
                Region.pinyin.contains(text.lower(), autoescape=True),
                Region.code.startswith(text, autoescape=True),
            )
        )
    return clauses


async def search_regions(
    db: AsyncSession, filters: RegionFilters, pagination: Pagination
) -> tuple[list[Region], int]:
    """A page of the divisions matching (by code), and how many match."""
    clauses = _region_clauses(filters)
    total = await db.scalar(select(func.count()).select_from(Region).where(*clauses))
    rows = await db.scalars(pagination.rows(select(Region).where(*clauses).order_by(Region.code)))
    return list(rows.all()), int(total or 0)


def region_tree(code_column: Expression) -> Tree:
    """A region code column as a tree: ``Within`` renders as a path predicate on regions."""
    return Tree(key=code_column, node=Region.code, path=Region.path)


async def area_of(db: AsyncSession, codes: Iterable[str]) -> Area:
    """The regions (and everything below them) as one area; unknown codes are left out."""
    wanted = sorted(set(codes))
    if not wanted:
        return Area()
    rows = (await db.execute(select(Region.code, Region.path).where(Region.code.in_(wanted)))).all()
    return Area(roots=tuple(code for code, _ in rows), paths=tuple(path for _, path in rows))


async def jurisdiction_over(db: AsyncSession, codes: Iterable[str]) -> Jurisdiction:
    """A regulator's regions expanded once: their paths and every code inside them."""
    area = await area_of(db, codes)
    if not area:
        return Jurisdiction()
    inside = select(Region.code).where(or_(*(StartsWith(Region.path, path) for path in area.paths)))
    return Jurisdiction(roots=area.roots, paths=area.paths, codes=frozenset((await db.scalars(inside)).all()))


async def descendant_codes(db: AsyncSession, codes: Iterable[str]) -> set[str]:
    """The given codes and every division below them (where a list of codes is wanted)."""
    return set((await jurisdiction_over(db, codes)).codes)


async def lineages(db: AsyncSession, codes: Iterable[str]) -> dict[str, list[str]]:
    """For each code: itself, then its parent, up to the province (from the regions' paths)."""
    wanted = sorted(set(codes))
    rows = (await db.execute(select(Region.code, Region.path).where(Region.code.in_(wanted)))).all()
    found = {code: chain_of(path) for code, path in rows}
    return {code: found.get(code, [code]) for code in codes}


async def missing_region_codes(db: AsyncSession, codes: Iterable[str]) -> list[str]:
    wanted = sorted(set(codes))
    known = set((await db.scalars(select(Region.code).where(Region.code.in_(wanted)))).all())
    return [code for code in wanted if code not in known]
