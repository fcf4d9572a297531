"""Need bodies from a factory, and shortcuts for posting and moving needs through the API."""

from __future__ import annotations

import random
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

from polyfactory import Use
from polyfactory.factories.pydantic_factory import ModelFactory
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from infrashare.accounts.models import Membership, Organisation, User
from infrashare.accounts.service import principal_jurisdiction
from infrashare.assets.models import AssetKind
from infrashare.core.authentication import SESSION_COOKIE
from infrashare.core.geo import PointGeometry
from infrashare.core.principal import Principal
from infrashare.needs.models import NeedMode, NeedPurpose
from infrashare.needs.schemas import NeedCreate
from tests.sessions import Client, sign_in


def utc_today() -> date:
    return datetime.now(UTC).date()


FUTIAN, NANSHAN, LUOHU = "440304", "440305", "440303"
# Points inside the districts (near their centroids).
POINTS = {FUTIAN: (114.0550, 22.5220), NANSHAN: (113.9300, 22.5330), LUOHU: (114.1310, 22.5480)}


class NeedCreateFactory(ModelFactory[NeedCreate]):
    __random_seed__ = 20261125
    title = Use(lambda: f"需求 {uuid.uuid4().hex[:8]}")
    purpose = Use(lambda: random.choice(list(NeedPurpose)))
    mode = NeedMode.SHARE
    wanted_kinds = Use(lambda: random.sample(list(AssetKind), k=random.randint(1, 3)))
    geometry = Use(lambda: PointGeometry(type="Point", coordinates=POINTS[FUTIAN]))
    radius_m = Use(lambda: random.randint(50, 2000))
    corridor_m = None
    region_code = FUTIAN
    quantity = Use(lambda: random.randint(1, 20))
    needed_by = Use(lambda: utc_today() + timedelta(days=random.randint(60, 300)))
    description = "由测试生成"
    contact_name = "测试联系人"
    contact_phone = "0755-12345678"
    contact_email = "ops@example.com"


def need_body(**overrides: Any) -> dict[str, Any]:
    region = overrides.get("region_code", FUTIAN)
    if "geometry" not in overrides and region in POINTS:
        overrides["geometry"] = PointGeometry(type="Point", coordinates=POINTS[region])
    body: dict[str, Any] = NeedCreateFactory.build(**overrides).model_dump(mode="json")
    return body


async def post_need(client: Client, **overrides: Any) -> dict[str, Any]:
    response = await client.post("/api/v1/needs", json=need_body(**overrides))
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


async def act(
    client: Client, need_id: str, action: str, body: Any = None, expect: int = 200
) -> dict[str, Any]:
    response = await client.post(f"/api/v1/needs/{need_id}/{action}", json=body)
    assert response.status_code == expect, f"{action}: {response.status_code} {response.text}"
    result: dict[str, Any] = response.json()
    return result


async def principal_for(db: AsyncSession, email: str) -> Principal:
    """The principal a sign-in of this demo user would give (for service-level tests)."""
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


class Actors:
    """One test client acting as several demo users in turn (one sign-in each, then switched).

    Several AsyncTestClients on one app each run the app's lifespan and replace its database
    engines; switching the session cookie on one client avoids that.
    """

    def __init__(self, client: Client) -> None:
        self.client = client
        self.sessions: dict[str, tuple[str, str, dict[str, Any]]] = {}

    async def use(self, email: str) -> dict[str, Any]:
        if email not in self.sessions:
            self.client.cookies.clear()
            me = await sign_in(self.client, email)
            token = self.client.cookies.get(SESSION_COOKIE)
            assert token
            self.sessions[email] = (token, me["csrf_token"], me)
        token, csrf, me = self.sessions[email]
        self.client.cookies.clear()
        self.client.cookies.set(SESSION_COOKIE, token)
        self.client.headers["X-CSRF-Token"] = csrf
        return me
