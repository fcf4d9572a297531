"""Migration 0017 turns the old written titles into parameters, and back, on both databases."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

from alembic import command
from sqlalchemy import Engine, create_engine, text

from infrashare.cli import _alembic_config
from infrashare.core.db import sync_url

BEFORE = "0016_import_job_leases"
AFTER = "0017_notification_data"

# Titles as the release before 0017 wrote them, and the parameters each must become.
OLD_ROWS: list[tuple[str, str, dict[str, Any]]] = [
    (
        "sharing_request.created",
        "收到共享申请 New sharing request: 福田站旁铁塔 × 2 mounting_positions",
        {"asset_name": "福田站旁铁塔", "units": 2, "capacity_unit": "mounting_positions"},
    ),
    (
        "sharing_request.approve",
        "监管批准，协议生效 Approved by the regulator; agreement active: 管道 A: 东段 × 12 bores",
        {"asset_name": "管道 A: 东段", "units": 12, "capacity_unit": "bores"},
    ),
    (
        "match.new",
        "新的匹配资产 New match for your need: 南山宏站 ← 附近铁塔 (250 m)",
        {
            "need_title": "南山宏站",
            "asset_name": "附近铁塔",
            "distance_m": 250,
            "location_precision": "exact",
        },
    ),
    (
        "match.new",
        "新的匹配资产 New match for your need: 南山宏站 ← 远处机房 (位置约 1 km 精度 location to ~1 km)",
        {
            "need_title": "南山宏站",
            "asset_name": "远处机房",
            "distance_m": None,
            "location_precision": "approx_1km",
        },
    ),
    ("sharing_request.expire", "协议已到期", {"text": "协议已到期"}),
]


def _organisation(engine: Engine) -> str:
    with engine.connect() as connection:
        return str(connection.execute(text("SELECT id FROM organisations LIMIT 1")).scalar_one())


def _params(value: Any) -> dict[str, Any]:
    return dict(json.loads(value) if isinstance(value, str) else value)


def test_titles_become_parameters_and_back(database_url: str) -> None:
    config = _alembic_config(database_url)
    engine = create_engine(sync_url(database_url))
    organisation = _organisation(engine)
    now = datetime(2026, 12, 1, tzinfo=UTC)
    command.downgrade(config, BEFORE)
    ids = [uuid.uuid4() for _ in OLD_ROWS]
    with engine.begin() as connection:
        for row_id, (event, title, _) in zip(ids, OLD_ROWS, strict=True):
            connection.execute(
                text(
                    "INSERT INTO notifications (id, organisation_id, event, title, created_at) "
                    "VALUES (:id, :organisation, :event, :title, :now)"
                ),
                {
                    "id": row_id.hex if engine.dialect.name == "sqlite" else row_id,
                    "organisation": organisation,
                    "event": event,
                    "title": title,
                    "now": now,
                },
            )

    command.upgrade(config, AFTER)
    with engine.connect() as connection:
        upgraded = {
            uuid.UUID(str(row_id)): _params(params)
            for row_id, params in connection.execute(text("SELECT id, params FROM notifications"))
        }
    assert [upgraded[row_id] for row_id in ids] == [params for _, _, params in OLD_ROWS]

    command.downgrade(config, BEFORE)
    with engine.connect() as connection:
        downgraded = {
            uuid.UUID(str(row_id)): title
            for row_id, title in connection.execute(text("SELECT id, title FROM notifications"))
        }
    assert [downgraded[row_id] for row_id in ids] == [title for _, title, _ in OLD_ROWS]
    command.upgrade(config, "head")
    engine.dispose()
