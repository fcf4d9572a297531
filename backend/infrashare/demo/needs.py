"""Demo needs: about 40 co-construction and sharing needs across Shenzhen's districts.

Mostly telecom operators (5G macro sites, small cells, fibre routes, edge computing rooms), some
from the power grid and the metro, in every review state: drafts, submitted and awaiting review,
returned with a reason, published, a few matched or fulfilled. Each goes through the services as
its organisation's admin and the city's communications administration, so the event log and the
milestone times are real; times are spread over the last months for the statistics.

Idempotent: a need whose title its organisation already has is skipped.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from infrashare.accounts.models import Membership, Organisation, User
from infrashare.accounts.service import principal_jurisdiction
from infrashare.core.clock import utc_now
from infrashare.core.principal import Principal
from infrashare.needs import service, workflow
from infrashare.needs.models import Need, NeedMode, NeedPurpose
from infrashare.needs.schemas import NeedCreate, NeedUpdate

REVIEWER = "reviewer@sz-ca.example"

# District code -> (name, centre lon, centre lat, places).
DISTRICTS: dict[str, tuple[str, float, float, list[str]]] = {
    "440303": ("罗湖", 114.1264, 22.5511, ["东门商圈", "罗湖口岸", "莲塘"]),
    "440304": ("福田", 114.0500, 22.5243, ["福田CBD", "华强北", "香蜜湖", "车公庙"]),
    "440305": ("南山", 113.9256, 22.5363, ["科技园", "后海", "蛇口", "西丽", "前海"]),
    "440306": ("宝安", 113.8789, 22.5580, ["宝安中心区", "机场东", "沙井", "福永"]),
    "440307": ("龙岗", 114.2421, 22.7238, ["大运新城", "坂田", "布吉", "平湖"]),
    "440308": ("盐田", 114.2319, 22.5599, ["盐田港", "大梅沙"]),
    "440309": ("龙华", 114.0310, 22.6828, ["深圳北站", "观澜", "民治"]),
    "440310": ("坪山", 114.3700, 22.7041, ["坪山中心区", "坑梓"]),
    "440311": ("光明", 113.9312, 22.7646, ["光明科学城", "公明"]),
}
STREETS = {
    "440305": ["440305007", "440305009"],
    "440304": ["440304011", "440304008"],
}  # 粤海, 西丽; 华强北, 莲花

RETURN_REASONS = [
    "位置描述不清，请补充坐标和需求半径。",
    "需求数量与用途不符，请核实挂载数量。",
    "需求日期过近，请说明紧急原因或调整日期。",
    "请补充与已发布规划的衔接说明。",
    "同一位置已有发布的需求，请合并后重新提交。",
]


@dataclass(frozen=True)
class Template:
    org: str  # demo slug
    purpose: NeedPurpose
    kinds: tuple[str, ...]
    title: str  # {place}
    quantity: tuple[int, int]
    route: bool = False
    mode: NeedMode = NeedMode.SHARE


TEMPLATES = [
    Template("mobile", NeedPurpose.MACRO_SITE, ("tower",), "{place} 5G 宏站挂高", (1, 3)),
    Template(
        "unicom", NeedPurpose.MACRO_SITE, ("tower", "machine_room"), "{place} 5G 宏站共享铁塔及机房", (1, 2)
    ),
    Template("telecom", NeedPurpose.SMALL_CELL, ("pole",), "{place} 5G 微站灯杆挂载", (4, 20)),
    Template("mobile", NeedPurpose.SMALL_CELL, ("pole", "tower"), "{place} 室外微站补盲", (3, 12)),
    Template(
        "unicom", NeedPurpose.FIBRE_ROUTE, ("duct", "cable"), "{place} 主干光缆管道路由", (2, 6), route=True
    ),
    Template("telecom", NeedPurpose.FIBRE_ROUTE, ("duct",), "{place} 接入光缆子管", (1, 4), route=True),
    Template("mobile", NeedPurpose.EDGE_COMPUTING_ROOM, ("machine_room",), "{place} 边缘计算机房", (2, 8)),
    Template(
        "telecom", NeedPurpose.EDGE_COMPUTING_ROOM, ("machine_room",), "{place} MEC 边缘节点机柜", (4, 10)
    ),
    Template("tower", NeedPurpose.POWER_SUPPLY, ("machine_room",), "{place} 基站电力引入及备电", (1, 3)),
    Template(
        "power", NeedPurpose.FIBRE_ROUTE, ("duct", "cable"), "{place} 配网自动化光纤通道", (2, 8), route=True
    ),
    Template("power", NeedPurpose.OTHER, ("tower", "pole"), "{place} 输电线路监测终端挂载", (5, 30)),
    Template("metro", NeedPurpose.OTHER, ("tower",), "{place} 地铁专用无线通信基站", (1, 4)),
    Template(
        "metro",
        NeedPurpose.FIBRE_ROUTE,
        ("reserved_space",),
        "{place} 地铁新线通信预留空间共建",
        (2, 6),
        route=True,
        mode=NeedMode.CO_BUILD,
    ),
]

# 40 needs: (template index, district, final state). Telecom operators dominate.
STATES = (
    ["draft"] * 6
    + ["submitted"] * 8
    + ["returned"] * 5
    + ["published"] * 15
    + ["matched"] * 4
    + ["fulfilled"] * 2
)


async def _principal(db: AsyncSession, email: str) -> Principal:
    user, membership, organisation = (
        await db.execute(
            select(User, Membership, Organisation)
            .join(Membership, Membership.user_id == User.id)
            .join(Organisation, Organisation.id == Membership.organisation_id)
            .where(User.email == email)
        )
    ).one()
    return Principal(
        user_id=user.id,
        organisation_id=organisation.id,
        organisation_kind=organisation.kind,
        role=membership.role,
        jurisdiction=await principal_jurisdiction(db, organisation.id, organisation.kind),
    )


def _geometry(rng: random.Random, lon: float, lat: float, route: bool) -> dict[str, Any]:
    lon, lat = lon + rng.uniform(-0.02, 0.02), lat + rng.uniform(-0.015, 0.015)
    if not route:
        return {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]}
    heading = rng.uniform(-0.01, 0.01)
    points = [[round(lon + 0.008 * i, 6), round(lat + heading * i, 6)] for i in range(4)]
    return {"type": "LineString", "coordinates": points}


def _body(rng: random.Random, index: int, template: Template, district: str, today: date) -> dict[str, Any]:
    name, lon, lat, places = DISTRICTS[district]
    place = places[index % len(places)]
    region = district
    if district in STREETS and index % 3 == 0:
        region = STREETS[district][index % len(STREETS[district])]
    geometry = _geometry(rng, lon, lat, template.route)
    return {
        "title": template.title.format(place=place if place.startswith(name) else f"{name}{place}"),
        "purpose": template.purpose,
        "mode": template.mode,
        "wanted_kinds": list(template.kinds),
        "geometry": geometry,
        "radius_m": None if template.route else rng.choice([100, 200, 300, 500, 800, 1000]),
        "corridor_m": rng.choice([10, 20, 30, 50]) if template.route else None,
        "region_code": region,
        "quantity": rng.randint(*template.quantity),
        "needed_by": today + timedelta(days=rng.randint(45, 400)),
        "description": f"{name}区{place}区域{template.purpose.value}需求，演示数据。",
        "contact_name": "演示联系人",
        "contact_phone": f"0755-8{rng.randint(1000000, 9999999)}",
    }


async def seed_needs(db: AsyncSession, now: datetime | None = None) -> int:
    """Creates the demo needs that are missing; returns how many were created."""
    now = now or utc_now()
    rng = random.Random(20261125)  # noqa: S311 - demo data, not secrets
    reviewer = await _principal(db, REVIEWER)
    principals: dict[str, Principal] = {}
    districts = list(DISTRICTS)
    created = 0
    for index, state in enumerate(STATES):
        template = TEMPLATES[(index * 5) % len(TEMPLATES)]
        district = districts[(index * 7 + index // len(districts)) % len(districts)]
        start = now - timedelta(days=rng.randint(20, 150), hours=rng.randint(0, 23))
        body = _body(rng, index, template, district, start.date())
        body["needed_by"] = max(body["needed_by"], now.date() + timedelta(days=30))
        email = f"admin@{template.org}.example"
        if email not in principals:
            principals[email] = await _principal(db, email)
        requester = principals[email]
        exists = await db.scalar(
            select(Need.id).where(
                Need.organisation_id == requester.organisation_id, Need.title == body["title"]
            )
        )
        if exists:
            continue
        await _play(db, requester, reviewer, NeedCreate.model_validate(body), state, start, rng)
        created += 1
    return created


async def _play(
    db: AsyncSession,
    requester: Principal,
    reviewer: Principal,
    data: NeedCreate,
    state: str,
    start: datetime,
    rng: random.Random,
) -> None:
    """Walks one need from draft to ``state`` with plausible gaps between the steps."""
    clock, end = start, utc_now()

    def later(low: float, high: float) -> datetime:
        nonlocal clock
        clock = min(clock + timedelta(hours=rng.uniform(low * 24, high * 24)), end)
        return clock

    need_id = (await service.create_need(db, requester, data, now=clock)).need.id
    if state == "draft":
        return
    await workflow.submit_need(db, requester, need_id, now=later(0.2, 3))
    if state == "submitted":
        return
    if state == "returned" or rng.random() < 0.25:
        reason = rng.choice(RETURN_REASONS)
        await workflow.return_need(db, reviewer, need_id, reason, now=later(1, 6))
        if state == "returned":
            return
        await service.update_need(db, requester, need_id, _fixed(data), now=later(0.5, 4))
        await workflow.resubmit_need(db, requester, need_id, now=later(0, 1))
    await workflow.publish_need(db, reviewer, need_id, now=later(1, 8))
    if state == "published":
        return
    await workflow.match_need(db, requester, need_id, now=later(5, 30))
    if state == "fulfilled":
        await workflow.fulfil_need(db, requester, need_id, now=later(5, 20))


def _fixed(data: NeedCreate) -> NeedUpdate:
    return NeedUpdate(description=data.description + " 已按审核意见补充位置与数量说明。")
