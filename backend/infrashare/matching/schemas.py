"""Search and match bodies."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from infrashare.assets.schemas import AssetRead
from infrashare.core.paging import Page
from infrashare.needs.schemas import NeedRead

SortOrder = Literal["relevance", "distance", "free_capacity"]


class AssetHit(BaseModel):
    asset: AssetRead
    distance_m: float | None = Field(
        description="From the search point, to the geometry you may see (approximate for 1 km-precision assets)"
    )


class AssetSearchPage(Page[AssetHit]):
    total: int = Field(description="Assets (not route segments) matching, among those you may see")
    total_exact: bool = Field(
        default=True,
        description="False for geo searches (radius, box, polygon, distance sort): `total` and the facet"
        " counts are Meilisearch's estimate, which may count a duct or cable once per ~1 km cell; also"
        " False when a degraded search stopped at the first 2,000 rows",
    )
    facets: dict[str, dict[str, int]] = Field(
        description="Counts per value of kind, status, owner_industry, district_code, visibility"
    )
    degraded: bool = Field(
        description="True when Meilisearch was unreachable and the database answered (no facets, simple text match)"
    )


class ScoreFactor(BaseModel):
    factor: Literal["distance", "capacity", "readiness", "kind", "text"]
    score: float = Field(ge=0, le=1)
    weight: float
    explanation: str


class Match(BaseModel):
    asset: AssetRead
    score: float = Field(ge=0, le=1, description="Weighted sum of the factors")
    distance_m: float
    factors: list[ScoreFactor]


class MatchList(BaseModel):
    need_id: str
    matches: list[Match]
    degraded: bool


class PlannedWork(BaseModel):
    asset: AssetRead = Field(
        description="A planned reserved-space asset (new metro line, tunnel, bridge, road)"
    )
    interested_operators: int = Field(
        description="Distinct organisations with a published co_build need it could serve, or a live request on it"
    )
    co_build_needs: int = Field(description="Published or matched co_build needs within their reach of it")
    live_requests: int = Field(description="Requests on it that are open, accepted or active")


class NeedHit(BaseModel):
    need: NeedRead
    distance_m: float | None = Field(
        description="From the search point to the need's location (its point, or the nearest part of its route)"
    )


class NeedSearchPage(Page[NeedHit]):
    total: int = Field(description="Needs matching, among those you may see")
    facets: dict[str, dict[str, int]] = Field(
        description="Counts per value of status, kinds, purpose, mode, industry, district_code"
    )
    degraded: bool = Field(
        description="True when Meilisearch was unreachable and the database answered (no facets, simple text match)"
    )
