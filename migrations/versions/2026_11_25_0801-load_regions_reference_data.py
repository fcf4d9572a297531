"""Load GB/T 2260 regions (provinces, cities, counties) and Shenzhen's street-level units.

The data ships in seed/regions/ (see seed/SOURCES.md). Parents are inserted before children.

Revision ID: 0002_regions_data
Revises: 0001_accounts
Create Date: 2026-11-25 08:01:00+00:00
"""

import csv
from collections.abc import Sequence
from pathlib import Path

import sqlalchemy as sa
from alembic import op

revision: str = "0002_regions_data"
down_revision: str | None = "0001_accounts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SEED = Path(__file__).resolve().parents[2] / "seed" / "regions"
LEVEL_ORDER = {"province": 0, "city": 1, "county": 2, "street": 3}

regions = sa.table(
    "regions",
    sa.column("code", sa.String),
    sa.column("name", sa.String),
    sa.column("short_name", sa.String),
    sa.column("pinyin", sa.String),
    sa.column("level", sa.String),
    sa.column("parent_code", sa.String),
    sa.column("lon", sa.Float),
    sa.column("lat", sa.Float),
)


def _number(text: str) -> float | None:
    return float(text) if text else None


def _rows() -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for name in ("cn_regions.csv", "cn_streets_440300.csv"):
        with (SEED / name).open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                rows.append(
                    {
                        "code": row["code"],
                        "name": row["name"],
                        "short_name": row.get("short_name") or row["name"],
                        "pinyin": row.get("pinyin") or "",
                        "level": row["level"],
                        "parent_code": row["parent_code"] or None,
                        "lon": _number(row["lon"]),
                        "lat": _number(row["lat"]),
                    }
                )
    return sorted(rows, key=lambda row: (LEVEL_ORDER[str(row["level"])], str(row["code"])))


def upgrade() -> None:
    op.bulk_insert(regions, _rows())


def downgrade() -> None:
    op.execute("DELETE FROM regions")
