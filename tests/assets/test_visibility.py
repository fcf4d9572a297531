"""Who sees which asset and how precisely, role by role, on every read path."""

from __future__ import annotations

from typing import Any

import pytest

from infrashare.assets.visibility import coarsen_geometry
from tests.assets.bodies import NANSHAN_POINT, asset_body
from tests.sessions import Client, sign_in

FUTIAN_POINT = [114.0553, 22.5431]
EXACT = "exact"
COARSE = "approx_1km"
HIDDEN = "404"


@pytest.fixture
async def assets(client: Client) -> dict[str, dict[str, Any]]:
    """Water-company assets (it has no demo assets): one per visibility in 南山 (440305), and a public and operators one in 福田."""
    await sign_in(client, "admin@water.example")
    created = {}
    specs = {
        "ns_public": ("public", "440305", NANSHAN_POINT),
        "ns_operators": ("operators", "440305", NANSHAN_POINT),
        "ns_regulators": ("regulators", "440305", NANSHAN_POINT),
        "ft_public": ("public", "440304", FUTIAN_POINT),
        "ft_operators": ("operators", "440304", FUTIAN_POINT),
        "ft_regulators": ("regulators", "440304", FUTIAN_POINT),
    }
    for key, (visibility, region, point) in specs.items():
        body = asset_body(
            "tower",
            visibility=visibility,
            region_code=region,
            geometry={"type": "Point", "coordinates": point},
            external_id=f"VIS-{key}",
        )
        response = await client.post("/api/v1/assets", json=body)
        assert response.status_code == 201, response.text
        created[key] = response.json()
    return created


EXPECTED = {
    # caller: ns_public, ns_operators, ns_regulators, ft_public, ft_operators, ft_regulators
    "admin@water.example": [EXACT] * 6,
    "engineer@water.example": [EXACT] * 6,
    "admin@mobile.example": [COARSE, COARSE, HIDDEN, COARSE, COARSE, HIDDEN],
    "admin@power.example": [COARSE, COARSE, HIDDEN, COARSE, COARSE, HIDDEN],
    "reviewer@sz-ca.example": [EXACT] * 6,  # jurisdiction 440300 covers both districts
    "reviewer@ns-iit.example": [EXACT, EXACT, EXACT, COARSE, HIDDEN, COARSE],  # only 南山
    "admin@platform.example": [COARSE] * 6,
}
KEYS = ["ns_public", "ns_operators", "ns_regulators", "ft_public", "ft_operators", "ft_regulators"]


@pytest.mark.parametrize("email", list(EXPECTED))
async def test_each_role_sees_what_the_rule_says_on_read_and_list(
    assets: dict[str, dict[str, Any]], as_user: Any, email: str
) -> None:
    owner = assets["ns_public"]["owner_organisation_id"]
    viewer = await as_user(email)
    listed = {
        item["id"]: item
        for item in (await viewer.get("/api/v1/assets", params={"page_size": 500, "owner": owner})).json()[
            "items"
        ]
    }
    for key, expected in zip(KEYS, EXPECTED[email], strict=True):
        asset = assets[key]
        response = await viewer.get(f"/api/v1/assets/{asset['id']}")
        if expected == HIDDEN:
            assert response.status_code == 404, key
            assert asset["id"] not in listed
            continue
        read = response.json()
        assert read["location_precision"] == expected, key
        assert listed[asset["id"]] == read, key
        if expected == EXACT:
            assert read["geometry"] == asset["geometry"]
            assert read["address"] == asset["address"]
            assert read["external_id"] == asset["external_id"]
        else:
            assert read["geometry"] == coarsen_geometry(asset["geometry"])
            assert read["address"] is None and read["external_id"] is None
            assert read["capacity"] == asset["capacity"]  # what is on offer stays visible


async def test_coarse_coordinates_are_on_a_1km_grid(assets: dict[str, dict[str, Any]], as_user: Any) -> None:
    viewer = await as_user("admin@mobile.example")
    read = (await viewer.get(f"/api/v1/assets/{assets['ns_public']['id']}")).json()
    assert read["geometry"] == {"type": "Point", "coordinates": [113.94, 22.55]}


def test_routes_are_snapped_vertex_by_vertex_and_short_ones_collapse_to_a_point() -> None:
    route = {
        "type": "LineString",
        "coordinates": [[113.9531, 22.5301], [113.9534, 22.5389], [113.9541, 22.548]],
    }
    assert coarsen_geometry(route) == {
        "type": "LineString",
        "coordinates": [[113.95, 22.53], [113.95, 22.54], [113.95, 22.55]],
    }
    short = {"type": "LineString", "coordinates": [[113.9531, 22.5301], [113.9532, 22.5302]]}
    assert coarsen_geometry(short) == {"type": "Point", "coordinates": [113.95, 22.53]}


async def test_history_is_for_those_who_see_the_asset_exactly(
    assets: dict[str, dict[str, Any]], as_user: Any
) -> None:
    url = f"/api/v1/assets/{assets['ns_public']['id']}/history"
    assert (await (await as_user("admin@mobile.example")).get(url)).status_code == 403
    assert (await (await as_user("reviewer@sz-ca.example")).get(url)).status_code == 200
    hidden = f"/api/v1/assets/{assets['ns_regulators']['id']}/history"
    assert (await (await as_user("admin@mobile.example")).get(hidden)).status_code == 404


async def test_another_operator_cannot_change_an_asset_it_cannot_see(
    assets: dict[str, dict[str, Any]], as_user: Any
) -> None:
    mobile = await as_user("admin@mobile.example")
    hidden = assets["ns_regulators"]
    response = await mobile.patch(f"/api/v1/assets/{hidden['id']}", json={"version": 1, "name": "x"})
    assert response.status_code == 404  # does not even learn that it exists


async def test_signed_out_callers_see_nothing(client: Client) -> None:
    assert (await client.get("/api/v1/assets")).status_code == 401
