"""Regions in Meilisearch: find a division by Chinese name, short name, pinyin (typos allowed) or code."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from typing import Any

from meilisearch_python_sdk.models.settings import MeilisearchSettings
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from infrashare.core.indexing import Document, SearchIndex
from infrashare.regions.models import Region

BATCH = 1000


def _ancestors(region: Region, parents: dict[str, str | None]) -> list[str]:
    chain, code = [], region.parent_code
    while code:
        chain.append(code)
        code = parents.get(code)
    return chain


def region_document(region: Region, parents: dict[str, str | None]) -> Document:
    document: dict[str, Any] = {
        "code": region.code,
        "name": region.name,
        "short_name": region.short_name,
        "pinyin": region.pinyin,
        "pinyin_joined": region.pinyin.replace(" ", ""),
        "level": region.level,
        "parent_code": region.parent_code,
        "ancestors": _ancestors(region, parents),
    }
    if region.lat is not None and region.lon is not None:
        document["_geo"] = {"lat": region.lat, "lng": region.lon}
    return document


async def load_regions(db: AsyncSession, codes: Sequence[str]) -> dict[str, list[Document]]:
    parents = dict((await db.execute(select(Region.code, Region.parent_code))).all())
    rows = (await db.scalars(select(Region).where(Region.code.in_(codes)))).all()
    found = {row.code: [region_document(row, parents)] for row in rows}
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
