"""The real `infrashare serve` process over real HTTP: probes, OpenAPI, problems, request ids, sign-in."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from infrashare.demo.seed import DEMO_PASSWORD
from tests.servers import LiveServer

TOWER_ADMIN = "admin@tower.example"
HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


@pytest.fixture
def http(live_server: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live_server.url, timeout=10) as client:
        yield client


def test_health_answers(http: httpx.Client) -> None:
    response = http.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_ready_checks_the_database_and_meilisearch(http: httpx.Client) -> None:
    response = http.get("/ready")
    assert response.status_code == 200, response.text
    assert response.json() == {"status": "ok", "database": "ok", "search": "ok"}


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


def test_openapi_document_is_openapi_3_1_and_lists_me(http: httpx.Client) -> None:
    response = http.get("/api/docs/openapi.json")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/")
    document = response.json()

    assert re.fullmatch(r"3\.1\.\d+", document["openapi"])
    assert document["info"]["title"] and document["info"]["version"]
    paths = document["paths"]
    assert all(path.startswith("/") for path in paths)
    operation_ids: list[str] = []
    for path, item in paths.items():
        operations = {method: op for method, op in item.items() if method in HTTP_METHODS}
        assert operations, path
        for method, operation in operations.items():
            assert operation["responses"], f"{method.upper()} {path} declares no response"
            operation_ids.append(operation.get("operationId", f"{method} {path}"))
            # Every {param} in the template is declared as a path parameter.
            declared = {p["name"] for p in operation.get("parameters", []) if p["in"] == "path"}
            assert set(re.findall(r"{([^}:]+)}", path)) <= declared, f"{method.upper()} {path}"
    assert len(operation_ids) == len(set(operation_ids)), "operationIds must be unique"
    # Every local reference resolves.
    for ref in set(_refs(document)):
        assert ref.startswith("#/"), ref
        node: Any = document
        for part in ref[2:].split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]

    assert "get" in paths["/api/v1/me"]
    assert "session" in document["components"]["securitySchemes"]
    # The web UI's catch-all route stays out of the API description.
    assert "/{path}" not in paths and "/" not in paths


def test_unknown_api_path_is_a_404_problem(http: httpx.Client) -> None:
    response = http.get("/api/v1/nope")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["type"] == "/problems/not-found"
    assert problem["status"] == 404
    assert problem["instance"] == "/api/v1/nope"


def test_responses_carry_a_request_id_and_echo_the_callers(http: httpx.Client) -> None:
    first = http.get("/health").headers["x-request-id"]
    second = http.get("/api/v1/me").headers["x-request-id"]  # a 401 problem carries one too
    assert re.fullmatch(r"[0-9a-f]{32}", first)
    assert first != second

    mine = f"test-{uuid.uuid4().hex}"
    assert http.get("/health", headers={"X-Request-ID": mine}).headers["x-request-id"] == mine


def test_router_level_errors_carry_a_request_id_too(http: httpx.Client) -> None:
    assert "x-request-id" in http.get("/api/v1/nope").headers
    assert "x-request-id" in http.delete("/health").headers


def test_a_demo_user_signs_in_over_http_and_reads_me(http: httpx.Client) -> None:
    assert http.get("/api/v1/me").status_code == 401

    response = http.post("/api/v1/auth/login", json={"email": TOWER_ADMIN, "password": DEMO_PASSWORD})
    assert response.status_code == 200, response.text
    cookie = response.headers["set-cookie"].lower()
    assert "infrashare_session=" in cookie and "httponly" in cookie and "samesite=lax" in cookie
    csrf_token = response.json()["csrf_token"]
    assert csrf_token

    me = http.get("/api/v1/me")
    assert me.status_code == 200
    body = me.json()
    assert body["user"]["email"] == TOWER_ADMIN
    assert body["organisation"]["name"] == "中国铁塔深圳分公司（演示）"

    # Sign out with the CSRF header; the cookie no longer opens the session.
    assert http.post("/api/v1/auth/logout", headers={"X-CSRF-Token": csrf_token}).status_code == 204
    assert http.get("/api/v1/me").status_code == 401
