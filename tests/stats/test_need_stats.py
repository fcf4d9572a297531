"""Need statistics against a hand-computed fixture with controlled timestamps.

| # | org     | region            | kinds                  | submitted | published | matched | status    |
|---|---------|-------------------|------------------------|-----------|-----------|---------|-----------|
| 1 | mobile  | 福田 440304       | tower                  | d0        | d0+2      | d0+12   | matched   |
| 2 | mobile  | 南山 440305       | tower, pole            | d0        | d0+4      |         | published |
| 3 | unicom  | 南头街道 440305001 | duct                   | d0+1      | d0+2      | d0+4    | fulfilled |
| 4 | power   | 罗湖 440303       | machine_room           | d0+3      |           |         | submitted |
| 5 | metro   | 福田 440304       | duct, reserved_space   | d0+5      |           |         | returned  |
| 6 | mobile  | 福田 440304       | tower                  |           |           |         | draft     |
| 7 | unicom  | 罗湖 440303       | cable                  | d0+3      | d0+6      |         | withdrawn |

Shenzhen-wide: 6 needs (the draft never counts); days to publish 2, 4, 1, 3 → median 2.5; days to
match 10, 2 → median 6; match rate 2 of 4 published = 0.5.
南山 only (needs 2, 3): days to publish 4, 1 → 2.5; to match 2 → 2; match rate 1 of 2 = 0.5.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import delete, select

from infrashare.accounts.models import Organisation
from infrashare.core.db import open_database
from infrashare.needs.models import Need, NeedKind, NeedMode, NeedPurpose, NeedStatus
from infrashare.stats import service as stats_service
from tests.needs.helpers import Actors, principal_for
from tests.sessions import Client

D0 = datetime(2026, 10, 1, 8, 0, tzinfo=UTC)
ORGS = {
    "mobile": "中国移动深圳分公司（演示）",
    "unicom": "中国联通深圳分公司（演示）",
    "power": "深圳供电局（演示）",
    "metro": "深圳地铁集团（演示）",
}
FIXTURE: list[tuple[str, str, list[str], int | None, int | None, int | None, NeedStatus]] = [
    ("mobile", "440304", ["tower"], 0, 2, 12, NeedStatus.MATCHED),
    ("mobile", "440305", ["tower", "pole"], 0, 4, None, NeedStatus.PUBLISHED),
    ("unicom", "440305001", ["duct"], 1, 2, 4, NeedStatus.FULFILLED),
    ("power", "440303", ["machine_room"], 3, None, None, NeedStatus.SUBMITTED),
    ("metro", "440304", ["duct", "reserved_space"], 5, None, None, NeedStatus.RETURNED),
    ("mobile", "440304", ["tower"], None, None, None, NeedStatus.DRAFT),
    ("unicom", "440303", ["cable"], 3, 6, None, NeedStatus.WITHDRAWN),
]


def _at(days: int | None) -> datetime | None:
    return None if days is None else D0 + timedelta(days=days)


@pytest.fixture
async def fixture_needs(database_url: str) -> None:
    """Only the fixture's needs: the demo seed's are removed first."""
    database = open_database(database_url)
    async with database.writer() as db:
        await db.execute(delete(Need))
        org_ids = dict((await db.execute(select(Organisation.name, Organisation.id))).tuples().all())
        for index, (org, region, kinds, submitted, published, matched, status) in enumerate(FIXTURE, start=1):
            db.add(
                Need(
                    organisation_id=org_ids[ORGS[org]],
                    title=f"统计样例 {index}",
                    purpose=NeedPurpose.MACRO_SITE,
                    mode=NeedMode.SHARE,
                    geometry={"type": "Point", "coordinates": [114.0, 22.5]},
                    radius_m=500,
                    lon=114.0,
                    lat=22.5,
                    min_lon=114.0,
                    min_lat=22.5,
                    max_lon=114.0,
                    max_lat=22.5,
                    region_code=region,
                    quantity=1,
                    needed_by=date(2027, 12, 31),
                    status=status,
                    status_changed_at=D0,
                    submitted_at=_at(submitted),
                    last_submitted_at=_at(submitted),
                    published_at=_at(published),
                    matched_at=_at(matched),
                    created_at=D0,
                    updated_at=D0,
                    kinds=[NeedKind(kind=kind) for kind in kinds],
                )
            )
        await db.commit()
    await database.dispose()


def _pairs(series: dict[str, Any]) -> dict[str, int]:
    return dict(zip(series["keys"], series["values"], strict=True))


async def test_city_regulator_statistics_match_the_hand_computed_fixture(
    client: Client, fixture_needs: None
) -> None:
    await Actors(client).use("reviewer@sz-ca.example")
    response = await client.get("/api/v1/stats/needs")
    assert response.status_code == 200, response.text
    stats = response.json()
    assert stats["total"] == 6
    assert _pairs(stats["by_status"]) == {
        "submitted": 1,
        "returned": 1,
        "published": 1,
        "matched": 1,
        "fulfilled": 1,
        "withdrawn": 1,
        "expired": 0,
    }
    assert _pairs(stats["by_kind"]) == {
        "tower": 2,
        "pole": 1,
        "duct": 2,
        "cable": 1,
        "machine_room": 1,
        "reserved_space": 1,
    }
    assert _pairs(stats["by_industry"]) == {"telecom": 4, "power": 1, "rail_metro": 1}
    assert stats["by_industry"]["keys"] == ["telecom", "power", "rail_metro"]  # largest first
    assert _pairs(stats["by_district"]) == {"440303": 2, "440304": 2, "440305": 2}
    assert stats["by_district"]["labels"] == ["罗湖区", "福田区", "南山区"]
    assert _pairs(stats["by_month"]) == {"2026-10": 6}
    assert _pairs(stats["published_by_month"]) == {"2026-10": 4}
    assert stats["published_count"] == 4 and stats["matched_count"] == 2
    assert stats["match_rate"] == 0.5
    assert stats["median_days_submitted_to_published"] == 2.5
    assert stats["median_days_published_to_matched"] == 6.0


async def test_statistics_stay_in_the_regulators_jurisdiction(client: Client, fixture_needs: None) -> None:
    await Actors(client).use("reviewer@ns-iit.example")
    stats = (await client.get("/api/v1/stats/needs")).json()
    assert stats["total"] == 2
    assert _pairs(stats["by_district"]) == {"440305": 2}
    assert stats["median_days_submitted_to_published"] == 2.5
    assert stats["median_days_published_to_matched"] == 2.0
    assert stats["match_rate"] == 0.5
    # Asking for another district gives nothing of it.
    assert (await client.get("/api/v1/stats/needs", params={"region": "440304"})).json()["total"] == 0


async def test_platform_admins_see_everywhere_and_operators_nothing(
    client: Client, fixture_needs: None
) -> None:
    actors = Actors(client)
    await actors.use("admin@platform.example")
    stats = (await client.get("/api/v1/stats/needs", params={"region": "440304"})).json()
    assert stats["scope"] is None or "440304" in stats["scope"]
    assert stats["total"] == 2 and stats["median_days_submitted_to_published"] == 2.0
    await actors.use("admin@mobile.example")
    assert (await client.get("/api/v1/stats/needs")).status_code == 403
    assert (await client.get("/api/v1/stats/needs.csv")).status_code == 403


async def test_statistics_as_csv(client: Client, fixture_needs: None) -> None:
    await Actors(client).use("reviewer@sz-transport.example")
    response = await client.get("/api/v1/stats/needs.csv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "Generated at"
    table = {(row[0], row[1]): row[3] for row in rows[4:] if len(row) == 4}
    assert table[("by_status", "matched")] == "1"
    assert table[("by_district", "440305")] == "2"
    assert table[("summary", "median_days_published_to_matched")] == "6.0"
    assert table[("summary", "match_rate")] == "0.5"


async def test_needs_awaiting_review_by_age_with_a_controlled_clock(
    database_url: str, fixture_needs: None
) -> None:
    """Only need 4 is submitted now, since d0+3: at d0+10 it has waited 7 days; at d0+30, 27."""
    database = open_database(database_url)
    async with database.reader() as db:
        regulator = await principal_for(db, "reviewer@sz-ca.example")
        week = await stats_service.need_stats(db, regulator, now=D0 + timedelta(days=10))
        month = await stats_service.need_stats(db, regulator, now=D0 + timedelta(days=30))
    await database.dispose()
    assert dict(zip(week.awaiting_review.keys, week.awaiting_review.values, strict=True)) == {
        "0-3": 0,
        "4-7": 1,
        "8-14": 0,
        "15+": 0,
    }
    assert week.oldest_awaiting_review_days == 7.0
    assert month.awaiting_review.values == [0, 0, 0, 1] and month.oldest_awaiting_review_days == 27.0
