"""Bearer tokens on the feature endpoints: each operation's scope, and other organisations'
private objects answering 404 to a token exactly as to a person."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from tests.agreements.helpers import request_body
from tests.assets.bodies import asset_body
from tests.needs.helpers import need_body
from tests.oauth.conftest import OAuthServer, register_client, signed_in
from tests.oauth.test_client_credentials import fetch_token

READ_ALL = ["assets:read", "needs:read", "matches:read", "agreements:read"]
WRITE_ALL = ["assets:write", "needs:write", "agreements:write"]


def bearer(server: OAuthServer, admin: str, scopes: list[str]) -> httpx.Client:
    """An API client holding a client-credentials token of the admin's organisation."""
    machine = register_client(server.url, admin, name=f"scopes {' '.join(scopes)}", scopes=scopes)
    token = fetch_token(server, machine)["access_token"]
    return httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {token}"}, timeout=30)


@dataclass(frozen=True)
class Private:
    """Objects only their organisations (tower, mobile) may see."""

    hidden_asset: str
    draft_need: str
    sharing_request: str


def _created(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


@pytest.fixture(scope="module")
def private(oauth_server: OAuthServer) -> Private:
    with signed_in(oauth_server.url, "admin@tower.example") as tower:
        hidden = _created(tower.post("/api/v1/assets", json=asset_body("tower", visibility="regulators")))
        public = _created(tower.post("/api/v1/assets", json=asset_body("pole")))
    with signed_in(oauth_server.url, "engineer@mobile.example") as mobile:
        draft = _created(mobile.post("/api/v1/needs", json=need_body()))
        request = _created(mobile.post("/api/v1/sharing-requests", json=request_body(public["id"])))
    return Private(hidden["id"], draft["id"], request["id"])


@pytest.fixture(scope="module")
def rival(oauth_server: OAuthServer) -> Iterator[httpx.Client]:
    with bearer(oauth_server, "admin@unicom.example", READ_ALL + WRITE_ALL) as client:
        yield client


def _refused(response: httpx.Response, scope: str) -> None:
    assert response.status_code == 403, response.text
    challenge = response.headers["www-authenticate"]
    assert 'error="insufficient_scope"' in challenge and f'scope="{scope}"' in challenge
    assert response.json()["type"] == "/problems/insufficient-scope"


def test_asset_create_needs_assets_write(oauth_server: OAuthServer) -> None:
    with bearer(oauth_server, "admin@tower.example", ["assets:read"]) as reader:
        _refused(reader.post("/api/v1/assets", json=asset_body("tower")), "assets:write")
        _refused(
            reader.post("/api/v1/assets/imports", content=b"x", headers={"Content-Type": "text/csv"}),
            "assets:write",
        )
        assert reader.get("/api/v1/assets", params={"page_size": 1}).status_code == 200
    with bearer(oauth_server, "admin@tower.example", ["assets:write"]) as writer:
        created = writer.post("/api/v1/assets", json=asset_body("tower", name="由合作系统创建"))
        assert created.status_code == 201, created.text
        assert (
            created.json()["owner_organisation_id"] == writer.get("/api/v1/me").json()["organisation"]["id"]
        )


def test_a_needs_read_token_reads_the_needs_list_and_nothing_more(oauth_server: OAuthServer) -> None:
    with bearer(oauth_server, "admin@mobile.example", ["needs:read"]) as reader:
        listed = reader.get("/api/v1/needs")
        assert listed.status_code == 200, listed.text
        page = listed.json()
        assert page["total"] > 0 and {need["status"] for need in page["items"]} == {"published"}
        one = reader.get(f"/api/v1/needs/{page['items'][0]['id']}")
        assert one.status_code == 200
        assert reader.get("/api/v1/needs/export.csv").status_code == 200
        _refused(reader.post("/api/v1/needs", json=need_body()), "needs:write")
        _refused(reader.get(f"/api/v1/needs/{page['items'][0]['id']}/matches"), "matches:read")
        _refused(reader.get("/api/v1/assets"), "assets:read")
        _refused(reader.get("/api/v1/sharing-requests"), "agreements:read")


def test_another_organisations_private_objects_are_404_to_a_token(
    oauth_server: OAuthServer, private: Private, rival: httpx.Client
) -> None:
    assert rival.get(f"/api/v1/assets/{private.hidden_asset}").status_code == 404
    assert rival.get(f"/api/v1/assets/{private.hidden_asset}/history").status_code == 404
    assert private.hidden_asset not in rival.get("/api/v1/assets", params={"page_size": 500}).text
    assert rival.post(f"/api/v1/assets/{private.hidden_asset}/retire", json={"version": 1}).status_code == 404

    assert rival.get(f"/api/v1/needs/{private.draft_need}").status_code == 404
    assert rival.get(f"/api/v1/needs/{private.draft_need}/matches").status_code == 404
    assert rival.post(f"/api/v1/needs/{private.draft_need}/submit").status_code == 404

    assert rival.get(f"/api/v1/sharing-requests/{private.sharing_request}").status_code == 404
    assert rival.get(f"/api/v1/sharing-requests/{private.sharing_request}/timeline").status_code == 404
    assert rival.post(f"/api/v1/sharing-requests/{private.sharing_request}/accept").status_code == 404
    assert private.sharing_request not in rival.get("/api/v1/sharing-requests").text


def test_the_owners_tokens_see_the_same_objects(oauth_server: OAuthServer, private: Private) -> None:
    with bearer(oauth_server, "admin@tower.example", READ_ALL) as tower:
        assert tower.get(f"/api/v1/assets/{private.hidden_asset}").status_code == 200
        assert tower.get(f"/api/v1/sharing-requests/{private.sharing_request}").status_code == 200
        assert tower.get(f"/api/v1/needs/{private.draft_need}").status_code == 404  # mobile's draft
    with bearer(oauth_server, "admin@mobile.example", READ_ALL) as mobile:
        assert mobile.get(f"/api/v1/needs/{private.draft_need}").status_code == 200
        assert mobile.get(f"/api/v1/sharing-requests/{private.sharing_request}").status_code == 200
        assert mobile.get(f"/api/v1/assets/{private.hidden_asset}").status_code == 404
