"""Statistics bodies: every breakdown is a series (keys, labels, values) a chart can plot as is."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field


class Series(BaseModel):
    name: str
    keys: list[str]
    labels: list[str]
    values: list[int]


class NeedStats(BaseModel):
    generated_at: datetime
    scope: list[str] | None = Field(
        description="Region codes in scope (descendants included); null: everywhere"
    )
    region: str | None = Field(description="The region filter asked for, if any")
    total: int = Field(description="Needs ever submitted in scope (drafts are the operators' own business)")
    by_status: Series
    by_kind: Series = Field(description="A need wanting several kinds counts once under each")
    by_industry: Series = Field(description="Requesting organisation's industry")
    by_district: Series = Field(description="County-level division (district) of the need's region")
    by_month: Series = Field(description="First submissions per month (UTC)")
    published_by_month: Series = Field(description="Publications per month (UTC)")
    awaiting_review: Series = Field(
        description="Needs submitted now, by days since their latest (re)submission: 0-3, 4-7, 8-14, 15+"
    )
    oldest_awaiting_review_days: float | None
    published_count: int = Field(description="Needs ever published")
    matched_count: int = Field(description="Of those, needs ever matched")
    match_rate: float | None = Field(description="matched_count / published_count, 4 decimals")
    median_days_submitted_to_published: float | None = Field(
        description="From the first submission to publication (returns and fixes included), 2 decimals"
    )
    median_days_published_to_matched: float | None
