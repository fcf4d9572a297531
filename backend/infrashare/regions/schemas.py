"""Region bodies."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class RegionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    code: str
    name: str
    short_name: str
    pinyin: str
    level: str
    parent_code: str | None
    lon: float | None
    lat: float | None


class RegionDetail(RegionRead):
    ancestors: list[RegionRead]
    children: list[RegionRead]


class RegionSearchResult(BaseModel):
    hits: list[RegionRead]
    total: int
    degraded: bool = Field(description="True when Meilisearch was unreachable and the database answered.")
