"""Every error is an RFC 9457 problem: bad input names the field, nothing answers 500 to bad input."""

from __future__ import annotations

from tests.sessions import Client, sign_in


async def test_malformed_json_is_a_400_problem(client: Client) -> None:
    response = await client.post(
        "/api/v1/auth/login",
        content=b'{"email": "x@y.example", "password":',
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["type"] == "/problems/malformed-request"


async def test_missing_fields_are_listed(client: Client) -> None:
    response = await client.post("/api/v1/auth/login", json={"password": "x"})
    assert response.status_code == 422
    problem = response.json()
    assert problem["status"] == 422 and problem["instance"] == "/api/v1/auth/login"
    assert any(error["field"] == "email" for error in problem["errors"])


async def test_bad_path_parameter_is_a_4xx_problem(client: Client) -> None:
    await sign_in(client, "admin@tower.example")
    response = await client.get("/api/v1/organisations/not-a-uuid")
    assert 400 <= response.status_code < 500
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_unknown_object_is_a_404_problem(client: Client) -> None:
    await sign_in(client, "admin@tower.example")
    response = await client.get("/api/v1/organisations/00000000-0000-0000-0000-000000000000")
    assert response.status_code == 404
    assert response.json()["type"] == "/problems/not-found"


async def test_wrong_method_is_a_405_problem(client: Client) -> None:
    response = await client.delete("/api/v1/me")
    assert response.status_code == 405
    assert response.json()["type"] == "/problems/method-not-allowed"


async def test_unknown_api_path_is_a_404_problem_not_the_web_ui(client: Client) -> None:
    response = await client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.json()["type"] == "/problems/not-found"


async def test_openapi_lists_the_api(client: Client) -> None:
    document = (await client.get("/api/docs/openapi.json")).json()
    assert document["openapi"].startswith("3.1")
    assert {"/api/v1/me", "/api/v1/auth/login", "/api/v1/regions", "/api/v1/organisations"} <= set(
        document["paths"]
    )
