"""Password sign-in, the session cookie, CSRF and the sign-in throttles."""

from __future__ import annotations

from litestar.testing import AsyncTestClient

from infrashare.app import create_app
from infrashare.core.settings import Settings
from infrashare.demo.seed import DEMO_PASSWORD
from tests.sessions import Client, sign_in

TOWER_ADMIN = "admin@tower.example"


async def test_sign_in_sets_a_hardened_cookie_and_me_answers(client: Client) -> None:
    response = await client.post(
        "/api/v1/auth/login", json={"email": TOWER_ADMIN, "password": "InfraShare-demo-2026"}
    )
    assert response.status_code == 200
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "path=/" in cookie
    assert "secure" not in cookie  # served over http in tests; https turns it on

    me = (await client.get("/api/v1/me")).json()
    assert me["user"]["email"] == TOWER_ADMIN
    assert me["user"]["role"] == "operator_admin"
    assert me["organisation"]["name"] == "中国铁塔深圳分公司（演示）"
    assert me["organisation"]["industry"] == "telecom"


async def test_cookie_is_secure_when_served_over_https(settings: Settings) -> None:
    https_app = create_app(settings.model_copy(update={"public_base_url": "https://share.example"}))
    async with AsyncTestClient(https_app, base_url="https://127.0.0.1") as https_client:
        response = await https_client.post(
            "/api/v1/auth/login", json={"email": TOWER_ADMIN, "password": "InfraShare-demo-2026"}
        )
    assert "secure" in response.headers["set-cookie"].lower()


async def test_wrong_password_is_a_401_problem(client: Client) -> None:
    response = await client.post(
        "/api/v1/auth/login", json={"email": TOWER_ADMIN, "password": "wrong-password"}
    )
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["type"] == "/problems/not-authenticated"
    assert "set-cookie" not in response.headers


async def test_unknown_email_fails_the_same_way(client: Client) -> None:
    response = await client.post(
        "/api/v1/auth/login", json={"email": "nobody@tower.example", "password": "x"}
    )
    assert response.status_code == 401
    assert response.json()["detail"] == "Wrong e-mail or password."


WRONG = "nope-nope-nope"


async def _attempt(client: Client, email: str, password: str = WRONG) -> tuple[int, str, str]:
    response = await client.post("/api/v1/auth/login", json={"email": email, "password": password})
    return response.status_code, response.json()["detail"], response.headers.get("retry-after", "")


async def test_known_and_unknown_e_mails_answer_alike_and_nobody_is_locked(
    client: Client, settings: Settings
) -> None:
    known = [await _attempt(client, TOWER_ADMIN) for _ in range(settings.login_max_failures + 2)]
    unknown = [await _attempt(client, "nobody@tower.example") for _ in range(settings.login_max_failures + 2)]
    assert [status for status, _, _ in known] == [status for status, _, _ in unknown]
    assert [detail for _, detail, _ in known] == [detail for _, detail, _ in unknown]
    assert [status for status, _, _ in known] == [401] * settings.login_max_failures + [429, 429]
    assert 0 < int(known[-1][2]) <= settings.login_window_minutes * 60
    # Throttled from here, this e-mail: the right password too (the guesser cannot tell), never 423.
    assert (await _attempt(client, TOWER_ADMIN, DEMO_PASSWORD))[0] == 429
    # Another account from the same client is not slowed by these failures.
    await sign_in(client, "engineer@tower.example")


async def test_many_accounts_from_one_client_are_throttled(client: Client, settings: Settings) -> None:
    limit = settings.login_address_max_failures
    statuses = [(await _attempt(client, f"guess{n}@tower.example"))[0] for n in range(limit + 3)]
    assert statuses == [401] * limit + [429] * 3


async def test_successful_sign_ins_do_not_use_up_the_clients_allowance(
    client: Client, settings: Settings
) -> None:
    for _ in range(settings.login_address_max_failures + 2):
        await sign_in(client, TOWER_ADMIN)
    assert (await _attempt(client, "nobody@tower.example"))[0] == 401


async def test_sign_in_must_be_json_so_html_forms_cannot_forge_it(client: Client) -> None:
    response = await client.post(
        "/api/v1/auth/login", data={"email": TOWER_ADMIN, "password": "InfraShare-demo-2026"}
    )
    assert response.status_code in (400, 415, 422)
    assert "set-cookie" not in response.headers


async def test_writes_without_the_csrf_header_are_refused(client: Client) -> None:
    await sign_in(client, TOWER_ADMIN)
    token = client.headers.pop("X-CSRF-Token")
    refused = await client.post("/api/v1/auth/logout")
    assert refused.status_code == 403
    assert refused.json()["type"] == "/problems/csrf-failed"
    wrong = await client.post("/api/v1/auth/logout", headers={"X-CSRF-Token": "forged"})
    assert wrong.status_code == 403
    accepted = await client.post("/api/v1/auth/logout", headers={"X-CSRF-Token": token})
    assert accepted.status_code == 204


async def test_logout_ends_the_session_on_the_server(client: Client) -> None:
    await sign_in(client, TOWER_ADMIN)
    stolen_cookie = client.cookies.get("infrashare_session")
    assert (await client.post("/api/v1/auth/logout")).status_code == 204
    client.cookies.set("infrashare_session", stolen_cookie or "")
    response = await client.get("/api/v1/me")
    assert response.status_code == 401


async def test_me_without_a_session_is_401(client: Client) -> None:
    response = await client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.json()["type"] == "/problems/not-authenticated"


async def test_session_survives_an_app_restart(settings: Settings) -> None:
    first = create_app(settings)
    async with AsyncTestClient(first, base_url="http://127.0.0.1") as before:
        await sign_in(before, TOWER_ADMIN)
        cookie = before.cookies.get("infrashare_session")
    second = create_app(settings)  # a new process would build exactly this
    async with AsyncTestClient(second, base_url="http://127.0.0.1") as after:
        after.cookies.set("infrashare_session", cookie or "")
        response = await after.get("/api/v1/me")
    assert response.status_code == 200
    assert response.json()["user"]["email"] == TOWER_ADMIN
