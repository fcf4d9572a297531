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
OLD_EVENT_TITLES = {
    "sharing_request.created": "收到共享申请 New sharing request",
    "sharing_request.accept": "申请已被接受 Request accepted",
    "sharing_request.reject": "申请被拒绝 Request rejected",
    "sharing_request.counter": "对方提出反报价 Counter-proposal received",
    "sharing_request.withdraw": "申请已撤回 Request withdrawn",
    "sharing_request.accept_counter": "反报价已被接受 Counter-proposal accepted",
    "sharing_request.reject_counter": "反报价被拒绝 Counter-proposal rejected",
    "sharing_request.refer": "提交监管审批 Sent for regulator review",
    "sharing_request.activate": "协议生效 Agreement active",
    "sharing_request.approve": "监管批准，协议生效 Approved by the regulator; agreement active",
    "sharing_request.refuse": "监管不予批准 Refused by the regulator",
    "sharing_request.escalate": "申请方提起争议 Dispute raised",
    "sharing_request.uphold": "争议裁定：维持拒绝 Dispute decided: rejection upheld",
    "sharing_request.order_acceptance": "争议裁定：责令接受 Dispute decided: acceptance ordered",
    "sharing_request.terminate": "协议已终止 Agreement terminated",
    "sharing_request.expire": "协议已到期 Agreement expired",
}
OLD_REQUEST_TITLE = "{title}: {asset_name} × {units} {capacity_unit}"
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
    title = OLD_EVENT_TITLES.get(event, event)
    return OLD_REQUEST_TITLE.format(title=title, **params)[:300]


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
