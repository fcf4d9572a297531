"""Needs in Meilisearch: what a document looks like and how the index is fed.

Every need is indexed, whatever its state; who may see which is part of every search filter
(``organisation_id``, ``published``, ``submitted`` and ``region_codes`` carry the rule of
``visibility.rule``), so a draft never shows up for another organisation, not even in a
facet count or a total.

A need's location is not masked (whoever may see a need sees where it is), so ``_geo`` is exact.
A route need becomes one document per point every ``ROUTE_STEP_M`` along it, with ``distinct``
on ``need_id``: radius and box filters and distance sorts see the whole route, to within half
a step. Contact details are not indexed.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Sequence
from datetime import datetime
from typing import Any

from meilisearch_python_sdk.models.settings import MeilisearchSettings, Pagination
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from infrashare.accounts.models import Organisation
from infrashare.assets.models import AssetKind
from infrashare.assets.search import INDUSTRY_LABELS, KIND_LABELS, district_of, ready_day, synonyms
from infrashare.core.geo import densified, length_m, vertices
from infrashare.core.indexing import Document, SearchIndex
from infrashare.needs.models import Need, NeedMode, NeedPurpose
from infrashare.regions.models import Region
from infrashare.regions.service import lineages

ROUTE_STEP_M = 50.0
MAX_ROUTE_POINTS = 2000  # a route longer than 100 km is sampled more sparsely
BATCH = 1000

PURPOSE_LABELS: dict[NeedPurpose, str] = {
    NeedPurpose.MACRO_SITE: "5G 宏站 基站 macro site base station",
    NeedPurpose.SMALL_CELL: "微站 小基站 small cell",
    NeedPurpose.FIBRE_ROUTE: "光缆路由 光纤 fibre route",
    NeedPurpose.EDGE_COMPUTING_ROOM: "边缘计算 MEC edge computing",
    NeedPurpose.POWER_SUPPLY: "电力引入 供电 power supply",
    NeedPurpose.OTHER: "其他 other",
}
MODE_LABELS: dict[NeedMode, str] = {
    NeedMode.SHARE: "共享 share",
    NeedMode.CO_BUILD: "共建 co-build co-construction",
}


def route_step_m(geometry: dict[str, Any]) -> float:
    """The sampling step along a route: 50 m, longer for very long routes."""
    return max(ROUTE_STEP_M, length_m(geometry) / MAX_ROUTE_POINTS)


def geo_points(geometry: dict[str, Any]) -> list[tuple[float, float]]:
    """(lon, lat) points that stand for the location: the point, or samples along the route."""
    if geometry["type"] == "Point":
        return vertices(geometry)
    return densified(geometry, route_step_m(geometry))


def _timestamp(value: datetime | None) -> int:
    return int(value.timestamp()) if value else 0


def need_documents(
    need: Need, organisation: Organisation, region_codes: list[str], region_names: list[str]
) -> list[Document]:
    kinds = [kind.value for kind in need.wanted_kinds]
    base: dict[str, Any] = {
        "need_id": str(need.id),
        "title": need.title,
        "description": need.description,
        "purpose": need.purpose.value,
        "purpose_label": PURPOSE_LABELS[need.purpose],
        "mode": need.mode.value,
        "mode_label": MODE_LABELS[need.mode],
        "kinds": kinds,
        "kind_label": " ".join(KIND_LABELS[AssetKind(kind)] for kind in kinds),
        "status": need.status.value,
        "organisation_id": str(organisation.id),
        "organisation_name": organisation.name,
        "industry": organisation.industry.value,
        "industry_label": INDUSTRY_LABELS.get(organisation.industry.value, ""),
        "region_code": need.region_code,
        "region_codes": region_codes,
        "region_names": " ".join(region_names),
        "district_code": district_of(region_codes),
        "quantity": need.quantity,
        "needed_by_day": ready_day(need.needed_by),
        "published_ts": _timestamp(need.published_at),
        "published": need.published_at is not None,
        "submitted": need.submitted_at is not None,
        "geometry_type": need.geometry["type"],
    }
    return [
        {**base, "doc_id": f"{need.id}-{n}", "_geo": {"lat": lat, "lng": lon}}
        for n, (lon, lat) in enumerate(geo_points(need.geometry))
    ]


async def _region_names(db: AsyncSession, codes: set[str]) -> dict[str, str]:
    rows = await db.execute(select(Region.code, Region.name).where(Region.code.in_(sorted(codes))))
    return {code: name for code, name in rows.all()}


async def load_needs(db: AsyncSession, keys: Sequence[str]) -> dict[str, list[Document]]:
    rows = (
        await db.execute(
            select(Need, Organisation)
            .join(Organisation, Organisation.id == Need.organisation_id)
            .where(Need.id.in_([uuid.UUID(key) for key in keys]))
            .options(selectinload(Need.kinds))
        )
    ).all()
    chains = await lineages(db, {need.region_code for need, _ in rows})
    names = await _region_names(db, {code for chain in chains.values() for code in chain})
    found = {}
    for need, organisation in rows:
        chain = chains[need.region_code]
        found[str(need.id)] = need_documents(need, organisation, chain, [names.get(c, "") for c in chain])
    return {key: found.get(key, []) for key in keys}


async def all_need_ids(db: AsyncSession) -> AsyncIterator[list[str]]:
    last = None
    while True:
        query = select(Need.id).order_by(Need.id).limit(BATCH)
        if last is not None:
            query = query.where(Need.id > last)
        ids = list((await db.scalars(query)).all())
        if not ids:
            return
        yield [str(need_id) for need_id in ids]
        last = ids[-1]


NEEDS_INDEX = SearchIndex(
    uid="needs",
    primary_key="doc_id",
    key_field="need_id",
    settings=MeilisearchSettings(
        searchable_attributes=[
            "title",
            "kind_label",
            "purpose_label",
            "description",
            "region_names",
            "organisation_name",
            "industry_label",
            "mode_label",
        ],
        filterable_attributes=[
            "need_id",
            "doc_id",
            "status",
            "kinds",
            "purpose",
            "mode",
            "organisation_id",
            "industry",
            "region_code",
            "region_codes",
            "district_code",
            "quantity",
            "needed_by_day",
            "published",
            "submitted",
            "geometry_type",
            "_geo",
        ],
        sortable_attributes=["needed_by_day", "published_ts", "quantity", "_geo", "title"],
        distinct_attribute="need_id",
        synonyms=synonyms(),
        pagination=Pagination(max_total_hits=10_000),
    ),
    load=load_needs,
    all_keys=all_need_ids,
)
