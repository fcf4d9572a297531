"""The demo seed: Shenzhen (440300) with its real district codes, its operators and regulators.

Idempotent: organisations and users are matched by name and e-mail and created only when
missing; demo assets (demo/assets.py) are upserted by external_id. Everything goes through the services as a platform admin, so the seed obeys the same
rules (and writes the same event log) as the API.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from infrashare.accounts import service as accounts
from infrashare.accounts.models import Industry, Membership, Organisation, User
from infrashare.accounts.schemas import OrganisationCreate, UserCreate
from infrashare.agreements.models import ApprovalRule
from infrashare.agreements.rules import create_rule
from infrashare.agreements.schemas import RuleCreate
from infrashare.assets.models import AssetKind
from infrashare.core.clock import utc_now
from infrashare.core.principal import Actor, OrganisationKind, Principal, Role
from infrashare.core.settings import PROJECT_ROOT
from infrashare.demo.assets import seed_demo_assets
from infrashare.demo.models import DemoSeedRun
from infrashare.demo.needs import seed_needs

DEMO_PASSWORD = "InfraShare-demo-2026"  # noqa: S105 - printed for demo sign-ins
DEMO_CITY = "440300"
PLATFORM_NAME = "InfraShare 平台运营"


@dataclass(frozen=True)
class DemoOrganisation:
    name: str
    slug: str
    industry: Industry
    kind: OrganisationKind = OrganisationKind.OPERATOR
    jurisdiction: tuple[str, ...] = ()


ORGANISATIONS = (
    DemoOrganisation("深圳市通信管理局", "sz-ca", Industry.TELECOM, OrganisationKind.REGULATOR, (DEMO_CITY,)),
    DemoOrganisation(
        "深圳市交通运输局", "sz-transport", Industry.RAIL_METRO, OrganisationKind.REGULATOR, (DEMO_CITY,)
    ),
    DemoOrganisation(
        "南山区工业和信息化局", "ns-iit", Industry.OTHER, OrganisationKind.REGULATOR, ("440305",)
    ),
    DemoOrganisation("中国铁塔深圳分公司（演示）", "tower", Industry.TELECOM),
    DemoOrganisation("中国移动深圳分公司（演示）", "mobile", Industry.TELECOM),
    DemoOrganisation("中国联通深圳分公司（演示）", "unicom", Industry.TELECOM),
    DemoOrganisation("中国电信深圳分公司（演示）", "telecom", Industry.TELECOM),
    DemoOrganisation("深圳供电局（演示）", "power", Industry.POWER),
    DemoOrganisation("深圳地铁集团（演示）", "metro", Industry.RAIL_METRO),
    DemoOrganisation("深圳高速公路集团（演示）", "expressway", Industry.HIGHWAY),
    DemoOrganisation("深圳水务集团（演示）", "water", Industry.WATER),
    DemoOrganisation("深圳燃气集团（演示）", "gas", Industry.GAS),
    DemoOrganisation("深圳市排水管理处（演示）", "drainage", Industry.DRAINAGE),
    DemoOrganisation("深圳广电网络（演示）", "broadcast", Industry.BROADCASTING),
    DemoOrganisation("深圳市公安局科技信息化处（演示）", "police", Industry.PUBLIC_SECURITY),
)


@dataclass(frozen=True)
class DemoLogin:
    email: str
    role: Role
    organisation: str


def demo_email(local: str, slug: str) -> str:
    return f"{local}@{slug}.example"


async def ensure_platform_admin(db: AsyncSession, email: str, password: str, display_name: str) -> Principal:
    """The platform organisation and one platform admin (also used by `infrashare create-admin`)."""
    platform = await db.scalar(select(Organisation).where(Organisation.kind == OrganisationKind.PLATFORM))
    if platform is None:
        platform = Organisation(name=PLATFORM_NAME, industry=Industry.OTHER, kind=OrganisationKind.PLATFORM)
        db.add(platform)
        await db.flush()
    user = await db.scalar(select(User).where(User.email == email.lower()))
    if user is None:
        user = User(
            email=email.lower(), display_name=display_name, password_hash=accounts.hash_password(password)
        )
        db.add(user)
        await db.flush()
        db.add(Membership(user_id=user.id, organisation_id=platform.id, role=Role.PLATFORM_ADMIN))
        await db.flush()
    return Principal(
        user_id=user.id,
        organisation_id=platform.id,
        organisation_kind=OrganisationKind.PLATFORM,
        role=Role.PLATFORM_ADMIN,
    )


async def _ensure_organisation(db: AsyncSession, admin: Principal, spec: DemoOrganisation) -> Organisation:
    existing = await db.scalar(select(Organisation).where(Organisation.name == spec.name))
    if existing:
        return existing
    data = OrganisationCreate(name=spec.name, industry=spec.industry, kind=spec.kind)
    organisation = await accounts.create_organisation(db, admin, data)
    if spec.jurisdiction:
        await accounts.set_jurisdiction(db, admin, organisation.id, list(spec.jurisdiction))
    return organisation


def _users_for(spec: DemoOrganisation) -> list[tuple[str, Role, str]]:
    if spec.kind == OrganisationKind.REGULATOR:
        return [("reviewer", Role.REGULATOR, "审核员")]
    return [("admin", Role.OPERATOR_ADMIN, "管理员"), ("engineer", Role.OPERATOR_MEMBER, "工程师")]


async def _ensure_user(
    db: AsyncSession, admin: Principal, organisation: Organisation, email: str, role: Role, title: str
) -> None:
    if await db.scalar(select(User.id).where(User.email == email)):
        return
    short = re.sub(r"（演示）$", "", organisation.name)
    data = UserCreate(email=email, display_name=f"{short}{title}", password=DEMO_PASSWORD, role=role)
    await accounts.create_user(db, admin, organisation.id, data)


def demo_logins() -> list[DemoLogin]:
    """Every demo sign-in, the platform admin first (`infrashare demo-users` prints them)."""
    logins = [DemoLogin(demo_email("admin", "platform"), Role.PLATFORM_ADMIN, PLATFORM_NAME)]
    for spec in ORGANISATIONS:
        logins.extend(
            DemoLogin(demo_email(local, spec.slug), role, spec.name) for local, role, _ in _users_for(spec)
        )
    return logins


async def seed_demo(db: AsyncSession) -> list[DemoLogin]:
    admin = await ensure_platform_admin(db, demo_email("admin", "platform"), DEMO_PASSWORD, "平台管理员")
    owners: dict[str, tuple[uuid.UUID, Actor]] = {}
    for spec in ORGANISATIONS:
        organisation = await _ensure_organisation(db, admin, spec)
        for local, role, title in _users_for(spec):
            await _ensure_user(db, admin, organisation, demo_email(local, spec.slug), role, title)
        if spec.kind == OrganisationKind.OPERATOR:
            user_id = await db.scalar(select(User.id).where(User.email == demo_email("admin", spec.slug)))
            owners[spec.slug] = (organisation.id, Actor(user_id, organisation.id))
    await seed_demo_assets(db, owners)
    await seed_needs(db)
    await _ensure_demo_approval_rules(db, admin)
    await db.merge(DemoSeedRun(fingerprint=seed_fingerprint(), seeded_at=utc_now()))
    await db.flush()
    return demo_logins()


def seed_fingerprint() -> str:
    """A digest of what the seed loads: its code (this package) and its data files (seed/)."""
    digest = hashlib.sha256()
    for root in (Path(__file__).parent, PROJECT_ROOT / "seed"):
        for path in sorted(root.rglob("*")):
            if path.is_file() and path.suffix != ".pyc":
                digest.update(path.relative_to(root).as_posix().encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


async def seed_demo_if_changed(db: AsyncSession) -> bool:
    """Loads the demo seed unless this version of it is already in the database (`make run`
    starts in seconds on a seeded database); True when it loaded."""
    if await db.get(DemoSeedRun, seed_fingerprint()) is not None:
        return False
    await seed_demo(db)
    return True


DEMO_APPROVAL_RULES = (
    RuleCreate(
        region_code=DEMO_CITY,
        co_build_only=True,
        description="深圳：共建需求的共享协议须经监管审批 Shenzhen: agreements for co_build needs need approval",
    ),
    RuleCreate(
        region_code=DEMO_CITY,
        asset_kind=AssetKind.RESERVED_SPACE,
        description="深圳：新建地铁、隧道、桥梁预留空间须经监管审批 Shenzhen: reserved space needs approval",
    ),
)


async def _ensure_demo_approval_rules(db: AsyncSession, admin: Principal) -> None:
    for spec in DEMO_APPROVAL_RULES:
        existing = await db.scalar(
            select(ApprovalRule.id).where(
                ApprovalRule.region_code == spec.region_code,
                ApprovalRule.asset_kind.is_(None)
                if spec.asset_kind is None
                else ApprovalRule.asset_kind == spec.asset_kind,
                ApprovalRule.co_build_only.is_(spec.co_build_only),
            )
        )
        if existing is None:
            await create_rule(db, admin, spec)
