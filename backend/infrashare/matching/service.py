"""Matching a need to assets: candidates from the search index, ranked by an explained score.

Candidates are the assets of a wanted kind with free capacity that lie within the need's reach
(its radius, or its corridor along the whole route), among those the caller may see. Each gets
a score in [0, 1], the weighted sum of five factors, each with its own explanation.
"""

from __future__ import annotations

import math
import uuid
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from infrashare.agreements.models import RequestStatus, SharingRequest
from infrashare.assets.models import Asset, AssetKind, AssetStatus
from infrashare.assets.schemas import AssetRead
from infrashare.assets.search import ASSETS_INDEX
from infrashare.assets.visibility import SQL_FIELDS, viewer_for
from infrashare.core.area import Area
from infrashare.core.geo import box_of, boxes_meet, geometry_distance_m, padded
from infrashare.core.indexing import SEARCH_FAILURES
from infrashare.core.paging import Pagination
from infrashare.core.principal import Principal
from infrashare.core.search import SearchEngine
from infrashare.matching.schemas import Match, MatchList, PlannedWork, ScoreFactor
from infrashare.matching.search import GRID_SLACK_M, AssetQuery, search_assets
from infrashare.needs.models import Need, NeedKind, NeedMode, NeedStatus
from infrashare.needs.service import get_need

WEIGHTS = {"distance": 0.35, "capacity": 0.25, "readiness": 0.2, "kind": 0.1, "text": 0.1}
DEFAULT_REACH_M = 1000
# Candidates scored per need: the nearest, and among equally near the roomiest (search.py).
POOL = 100
LATE_TOLERANCE_DAYS = 180


def reach_m(need: Need) -> int:
    return need.radius_m or need.corridor_m or DEFAULT_REACH_M


def serving_statuses(need: Need) -> tuple[str, ...]:
    """Asset states that can serve the need: co-building goes into planned works only."""
    return ("planned",) if need.mode == NeedMode.CO_BUILD else ("available", "planned")


def candidate_query(need: Need, pool: int) -> AssetQuery:
    """The search that finds a need's candidates: wanted kinds, free capacity, within reach of
    its point or anywhere along its route, nearest first."""
    statuses = serving_statuses(need)
    kinds = tuple(kind.value for kind in need.wanted_kinds)
    return AssetQuery(
        kinds=kinds,
        statuses=statuses,
        min_free=1,
        along=need.geometry,
        radius_m=reach_m(need),
        sort="distance",
        pagination=Pagination(page_size=pool),
        facets=False,
    )


def _readiness(asset: AssetRead, needed_by: date) -> ScoreFactor:
    ready = asset.ready_date
    if asset.status.value == "available" or ready is None or ready <= needed_by:
        when = "available now" if asset.status.value == "available" else f"ready {ready}"
        return ScoreFactor(
            factor="readiness",
            score=1,
            weight=WEIGHTS["readiness"],
            explanation=f"{when}, needed by {needed_by}",
        )
    late = (ready - needed_by).days
    return ScoreFactor(
        factor="readiness",
        score=max(0.0, 1 - late / LATE_TOLERANCE_DAYS),
        weight=WEIGHTS["readiness"],
        explanation=f"ready {ready}, {late} days after the needed-by date {needed_by}",
    )


def score_factors(
    need: Need, asset: AssetRead, distance: float, text_score: float | None
) -> list[ScoreFactor]:
    reach = reach_m(need)
    free, unit = asset.capacity.free, asset.capacity.unit
    wanted = [kind.value for kind in need.wanted_kinds]
    kind_score = 1.0 if asset.kind.value in wanted else 0.0
    return [
        ScoreFactor(
            factor="distance",
            score=max(0.0, 1 - distance / reach),
            weight=WEIGHTS["distance"],
            explanation=f"{distance:.0f} m from the need (reach {reach} m)",
        ),
        ScoreFactor(
            factor="capacity",
            score=min(1.0, free / max(1, need.quantity)),
            weight=WEIGHTS["capacity"],
            explanation=f"{free} {unit} free of {need.quantity} needed",
        ),
        _readiness(asset, need.needed_by),
        ScoreFactor(
            factor="kind",
            score=kind_score,
            weight=WEIGHTS["kind"],
            explanation=f"{asset.kind.value}; wanted: {', '.join(wanted)}",
        ),
        ScoreFactor(
            factor="text",
            score=text_score if text_score is not None else 0.5,
            weight=WEIGHTS["text"],
            explanation="relevance of the asset's text to the need's title"
            if text_score is not None
            else "text relevance unavailable (search degraded)",
        ),
    ]


