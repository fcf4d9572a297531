"""Export of what the caller may see, masked like the API, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from infrashare.assets.exports import neutralise
from tests.sessions import Client, sign_in

DATA = Path(__file__).parents[1] / "data"


async def _load_good_file(client: Client) -> None:
    await sign_in(client, "admin@water.example")
    payload = (DATA / "assets_good.csv").read_bytes()
    response = await client.post(
        "/api/v1/assets/imports", content=payload, headers={"Content-Type": "text/csv"}
    )
    assert response.status_code == 200, response.text


def _rows(response: Any) -> list[dict[str, str]]:
    assert response.status_code == 200, response.text
    assert response.content.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_cells_that_start_a_formula_are_neutralised() -> None:
    for dangerous in ("=1+1", "+1", "-1+2", "@SUM(A1)", "\tx", "\rx"):
        assert neutralise(dangerous) == "'" + dangerous
    assert neutralise("科技园") == "科技园"
    assert neutralise(-12.5) == -12.5  # numbers stay numbers


async def test_the_owner_exports_everything_exactly_and_can_import_it_back(client: Client) -> None:
    await _load_good_file(client)
    me = (await client.get("/api/v1/me")).json()
    exported = await client.get("/api/v1/assets/export", params={"owner": me["organisation"]["id"]})
    assert exported.headers["content-disposition"] == 'attachment; filename="assets.csv"'
    rows = {row["external_id"]: row for row in _rows(exported)}
    assert len(rows) == 8
    assert rows["SZ-TWR-0002"]["sharing_terms"] == '\'=HYPERLINK("http://evil.example","点我")'
    assert rows["SZ-MR-0001"]["address"] == "深圳市福田区深南大道车公庙地铁站 B1"
    assert rows["SZ-TWR-0001"]["lon"] == "113.9437"
    assert {row["location_precision"] for row in rows.values()} == {"exact"}

    again = await client.post(
        "/api/v1/assets/imports", content=exported.content, headers={"Content-Type": "text/csv"}
    )
    assert again.status_code == 200, again.text
    assert again.json()["unchanged_count"] == 8  # the export round-trips, apostrophes included


async def test_another_operator_exports_only_what_it_may_see_and_coarsened(
    client: Client, as_user: Any
) -> None:
    await _load_good_file(client)
    owner = (await client.get("/api/v1/me")).json()["organisation"]["id"]
    mobile = await as_user("admin@mobile.example")
    rows = {
        row["name"]: row for row in _rows(await mobile.get("/api/v1/assets/export", params={"owner": owner}))
    }
    assert "地铁13号线 深圳湾口岸—科技园 区间预留" not in rows  # visibility: regulators
    assert len(rows) == 7
    tower = rows["科技园北区铁塔"]
    assert (tower["lon"], tower["lat"]) == ("113.94", "22.55")
    assert tower["address"] == "" and tower["external_id"] == ""
    assert tower["location_precision"] == "approx_1km"
    assert rows["前海—后海 144 芯光缆"]["route"] == "113.9 22.53, 113.92 22.52, 113.94 22.52"

    geojson = await mobile.get("/api/v1/assets/export", params={"format": "geojson", "owner": owner})
    assert geojson.headers["content-type"].startswith("application/geo+json")
    document = json.loads(geojson.content)
    assert document["type"] == "FeatureCollection"
    assert "OpenStreetMap" in document["attribution"]
    features = {feature["properties"]["name"]: feature for feature in document["features"]}
    assert len(features) == 7
    assert features["科技园北区铁塔"]["geometry"] == {"type": "Point", "coordinates": [113.94, 22.55]}
    assert "address" not in features["车公庙站通信机房"]["properties"]


async def test_a_regulator_over_the_region_exports_exactly(client: Client, as_user: Any) -> None:
    await _load_good_file(client)
    owner = (await client.get("/api/v1/me")).json()["organisation"]["id"]
    nanshan = await as_user("reviewer@ns-iit.example")
    rows = _rows(await nanshan.get("/api/v1/assets/export", params={"owner": owner}))
    precision = {row["name"]: (row["region_code"], row["location_precision"]) for row in rows}
    assert precision["科技园北区铁塔"] == ("440305", "exact")
    assert precision["深南大道智慧杆 0451"] == ("440304", "approx_1km")
    assert "福田中心区楼顶站" not in precision  # 福田, visibility operators


async def test_an_empty_export_is_still_a_valid_file(client: Client) -> None:
    await sign_in(client, "admin@water.example")
    params = {"owner": "00000000-0000-0000-0000-000000000000"}
    assert _rows(await client.get("/api/v1/assets/export", params=params)) == []
    geojson = await client.get("/api/v1/assets/export", params=params | {"format": "geojson"})
    assert json.loads(geojson.content)["features"] == []
