"""Platform admins create organisations and jurisdictions; org admins manage their own users only."""

from __future__ import annotations

from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.sessions import Client, sign_in

NEW_USER = {
    "email": "Li.Na@tower.example",
    "display_name": "李娜",
    "password": "a-long-password-1",
    "role": "operator_member",
}


async def _organisation_id(client: Client, name: str) -> str:
    organisations = (await client.get("/api/v1/organisations")).json()
    return next(o["id"] for o in organisations if o["name"] == name)


async def test_org_admin_creates_a_user_who_can_then_sign_in(client: Client, app: Litestar) -> None:
    me = await sign_in(client, "admin@tower.example")
    organisation_id = me["organisation"]["id"]
    created = await client.post(f"/api/v1/organisations/{organisation_id}/users", json=NEW_USER)
    assert created.status_code == 201, created.text
    assert created.json()["email"] == "li.na@tower.example"  # e-mails are kept lower-case
    assert "password" not in created.text and "argon2" not in created.text

    listed = (await client.get(f"/api/v1/organisations/{organisation_id}/users")).json()
    assert "li.na@tower.example" in [user["email"] for user in listed]
    async with AsyncTestClient(app, base_url="http://127.0.0.1") as newcomer:
        me = await sign_in(newcomer, "li.na@tower.example", NEW_USER["password"])
        assert me["user"]["role"] == "operator_member"


async def test_duplicate_email_is_a_409_naming_the_field(client: Client) -> None:
    me = await sign_in(client, "admin@tower.example")
    response = await client.post(
        f"/api/v1/organisations/{me['organisation']['id']}/users",
        json={**NEW_USER, "email": "engineer@tower.example"},
    )
    assert response.status_code == 409
    assert response.json()["field"] == "email"


async def test_bad_user_input_names_each_field(client: Client) -> None:
    me = await sign_in(client, "admin@tower.example")
    response = await client.post(
        f"/api/v1/organisations/{me['organisation']['id']}/users",
        json={"email": "not-an-email", "display_name": "", "password": "short", "role": "emperor"},
    )
    assert response.status_code == 422
    problem = response.json()
    assert problem["type"] == "/problems/validation-error"
    fields = {error["field"] for error in problem["errors"]}
    assert {"email", "display_name", "role"} <= fields


