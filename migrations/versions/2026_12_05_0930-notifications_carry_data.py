"""Notifications carry data, not sentences: the event's parameters replace the written title.

Revision ID: 0017_notification_data
Revises: 0016_import_job_leases
Create Date: 2026-12-05 09:30:00+00:00

Existing rows are converted best effort: a request's title (``收到共享申请 New sharing request:
福田站旁铁塔 × 2 mounting_positions``) gives back ``asset_name``, ``units`` and ``capacity_unit``;
a match's (``… : 需求 ← 资产 (120 m)``) gives ``need_title``, ``asset_name`` and the distance.
A title neither shape reads keeps its sentence as ``{"text": …}``. Going down writes titles in
the old bilingual form from the parameters.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0017_notification_data"
down_revision: str | None = "0016_import_job_leases"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON_DOCUMENT = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
REQUEST_TITLE = re.compile(r": (?P<asset_name>.*) × (?P<units>\d+) (?P<capacity_unit>\S+)$")
MATCH_TITLE = re.compile(r": (?P<need_title>.*) ← (?P<asset_name>.*) \((?P<how_far>[^()]*)\)$")
EXACT = re.compile(r"^(\d+) m$")
# The sentences of revision 0016, for going down (the app no longer writes any).
OLD_REQUEST_TITLE = "{event}: {asset_name} × {units} {capacity_unit}"
OLD_MATCH_TITLE = "新的匹配资产 New match for your need: {need_title} ← {asset_name} ({how_far})"


def params_of(event: str, title: str) -> dict[str, Any]:
    """The parameters a title of the old release was written from, or the title itself."""
    if event.startswith("sharing_request.") and (found := REQUEST_TITLE.search(title)):
        return {
            "asset_name": found["asset_name"],
            "units": int(found["units"]),
            "capacity_unit": found["capacity_unit"],
        }
    if event == "match.new" and (found := MATCH_TITLE.search(title)):
        exact = EXACT.match(found["how_far"])
        return {
            "need_title": found["need_title"],
            "asset_name": found["asset_name"],
            "distance_m": int(exact[1]) if exact else None,
            "location_precision": "exact" if exact else "approx_1km",
        }
    return {"text": title}


def title_of(event: str, params: dict[str, Any]) -> str:
    if "text" in params:
        return str(params["text"])[:300]
    if event == "match.new":
        distance = params.get("distance_m")
        how_far = f"{distance} m" if distance is not None else "位置约 1 km 精度 location to ~1 km"
        return OLD_MATCH_TITLE.format(how_far=how_far, **params)[:300]
    return OLD_REQUEST_TITLE.format(event=event, **params)[:300]


def upgrade() -> None:
    with op.batch_alter_table("notifications") as batch:
        batch.add_column(sa.Column("params", JSON_DOCUMENT, nullable=False, server_default="{}"))
    with op.batch_alter_table("notifications") as batch:
        batch.alter_column("params", server_default=None)
    notifications = sa.table(
        "notifications",
        sa.column("id", sa.Uuid()),
        sa.column("event", sa.String),
        sa.column("title", sa.String),
        sa.column("params", JSON_DOCUMENT),
    )
    bind = op.get_bind()
    rows = bind.execute(sa.select(notifications.c.id, notifications.c.event, notifications.c.title)).all()
    for row in rows:
        bind.execute(
            notifications.update()
            .where(notifications.c.id == row.id)
            .values(params=params_of(row.event, row.title))
        )
    with op.batch_alter_table("notifications") as batch:
        batch.drop_column("title")


def downgrade() -> None:
    with op.batch_alter_table("notifications") as batch:
        batch.add_column(sa.Column("title", sa.String(length=300), nullable=False, server_default=""))
    with op.batch_alter_table("notifications") as batch:
        batch.alter_column("title", server_default=None)
    notifications = sa.table(
        "notifications",
        sa.column("id", sa.Uuid()),
        sa.column("event", sa.String),
        sa.column("title", sa.String),
        sa.column("params", JSON_DOCUMENT),
    )
    bind = op.get_bind()
    rows = bind.execute(sa.select(notifications.c.id, notifications.c.event, notifications.c.params)).all()
    for row in rows:
        bind.execute(
            notifications.update()
            .where(notifications.c.id == row.id)
            .values(title=title_of(row.event, dict(row.params or {})))
        )
    with op.batch_alter_table("notifications") as batch:
        batch.drop_column("params")
