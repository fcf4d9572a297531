"""Search and match bodies."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from infrashare.assets.schemas import AssetRead

SortOrder = Literal["relevance", "distance", "free_capacity"]


class AssetHit(BaseModel):
    asset: AssetRead
    distance_m: float | None = Field(
        description="From the search point, to the geometry you may see (approximate for 1 km-precision assets)"
    )


class AssetSearchResult(BaseModel):
    hits: list[AssetHit]
    total: int = Field(description="Assets (not route segments) matching, among those you may see")
    page: int
    per_page: int
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