async def _text_scores(client: SearchEngine | None, need: Need, asset_ids: list[str]) -> dict[str, float]:
    """Meilisearch's ranking score of each candidate for the need's title (0..1)."""
    if client is None or not asset_ids or not need.title.strip():
        return {}
    ids = ", ".join(f'"{asset_id}"' for asset_id in asset_ids)
    try:
        result = await client.searchable(ASSETS_INDEX.uid).search(
            need.title,
            filter=f"asset_id IN [{ids}]",
            limit=len(asset_ids),
            show_ranking_score=True,
            attributes_to_retrieve=["asset_id"],
            matching_strategy="last",
        )
    except SEARCH_FAILURES:
        return {}
    return {hit["asset_id"]: float(hit.get("_rankingScore", 0)) for hit in result.hits} | {
        asset_id: 0.0 for asset_id in asset_ids if asset_id not in {hit["asset_id"] for hit in result.hits}
    }


async def matches_for_need(
    db: AsyncSession, client: SearchEngine | None, principal: Principal, need_id: uuid.UUID, limit: int
) -> MatchList:
    need = (await get_need(db, principal, need_id)).need
    found = await search_assets(db, client, principal, candidate_query(need, pool=POOL))
    reach = reach_m(need)
    candidates = []
    for hit in found.items:
        distance = hit.distance_m if hit.distance_m is not None else math.inf  # to the need's geometry
        slack = 0 if hit.asset.location_precision == "exact" else GRID_SLACK_M
        if distance <= reach + slack and hit.asset.owner_organisation_id != need.organisation_id:
            candidates.append((hit.asset, min(distance, reach)))
    text = {} if found.degraded else await _text_scores(client, need, [str(a.id) for a, _ in candidates])
    matches = []
    for asset, distance in candidates:
        factors = score_factors(need, asset, distance, text.get(str(asset.id)) if text else None)
        score = sum(f.score * f.weight for f in factors)
        matches.append(
            Match(asset=asset, score=round(score, 4), distance_m=round(distance, 1), factors=factors)
        )
    matches.sort(key=lambda match: (-match.score, match.distance_m))
    return MatchList(need_id=str(need.id), matches=matches[:limit], degraded=found.degraded)


INTERESTED_NEED_STATUSES = (NeedStatus.PUBLISHED, NeedStatus.MATCHED)
LIVE_REQUEST_STATUSES = (
    RequestStatus.REQUESTED,
    RequestStatus.COUNTERED,
    RequestStatus.ACCEPTED,
    RequestStatus.REGULATOR_REVIEW,
    RequestStatus.ACTIVE,
    RequestStatus.DISPUTED,
)


def _within_reach(need: Need, work: Asset) -> bool:
    """Bounding boxes first (cheap), then the distance between the two geometries."""
    if not boxes_meet(padded(box_of(need), reach_m(need) + 1), box_of(work)):
        return False
    return geometry_distance_m(need.geometry, work.geometry) <= reach_m(need)


async def planned_works(db: AsyncSession, principal: Principal, region: Area | None) -> list[PlannedWork]:
    """Planned reserved space the caller may see, with how many operators want to build into it.

    Interest is counted from exact geometries on the server; only counts leave it, never whose.
    """
    viewer = await viewer_for(db, principal)
    query = select(Asset).where(
        viewer.can_see(), Asset.kind == AssetKind.RESERVED_SPACE, Asset.status == AssetStatus.PLANNED
    )
    if region is not None:
        query = query.where(region.condition().sql(SQL_FIELDS))
    works = (await db.scalars(query.order_by(Asset.ready_date, Asset.name))).all()
    needs = (
        await db.scalars(
            select(Need)
            .join(NeedKind, NeedKind.need_id == Need.id)
            .where(
                Need.mode == NeedMode.CO_BUILD,
                Need.status.in_(INTERESTED_NEED_STATUSES),
                NeedKind.kind == AssetKind.RESERVED_SPACE,
            )
        )
    ).all()
    requests = (
        await db.execute(
            select(SharingRequest.asset_id, SharingRequest.requester_organisation_id).where(
                SharingRequest.asset_id.in_([work.id for work in works]),
                SharingRequest.status.in_(LIVE_REQUEST_STATUSES),
            )
        )
    ).all()
    result = []
    for work in works:
        wanting = [
            need
            for need in needs
            if need.organisation_id != work.owner_organisation_id and _within_reach(need, work)
        ]
        asking = [organisation for asset_id, organisation in requests if asset_id == work.id]
        interested = {need.organisation_id for need in wanting} | set(asking)
        result.append(
            PlannedWork(
                asset=AssetRead.from_model(work, viewer),
                interested_operators=len(interested),
                co_build_needs=len(wanting),
                live_requests=len(asking),
            )
        )
    result.sort(key=lambda item: -item.interested_operators)
    return result
