"""The needs list: filters, paging, the map's GeoJSON, and CSV / XLSX exports with exactly the filtered rows."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from typing import Any

import openpyxl
import pytest

from tests.needs.helpers import FUTIAN, LUOHU, NANSHAN, Actors, act, post_need, utc_today
from tests.sessions import Client

MARK = "清单测试"


async def _published(client: Client, actors: Actors, email: str, title: str, **extra: Any) -> str:
    await actors.use(email)
    need = await post_need(client, title=f"{title} {MARK}", **extra)
    await act(client, need["id"], "submit")
    await actors.use("reviewer@sz-ca.example")
    await act(client, need["id"], "publish")
    return str(need["id"])


@pytest.fixture
async def listed(client: Client) -> dict[str, str]:
    """Five published needs (and one draft) of three industries in three districts."""
    actors = Actors(client)
    ids = {
        "mobile_futian": await _published(
            client,
            actors,
            "engineer@mobile.example",
            "福田宏站",
            region_code=FUTIAN,
            wanted_kinds=["tower"],
            purpose="macro_site",
        ),
        "mobile_nanshan": await _published(
            client,
            actors,
            "engineer@mobile.example",
            "南山微站",
            region_code=NANSHAN,
            wanted_kinds=["pole"],
            purpose="small_cell",
        ),
        "unicom_fibre": await _published(
            client,
            actors,
            "admin@unicom.example",
            "南山光缆",
            region_code=NANSHAN,
            wanted_kinds=["duct", "cable"],
            purpose="fibre_route",
            geometry={"type": "LineString", "coordinates": [[113.93, 22.53], [113.95, 22.54]]},
            radius_m=None,
            corridor_m=20,
        ),
        "power_room": await _published(
            client,
            actors,
            "admin@power.example",
            '=HYPERLINK("http://evil")',
            region_code=LUOHU,
            wanted_kinds=["machine_room"],
            purpose="edge_computing_room",
            mode="co_build",
        ),
        "metro_space": await _published(
            client,
            actors,
            "admin@metro.example",
            "罗湖预留空间",
            region_code=LUOHU,
            wanted_kinds=["reserved_space", "duct"],
            purpose="other",
            description="+cmd|' /C calc'!A0",
        ),
    }
    await actors.use("engineer@mobile.example")
    ids["mobile_draft"] = (await post_need(client, title=f"{MARK} 草稿", region_code=FUTIAN))["id"]
    await actors.use("admin@tower.example")  # a fourth operator reads the list
    return ids


async def _ids(client: Client, **params: Any) -> set[str]:
    response = await client.get("/api/v1/needs", params={"q": MARK, "page_size": 500, **params})
    assert response.status_code == 200, response.text
    return {item["id"] for item in response.json()["items"]}


async def test_filters(client: Client, listed: dict[str, str]) -> None:
    published = {key for key in listed if key != "mobile_draft"}

    def ids(*keys: str) -> set[str]:
        return {listed[key] for key in keys}

    assert await _ids(client) == ids(*published)  # published only, by default
    assert await _ids(client, region="440300") == ids(*published)
    assert await _ids(client, region=NANSHAN) == ids("mobile_nanshan", "unicom_fibre")
    assert await _ids(client, industry="power") == ids("power_room")
    assert await _ids(client, industry=["power", "rail_metro"]) == ids("power_room", "metro_space")
    assert await _ids(client, kind="duct") == ids("unicom_fibre", "metro_space")
    assert await _ids(client, kind=["tower", "pole"]) == ids("mobile_futian", "mobile_nanshan")
    assert await _ids(client, purpose="fibre_route") == ids("unicom_fibre")
    assert await _ids(client, mode="co_build") == ids("power_room")
    assert await _ids(client, region=LUOHU, kind="duct") == ids("metro_space")
    today = utc_today()
    assert await _ids(client, published_since=today.isoformat()) == ids(*published)
    assert await _ids(client, published_since=(today + timedelta(days=1)).isoformat()) == set()
    assert await _ids(client, submitted_since=today.isoformat(), published_until=today.isoformat()) == ids(
        *published
    )
    assert await _ids(client, bbox="113.90,22.50,113.99,22.56") == ids("mobile_nanshan", "unicom_fibre")
    # Other organisations' drafts never show, whatever the status filter; one's own do.
    assert await _ids(client, status="draft") == set()
    await Actors(client).use("admin@mobile.example")
    assert await _ids(client, status="draft") == ids("mobile_draft")


async def test_paging(client: Client, listed: dict[str, str]) -> None:
    seen: list[str] = []
    for page in (1, 2, 3):
        body = (await client.get("/api/v1/needs", params={"q": MARK, "page": page, "page_size": 2})).json()
        assert body["total"] == 5 and body["page"] == page
        seen += [item["id"] for item in body["items"]]
    assert len(seen) == 5 and set(seen) == {v for k, v in listed.items() if k != "mobile_draft"}


@pytest.mark.parametrize(
    ("params", "field"),
    [({"bbox": "1,2,3"}, "bbox"), ({"bbox": "10,20,5,30"}, "bbox"), ({"region": "999999"}, "region")],
)
async def test_bad_filters_are_named(client: Client, params: dict[str, str], field: str) -> None:
    await Actors(client).use("admin@tower.example")
    response = await client.get("/api/v1/needs", params=params)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == field


async def test_the_map_gets_geojson(client: Client, listed: dict[str, str]) -> None:
    response = await client.get("/api/v1/needs/list.geojson", params={"q": MARK, "region": NANSHAN})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/geo+json")
    collection = response.json()
    assert collection["type"] == "FeatureCollection"
    by_id = {feature["id"]: feature for feature in collection["features"]}
    assert set(by_id) == {listed["mobile_nanshan"], listed["unicom_fibre"]}
    route = by_id[listed["unicom_fibre"]]
    assert route["geometry"]["type"] == "LineString"
    assert route["properties"]["corridor_m"] == 20
    assert route["properties"]["requesting_industry"] == "telecom"


async def test_csv_export_has_the_filtered_rows_and_a_generated_at_line(
    client: Client, listed: dict[str, str]
) -> None:
    await Actors(client).use("reviewer@sz-ca.example")
    response = await client.get("/api/v1/needs/export.csv", params={"q": MARK, "kind": "duct"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][0] == "Generated at" and rows[1][1].startswith(utc_today().isoformat())
    assert rows[2] == ["Filters", f"status=published; kind=duct; q={MARK}"]
    header = rows.index(next(row for row in rows if row and row[0] == "ID"))
    data = rows[header + 1 :]
    assert {row[0] for row in data} == {listed["unicom_fibre"], listed["metro_space"]}
    assert len(data) == 2 and rows[3] == ["Rows", "2"]
    description = rows[header].index("说明 Description")
    metro = next(row for row in data if row[0] == listed["metro_space"])
    assert metro[description] == "'+cmd|' /C calc'!A0"  # neutralised


async def test_xlsx_export_opens_with_openpyxl_and_has_exactly_the_filtered_rows(
    client: Client, listed: dict[str, str], tmp_path: Any
) -> None:
    await Actors(client).use("reviewer@sz-transport.example")
    response = await client.get("/api/v1/needs/export.xlsx", params={"q": MARK, "region": LUOHU})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    path = tmp_path / "needs.xlsx"
    path.write_bytes(response.content)
    sheet = openpyxl.load_workbook(path).active
    assert sheet is not None
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[1][0] == "Generated at" and str(rows[1][1]).startswith(utc_today().isoformat())
    assert rows[2][:2] == ["Filters", f"status=published; region={LUOHU}; q={MARK}"]
    header = next(i for i, row in enumerate(rows) if row[0] == "ID")
    data = [row for row in rows[header + 1 :] if any(cell is not None for cell in row)]
    assert {row[0] for row in data} == {listed["power_room"], listed["metro_space"]}
    title = rows[header].index("需求名称 Title")
    power = next(row for row in data if row[0] == listed["power_room"])
    assert power[title] == f'\'=HYPERLINK("http://evil") {MARK}'  # text, never a formula
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert all(cell.data_type != "f" for cell in cells)