async def test_an_operator_cannot_get_a_regulator_role(client: Client) -> None:
    me = await sign_in(client, "admin@tower.example")
    response = await client.post(
        f"/api/v1/organisations/{me['organisation']['id']}/users", json={**NEW_USER, "role": "regulator"}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "role"


async def test_org_admin_cannot_manage_another_organisations_users(client: Client) -> None:
    await sign_in(client, "admin@tower.example")
    mobile_id = await _organisation_id(client, "中国移动深圳分公司（演示）")
    listing = await client.get(f"/api/v1/organisations/{mobile_id}/users")
    creating = await client.post(f"/api/v1/organisations/{mobile_id}/users", json=NEW_USER)
    assert listing.status_code == 403 and creating.status_code == 403


async def test_a_member_cannot_act_as_admin(client: Client) -> None:
    me = await sign_in(client, "engineer@tower.example")
    own_id = me["organisation"]["id"]
    assert (await client.get(f"/api/v1/organisations/{own_id}/users")).status_code == 403
    assert (await client.post(f"/api/v1/organisations/{own_id}/users", json=NEW_USER)).status_code == 403


async def test_deactivating_a_user_ends_their_sessions_and_sign_ins(client: Client, app: Litestar) -> None:
    me = await sign_in(client, "admin@tower.example")
    organisation_id = me["organisation"]["id"]
    async with AsyncTestClient(app, base_url="http://127.0.0.1") as engineer:
        engineer_me = await sign_in(engineer, "engineer@tower.example")
        user_id = engineer_me["user"]["id"]
        response = await client.post(f"/api/v1/organisations/{organisation_id}/users/{user_id}/deactivate")
        assert response.status_code == 200 and response.json()["is_active"] is False
        assert (await engineer.get("/api/v1/me")).status_code == 401
        again = await engineer.post(
            "/api/v1/auth/login", json={"email": "engineer@tower.example", "password": "InfraShare-demo-2026"}
        )
        assert again.status_code == 401
    reactivated = await client.post(f"/api/v1/organisations/{organisation_id}/users/{user_id}/activate")
    assert reactivated.json()["is_active"] is True


async def test_another_organisations_admin_cannot_deactivate_my_users(client: Client, app: Litestar) -> None:
    me = await sign_in(client, "admin@tower.example")
    users = (await client.get(f"/api/v1/organisations/{me['organisation']['id']}/users")).json()
    engineer_id = next(u["id"] for u in users if u["email"] == "engineer@tower.example")
    async with AsyncTestClient(app, base_url="http://127.0.0.1") as rival:
        await sign_in(rival, "admin@mobile.example")
        # Naming the victim's organisation is refused, and so is smuggling the user under one's own.
        refused = await rival.post(
            f"/api/v1/organisations/{me['organisation']['id']}/users/{engineer_id}/deactivate"
        )
        assert refused.status_code == 403
        rival_org = (await rival.get("/api/v1/me")).json()["organisation"]["id"]
        smuggled = await rival.post(f"/api/v1/organisations/{rival_org}/users/{engineer_id}/deactivate")
        assert smuggled.status_code == 404


async def test_platform_admin_creates_a_regulator_and_sets_its_jurisdiction(client: Client) -> None:
    await sign_in(client, "admin@platform.example")
    created = await client.post(
        "/api/v1/organisations", json={"name": "广东省通信管理局", "industry": "telecom", "kind": "regulator"}
    )
    assert created.status_code == 201, created.text
    organisation_id = created.json()["id"]
    response = await client.put(
        f"/api/v1/organisations/{organisation_id}/jurisdiction", json={"region_codes": ["440000", "440300"]}
    )
    assert response.status_code == 200
    assert response.json()["jurisdiction"] == ["440000", "440300"]
    reviewer = {**NEW_USER, "email": "reviewer@gd-ca.example", "role": "regulator"}
    assert (
        await client.post(f"/api/v1/organisations/{organisation_id}/users", json=reviewer)
    ).status_code == 201


async def test_unknown_jurisdiction_codes_are_named(client: Client) -> None:
    await sign_in(client, "admin@platform.example")
    regulator_id = await _organisation_id(client, "深圳市通信管理局")
    response = await client.put(
        f"/api/v1/organisations/{regulator_id}/jurisdiction", json={"region_codes": ["440300", "999999"]}
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "region_codes[1]", "message": "unknown region 999999"}]


@pytest.mark.parametrize(
    ("email", "body"),
    [
        ("admin@tower.example", {"name": "Rogue Org", "industry": "telecom", "kind": "operator"}),
        ("reviewer@sz-ca.example", {"name": "Rogue Org", "industry": "telecom", "kind": "operator"}),
    ],
)
async def test_only_platform_admins_create_organisations(
    client: Client, email: str, body: dict[str, Any]
) -> None:
    await sign_in(client, email)
    response = await client.post("/api/v1/organisations", json=body)
    assert response.status_code == 403
    assert response.json()["type"] == "/problems/permission-denied"


async def test_a_jurisdiction_is_for_regulators_only(client: Client) -> None:
    await sign_in(client, "admin@platform.example")
    tower_id = await _organisation_id(client, "中国铁塔深圳分公司（演示）")
    response = await client.put(
        f"/api/v1/organisations/{tower_id}/jurisdiction", json={"region_codes": ["440300"]}
    )
    assert response.status_code == 409


async def test_regulator_me_shows_its_jurisdiction(client: Client) -> None:
    me = await sign_in(client, "reviewer@ns-iit.example")
    assert me["user"]["role"] == "regulator"
    assert me["organisation"]["jurisdiction"] == ["440305"]
