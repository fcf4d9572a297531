"""Posting and editing needs: who may, what is checked (each broken rule names its field), who sees what."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.needs.helpers import FUTIAN, NANSHAN, Actors, act, need_body, post_need, utc_today
from tests.sessions import Client, sign_in

ROUTE = {"type": "LineString", "coordinates": [[113.93, 22.53], [113.95, 22.54], [113.97, 22.545]]}


async def test_an_operator_posts_a_draft_of_its_own_organisation(client: Client) -> None:
    me = await sign_in(client, "engineer@mobile.example")
    body = need_body(title="福田 CBD 5G 宏站", wanted_kinds=["tower", "pole"], quantity=3)
    response = await client.post("/api/v1/needs", json=body)
    assert response.status_code == 201, response.text
    need = response.json()
    assert need["status"] == "draft"
    assert need["organisation_id"] == me["organisation"]["id"]
    assert need["requesting_industry"] == "telecom"
    assert need["region_name"] == "福田区"
    assert sorted(need["wanted_kinds"]) == ["pole", "tower"]
    assert need["allowed_actions"] == ["edit", "submit", "withdraw"]
    assert (await client.get(f"/api/v1/needs/{need['id']}")).json()["title"] == "福田 CBD 5G 宏站"


async def test_a_route_need_keeps_its_corridor_and_bounding_box(client: Client) -> None:
    await sign_in(client, "admin@unicom.example")
    need = await post_need(
        client, region_code=NANSHAN, geometry=ROUTE, radius_m=None, corridor_m=30, purpose="fibre_route"
    )
    assert need["corridor_m"] == 30 and need["radius_m"] is None
    assert need["bbox"] == [113.93, 22.53, 113.97, 22.545]
    assert need["geometry"]["type"] == "LineString"


@pytest.mark.parametrize(
    ("changes", "fields"),
    [
        ({"wanted_kinds": []}, {"wanted_kinds"}),
        ({"wanted_kinds": ["tower", "tower"]}, {"wanted_kinds"}),
        ({"wanted_kinds": ["spaceship"]}, {"wanted_kinds.0"}),
        ({"quantity": 0}, {"quantity"}),
        ({"needed_by": utc_today().isoformat()}, {"needed_by"}),
        ({"needed_by": (utc_today() - timedelta(days=3)).isoformat()}, {"needed_by"}),
        ({"radius_m": 0}, {"radius_m"}),
        ({"radius_m": 50_001}, {"radius_m"}),
        ({"radius_m": None}, {"radius_m"}),
        ({"corridor_m": 20}, {"corridor_m"}),
        ({"geometry": {"type": "Point", "coordinates": [181, 22.5]}}, {"geometry.Point.coordinates.0"}),
        ({"geometry": {"type": "Point", "coordinates": [114.0, 91]}}, {"geometry.Point.coordinates.1"}),
        ({"geometry": {"type": "Polygon", "coordinates": []}}, {"geometry"}),
        ({"geometry": ROUTE, "radius_m": None}, {"corridor_m"}),
        ({"geometry": ROUTE, "corridor_m": 5001, "radius_m": None}, {"corridor_m"}),
        ({"region_code": "449999"}, {"region_code"}),
        ({"region_code": "abc"}, {"region_code"}),
        ({"title": " "}, {"title"}),
        ({"purpose": "teleport"}, {"purpose"}),
        ({"mode": "steal"}, {"mode"}),
    ],
)
async def test_bad_input_names_the_field(
    client: Client, changes: dict[str, object], fields: set[str]
) -> None:
    await sign_in(client, "engineer@mobile.example")
    response = await client.post("/api/v1/needs", json={**need_body(), **changes})
    assert response.status_code == 422, response.text
    problem = response.json()
    assert problem["type"] == "/problems/validation-error"
    named = {error["field"] for error in problem["errors"]}
    assert fields <= named or any(f.startswith(tuple(fields)) for f in named), named


@pytest.mark.parametrize("email", ["reviewer@sz-ca.example", "admin@platform.example"])
async def test_only_operators_post_needs(client: Client, email: str) -> None:
    await sign_in(client, email)
    response = await client.post("/api/v1/needs", json=need_body())
    assert response.status_code == 403


async def test_edits_are_rechecked_as_a_whole_and_logged(client: Client) -> None:
    await sign_in(client, "engineer@mobile.example")
    need = await post_need(client)
    # Switching to a route without a corridor leaves the radius in place: both are named.
    response = await client.patch(f"/api/v1/needs/{need['id']}", json={"geometry": ROUTE})
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"corridor_m", "radius_m"}
    response = await client.patch(
        f"/api/v1/needs/{need['id']}",
        json={"geometry": ROUTE, "radius_m": None, "corridor_m": 25, "quantity": 9},
    )
    assert response.status_code == 200, response.text
    edited = response.json()
    assert (
        edited["quantity"] == 9 and edited["corridor_m"] == 25 and edited["geometry"]["type"] == "LineString"
    )
    timeline = (await client.get(f"/api/v1/needs/{need['id']}/timeline")).json()
    assert [entry["action"] for entry in timeline] == ["need.created", "need.updated"]
    # Unknown fields are refused rather than ignored.
    assert (
        await client.patch(f"/api/v1/needs/{need['id']}", json={"status": "published"})
    ).status_code == 422


async def test_only_the_requesting_organisation_edits_and_only_while_draft_or_returned(
    client: Client,
) -> None:
    actors = Actors(client)
    await actors.use("admin@unicom.example")
    await actors.use("engineer@mobile.example")
    need = await post_need(client)
    await actors.use("admin@unicom.example")
    # A draft of another organisation does not exist for a rival.
    assert (await client.patch(f"/api/v1/needs/{need['id']}", json={"quantity": 2})).status_code == 404
    await actors.use("engineer@mobile.example")
    await act(client, need["id"], "submit")
    response = await client.patch(f"/api/v1/needs/{need['id']}", json={"quantity": 2})
    assert response.status_code == 409
    problem = response.json()
    assert problem["type"] == "/problems/illegal-transition"
    assert problem["allowed_actions"] == ["withdraw"]


async def test_who_sees_a_need_in_each_state(client: Client) -> None:
    actors = Actors(client)
    await actors.use("engineer@mobile.example")
    need = await post_need(client, region_code=FUTIAN)
    url = f"/api/v1/needs/{need['id']}"
    emails = [
        "admin@mobile.example",
        "admin@unicom.example",
        "reviewer@sz-ca.example",
        "reviewer@ns-iit.example",
        "admin@platform.example",
    ]

    async def seen() -> dict[str, int]:
        result = {}
        for email in emails:
            await actors.use(email)
            result[email] = (await client.get(url)).status_code
        return result

    assert await seen() == {
        "admin@mobile.example": 200,  # own organisation: always
        "admin@unicom.example": 404,
        "reviewer@sz-ca.example": 404,  # a draft is not yet the regulator's business
        "reviewer@ns-iit.example": 404,
        "admin@platform.example": 404,
    }
    await actors.use("engineer@mobile.example")
    await act(client, need["id"], "submit")
    assert await seen() == {
        "admin@mobile.example": 200,
        "admin@unicom.example": 404,
        "reviewer@sz-ca.example": 200,  # in jurisdiction (Shenzhen includes 福田)
        "reviewer@ns-iit.example": 404,  # 南山 only
        "admin@platform.example": 200,
    }
    await actors.use("reviewer@sz-ca.example")
    await act(client, need["id"], "publish")
    assert set((await seen()).values()) == {200}  # published: every signed-in user


async def test_the_openapi_document_lists_needs_and_stats(client: Client) -> None:
    paths = set((await client.get("/api/docs/openapi.json")).json()["paths"])
    assert {
        "/api/v1/needs",
        "/api/v1/needs/{need_id}",
        "/api/v1/needs/{need_id}/return",
        "/api/v1/needs/review-queue",
        "/api/v1/needs/bulk-publish",
        "/api/v1/needs/list.geojson",
        "/api/v1/needs/export.xlsx",
        "/api/v1/stats/needs",
        "/api/v1/stats/needs.csv",
    } <= paths
