"""Statistics for regulators, scoped to their jurisdiction (platform admins: everywhere).

Counts cover needs ever submitted: drafts are their organisation's own business. The rows in
scope are read once and counted here, so the medians work the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

import statistics
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from infrashare.accounts.models import Industry, Organisation
from infrashare.agreements.lifecycle import OWNER_ANSWER_STATES, REGULATOR_STATES
from infrashare.agreements.models import RequestStatus, SharingRequest
from infrashare.assets.models import Asset, AssetKind
from infrashare.core.clock import utc_now
from infrashare.core.errors import FieldError, InvalidInput, PermissionDenied
from infrashare.core.principal import Principal, Role
from infrashare.needs.models import Need, NeedKind, NeedStatus
from infrashare.regions.models import Region
from infrashare.regions.service import descendant_codes
from infrashare.stats.schemas import NeedStats, Series

STATUS_ORDER = [s for s in NeedStatus if s != NeedStatus.DRAFT]
SECONDS_PER_DAY = 86_400


@dataclass(frozen=True)
class NeedFacts:
    id: uuid.UUID
    status: NeedStatus
    region_code: str
    industry: Industry
    submitted_at: datetime
    last_submitted_at: datetime | None
    published_at: datetime | None
    matched_at: datetime | None


async def scope_codes(db: AsyncSession, principal: Principal, region: str | None) -> set[str] | None:
    """The region codes a caller's statistics cover; None means everywhere (platform admins)."""
    if principal.role not in (Role.REGULATOR, Role.PLATFORM_ADMIN):
        raise PermissionDenied("Statistics are for regulators and platform admins.")
    scope = None
    if principal.role == Role.REGULATOR:
        scope = set(principal.jurisdiction.codes)
    if region:
        if await db.get(Region, region) is None:
            raise InvalidInput(f"Unknown region {region}.", errors=[FieldError("region", "unknown region")])
        wanted = await descendant_codes(db, [region])
        scope = wanted if scope is None else scope & wanted
    return scope


async def _facts(db: AsyncSession, scope: set[str] | None) -> tuple[list[NeedFacts], Counter[AssetKind]]:
    query = (
        select(
            Need.id,
            Need.status,
            Need.region_code,
            Organisation.industry,
            Need.submitted_at,
            Need.last_submitted_at,
            Need.published_at,
            Need.matched_at,
        )
        .join(Organisation, Organisation.id == Need.organisation_id)
        .where(Need.submitted_at.is_not(None))
    )
    kinds_query = (
        select(NeedKind.kind).join(Need, Need.id == NeedKind.need_id).where(Need.submitted_at.is_not(None))
    )
    if scope is not None:
        query = query.where(Need.region_code.in_(scope))
        kinds_query = kinds_query.where(Need.region_code.in_(scope))
    facts = [
        NeedFacts(need_id, status, code, industry, submitted, last_submitted, published, matched)
        for need_id, status, code, industry, submitted, last_submitted, published, matched in (
            await db.execute(query)
        )
        if submitted is not None  # always, by the query; this tells the type checker
    ]
    kinds = Counter((await db.scalars(kinds_query)).all())
    return facts, kinds


def district_of(code: str) -> str:
    """The county-level code of a region (street codes have 9 digits, their district the first 6)."""
    return code[:6]


@dataclass(frozen=True)
class AgreementFacts:
    by_status: Counter[str]
    overdue_owner_answers: int
    overdue_regulator_reviews: int


async def _agreement_facts(db: AsyncSession, scope: set[str] | None, now: datetime) -> AgreementFacts:
    """Counts in SQL: requests on assets in scope, by state and past their deadlines."""
    owner_late = SharingRequest.status.in_(OWNER_ANSWER_STATES) & (SharingRequest.owner_due_at < now)
    regulator_late = SharingRequest.status.in_(REGULATOR_STATES) & (SharingRequest.review_due_at < now)
    query = select(
        SharingRequest.status,
        func.count(),
        func.count().filter(owner_late),
        func.count().filter(regulator_late),
    ).join(Asset, Asset.id == SharingRequest.asset_id)
    if scope is not None:
        query = query.where(Asset.region_code.in_(sorted(scope)))
    rows = (await db.execute(query.group_by(SharingRequest.status))).all()
    return AgreementFacts(
        Counter({status.value: count for status, count, _, _ in rows}),
        sum(owner for _, _, owner, _ in rows),
        sum(regulator for _, _, _, regulator in rows),
    )


def _median_days(spans: list[float]) -> float | None:
    return round(statistics.median(spans) / SECONDS_PER_DAY, 2) if spans else None


def _series(name: str, counts: Counter[str], keys: list[str], labels: dict[str, str] | None = None) -> Series:
    labels = labels or {}
    return Series(
        name=name, keys=keys, labels=[labels.get(k, k) for k in keys], values=[counts.get(k, 0) for k in keys]
    )


AGE_BUCKETS = [("0-3", 3), ("4-7", 7), ("8-14", 14), ("15+", None)]


def _age_bucket(days: int) -> str:
    return next(key for key, upper in AGE_BUCKETS if upper is None or days <= upper)


async def need_stats(
    db: AsyncSession, principal: Principal, region: str | None = None, now: datetime | None = None
) -> NeedStats:
    now = now or utc_now()
    scope = await scope_codes(db, principal, region)
    facts, kinds = await _facts(db, scope)
    agreements = await _agreement_facts(db, scope, now)
    by_status = Counter(f.status.value for f in facts)
    by_industry = Counter(f.industry.value for f in facts)
    by_district = Counter(district_of(f.region_code) for f in facts)
    by_month = Counter(f.submitted_at.strftime("%Y-%m") for f in facts)
    published_by_month = Counter(f.published_at.strftime("%Y-%m") for f in facts if f.published_at)
    names = dict(
        (await db.execute(select(Region.code, Region.name).where(Region.code.in_(by_district)))).all()
    )
    waiting = [
        (now - (f.last_submitted_at or f.submitted_at)).total_seconds()
        for f in facts
        if f.status == NeedStatus.SUBMITTED
    ]
    by_age = Counter(_age_bucket(int(seconds // SECONDS_PER_DAY)) for seconds in waiting)
    published = [f for f in facts if f.published_at is not None]
    matched = [f for f in published if f.matched_at is not None]
    to_publish = [(f.published_at - f.submitted_at).total_seconds() for f in published if f.published_at]
    to_match = [
        (f.matched_at - f.published_at).total_seconds() for f in matched if f.matched_at and f.published_at
    ]
    return NeedStats(
        generated_at=now,
        scope=sorted(scope) if scope is not None else None,
        region=region,
        total=len(facts),
        by_status=_series("by_status", by_status, [s.value for s in STATUS_ORDER]),
        by_kind=_series(
            "by_kind", Counter({k.value: n for k, n in kinds.items()}), [k.value for k in AssetKind]
        ),
        by_industry=_series(
            "by_industry", by_industry, sorted(by_industry, key=lambda k: (-by_industry[k], k))
        ),
        by_district=_series("by_district", by_district, sorted(by_district), names),
        by_month=_series("by_month", by_month, sorted(by_month)),
        published_by_month=_series("published_by_month", published_by_month, sorted(published_by_month)),
        awaiting_review=_series("awaiting_review", by_age, [key for key, _ in AGE_BUCKETS]),
        oldest_awaiting_review_days=round(max(waiting) / SECONDS_PER_DAY, 2) if waiting else None,
        published_count=len(published),
        matched_count=len(matched),
        match_rate=round(len(matched) / len(published), 4) if published else None,
        median_days_submitted_to_published=_median_days(to_publish),
        median_days_published_to_matched=_median_days(to_match),
        agreements_by_status=_series(
            "agreements_by_status", agreements.by_status, [status.value for status in RequestStatus]
        ),
        overdue_owner_answers=agreements.overdue_owner_answers,
        overdue_regulator_reviews=agreements.overdue_regulator_reviews,
    )


def stats_csv_rows(stats: NeedStats) -> list[list[str]]:
    """One table for spreadsheets: ``series, key, label, value``, after a generated-at line."""
    rows = [
        ["Generated at", stats.generated_at.isoformat(timespec="seconds")],
        ["Region", stats.region or "all in scope"],
        [],
    ]
    rows.append(["series", "key", "label", "value"])
    for series in (
        stats.by_status,
        stats.by_kind,
        stats.by_industry,
        stats.by_district,
        stats.by_month,
        stats.published_by_month,
        stats.awaiting_review,
        stats.agreements_by_status,
    ):
        rows += [
            [series.name, k, label, str(v)]
            for k, label, v in zip(series.keys, series.labels, series.values, strict=True)
        ]
    for name in (
        "total",
        "published_count",
        "matched_count",
        "match_rate",
        "median_days_submitted_to_published",
        "median_days_published_to_matched",
        "oldest_awaiting_review_days",
        "overdue_owner_answers",
        "overdue_regulator_reviews",
    ):
        value = getattr(stats, name)
        rows.append(["summary", name, name, "" if value is None else str(value)])
    return rows
