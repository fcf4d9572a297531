"""Bulk import from real CSV and GeoJSON files: all or nothing, idempotent, as a job when large."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from infrashare.assets import import_rows
from tests.sessions import Client, sign_in
from tests.waiting import eventually

DATA = Path(__file__).parents[1] / "data"
CSV = {"Content-Type": "text/csv"}
GEOJSON = {"Content-Type": "application/geo+json"}

BAD_FILE_REPORT = [
    {"row": 3, "field": "capacity_free", "message": "free (9) exceeds total (6)"},
    {"row": 4, "field": "lat", "message": "Input should be less than or equal to 90"},
    {"row": 5, "field": "ready_date", "message": "a planned asset needs a ready date"},
    {"row": 6, "field": "region_code", "message": "unknown region 449999"},
    {"row": 7, "field": "lon", "message": "a duct is a LineString"},
    {"row": 8, "field": "route", "message": "List should have at least 2 items after validation, not 1"},
    {"row": 9, "field": "external_id", "message": "repeats row 2"},
    {"row": 10, "field": "diameter_mm", "message": "is not an attribute of a tower"},
    {
        "row": 11,
        "field": "kind",
        "message": "Input should be 'tower', 'pole', 'duct', 'cable', 'machine_room' or 'reserved_space'",
    },
    {"row": 12, "field": "route", "message": "the route has zero length (all vertices are the same point)"},
    {
        "row": 12,
        "field": "capacity_total",
        "message": "Input should be a valid integer, unable to parse string as an integer",
    },
]


async def _own_assets(client: Client) -> list[dict[str, Any]]:
    me = (await client.get("/api/v1/me")).json()
    params = {
        "owner": me["organisation"]["id"],
        "page_size": 500,
        "status": ["planned", "available", "full", "retired"],
    }
    response = await client.get("/api/v1/assets", params=params)
    items: list[dict[str, Any]] = response.json()["items"]
    return items


async def _import(client: Client, payload: bytes, headers: dict[str, str] = CSV, **params: Any) -> Any:
    return await client.post("/api/v1/assets/imports", content=payload, headers=headers, params=params)


async def test_a_file_with_bad_rows_gives_the_full_report_and_writes_nothing(client: Client) -> None:
    await sign_in(client, "admin@water.example")
    response = await _import(client, (DATA / "assets_bad.csv").read_bytes())
    assert response.status_code == 422
    problem = response.json()
    assert problem["errors"] == BAD_FILE_REPORT
    assert problem["detail"] == "11 problem(s) found; nothing was written."
    assert await _own_assets(client) == []  # row 2 was fine, and still was not written

    job = (await client.get(f"/api/v1/assets/imports/{problem['job_id']}")).json()
    assert job["status"] == "failed"
    assert job["error_count"] == 11
    assert [
        {"row": e["row"], "field": e["column"], "message": e["message"]} for e in job["errors"]
    ] == BAD_FILE_REPORT


async def test_the_good_file_imports_and_importing_it_again_changes_nothing(client: Client) -> None:
    await sign_in(client, "admin@water.example")
    payload = (DATA / "assets_good.csv").read_bytes()
    assert payload.startswith(b"\xef\xbb\xbf")  # saved by Excel: with a BOM

    first = await _import(client, payload, filename="assets_good.csv")
    assert first.status_code == 200, first.text
    assert first.json() | {"id": None, "created_at": None, "finished_at": None, "content_digest": None} == {
        "id": None,
        "status": "succeeded",
        "format": "csv",
        "filename": "assets_good.csv",
        "content_digest": None,
        "rows_total": 8,
        "rows_validated": 8,
        "rows_written": 8,
        "created_count": 8,
        "updated_count": 0,
        "unchanged_count": 0,
        "error_count": 0,
        "detail": "8 created, 0 updated, 0 unchanged.",
        "created_at": None,
        "finished_at": None,
        "errors": [],
    }
    assets = {a["external_id"]: a for a in await _own_assets(client)}
    assert len(assets) == 8
    room = assets["SZ-MR-0001"]
    assert room["name"] == "车公庙站通信机房"
    assert room["capacity"] == {
        "unit": "rack_positions",
        "total": 20,
        "free": 6,
        "power_kw": 60.0,
        "power_guarantee": True,
    }
    assert assets["SZ-TWR-0001"]["attributes"]["mounting_heights_m"] == [30, 33, 35]
    assert assets["SZ-CBL-0001"]["geometry"]["coordinates"][0] == [113.899, 22.53]
    assert assets["SZ-RS-0001"]["ready_date"] == "2027-12-31"

    again = await _import(client, payload)
    assert again.status_code == 200
    assert again.json()["created_count"] == 0
    assert again.json()["updated_count"] == 0
    assert again.json()["unchanged_count"] == 8
    after = {a["external_id"]: a for a in await _own_assets(client)}
    assert after == assets  # same versions, same timestamps
    history = (await client.get(f"/api/v1/assets/{room['id']}/history")).json()
    assert [event["action"] for event in history] == ["asset.created"]


async def test_a_changed_row_updates_that_asset_only(client: Client) -> None:
    await sign_in(client, "admin@water.example")
    text = (DATA / "assets_good.csv").read_text(encoding="utf-8-sig")
    assert (await _import(client, text.encode())).status_code == 200  # without the BOM
    rows = list(csv.DictReader(io.StringIO(text)))
    rows[0]["capacity_free"] = "1"
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    response = await _import(client, buffer.getvalue().encode())
    assert (response.json()["created_count"], response.json()["updated_count"]) == (0, 1)
    assert response.json()["unchanged_count"] == 7
    tower = next(a for a in await _own_assets(client) if a["external_id"] == "SZ-TWR-0001")
    assert tower["version"] == 2
    assert tower["capacity"]["free"] == 1
    history = (await client.get(f"/api/v1/assets/{tower['id']}/history")).json()
    assert history[-1]["action"] == "asset.updated"
    assert history[-1]["before"] == {"capacity_free": 3}
    assert history[-1]["after"] == {"capacity_free": 1}
    assert history[-1]["reason"].startswith("bulk import ")


async def test_geojson_imports_too(client: Client) -> None:
    await sign_in(client, "admin@gas.example")
    response = await _import(client, (DATA / "assets_good.geojson").read_bytes(), GEOJSON)
    assert response.status_code == 200, response.text
    assert response.json()["created_count"] == 3
    assets = {a["external_id"]: a for a in await _own_assets(client)}
    assert assets["GJ-TWR-1"]["attributes"]["mounting_heights_m"] == [40, 43, 45]
    assert assets["GJ-RS-1"]["attributes"]["host_structure"] == "tunnel"
    bad = b'{"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": null, "properties": {}}]}'
    report = (await _import(client, bad, GEOJSON)).json()["errors"]
    assert {
        "field": "external_id",
        "message": "required for an import (rows are matched by it)",
        "row": 1,
    } in report


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        (b"", "file", "The file is empty"),
        ("编号,kind\n".encode(), "编号", "unknown column"),
        (b"external_id,kind,name\n", "region_code", "required column is missing"),
        ("external_id,kind,name\n".encode("utf-16"), "file", "not UTF-8"),
    ],
)
async def test_broken_files_are_refused_with_a_file_level_problem(
    client: Client, payload: bytes, field: str, message: str
) -> None:
    await sign_in(client, "admin@water.example")
    response = await _import(client, payload)
    assert response.status_code == 422
    assert any(e["field"] == field and message in e["message"] for e in response.json()["errors"]), (
        response.text
    )


async def test_each_kinds_template_downloads_and_imports(client: Client) -> None:
    await sign_in(client, "admin@water.example")
    for kind in ("tower", "pole", "duct", "cable", "machine_room", "reserved_space"):
        template = await client.get(f"/api/v1/assets/templates/{kind}")
        assert template.status_code == 200
        assert template.headers["content-type"].startswith("text/csv")
        response = await _import(client, template.content)
        assert response.status_code == 200, (kind, response.text)
    assert (await client.get("/api/v1/assets/templates/antenna")).status_code in (400, 404, 422)


async def test_large_imports_run_as_a_job_that_reports_progress(client: Client) -> None:
    await sign_in(client, "admin@water.example")
    response = await _import(client, (DATA / "assets_good.csv").read_bytes(), background="true")
    assert response.status_code == 202, response.text
    location = response.headers["location"]
    job = response.json()
    job = await _settled(client, location)
    assert job["status"] == "succeeded", job
    assert job["rows_validated"] == 8 and job["created_count"] == 8
    assert len(await _own_assets(client)) == 8

    failing = await _import(client, (DATA / "assets_bad.csv").read_bytes(), background="true")
    job = await _settled(client, failing.headers["location"])
    assert job["status"] == "failed"
    assert job["error_count"] == len(BAD_FILE_REPORT)
    assert len(await _own_assets(client)) == 8


async def test_jobs_are_private_to_their_organisation_and_regulators_cannot_import(
    client: Client, as_user: Any
) -> None:
    await sign_in(client, "admin@water.example")
    job_id = (await _import(client, (DATA / "assets_good.csv").read_bytes())).json()["id"]
    mobile = await as_user("admin@mobile.example")
    assert (await mobile.get(f"/api/v1/assets/imports/{job_id}")).status_code == 404
    regulator = await as_user("reviewer@sz-ca.example")
    refused = await _import(regulator, (DATA / "assets_good.csv").read_bytes())
    assert refused.status_code == 403


async def test_the_event_chain_stays_intact_after_a_bulk_import(client: Client, as_user: Any) -> None:
    await sign_in(client, "admin@water.example")
    assert (await _import(client, (DATA / "assets_good.csv").read_bytes())).status_code == 200
    admin = await as_user("admin@platform.example")
    report = (await admin.get("/api/v1/audit/verify")).json()
    assert report["ok"] is True, report


async def test_odd_geojson_values_are_reported_never_a_500(client: Client) -> None:
    await sign_in(client, "admin@water.example")
    feature = {
        "type": "Feature",
        "geometry": {
            "type": "Polygon",
            "coordinates": [[[113.9, 22.5], [114.0, 22.5], [113.9, 22.6], [113.9, 22.5]]],
        },
        "properties": {
            "external_id": 17,
            "kind": ["tower"],
            "name": "奇怪的要素",
            "region_code": 440305,
            "capacity_total": "6",
            "capacity_free": {"n": 1},
            "power_guarantee": [True],
        },
    }
    payload = json.dumps({"type": "FeatureCollection", "features": [feature, "not a feature"]}).encode()
    response = await _import(client, payload, GEOJSON)
    assert response.status_code == 422, response.text
    fields = {(error["row"], error["field"]) for error in response.json()["errors"]}
    assert {(1, "kind"), (1, "geometry"), (1, "capacity_free"), (2, "feature")} <= fields


async def test_retire_takes_the_version_from_if_match_without_a_body(client: Client) -> None:
    await sign_in(client, "admin@water.example")
    response = await _import(client, (DATA / "assets_good.csv").read_bytes())
    assert response.status_code == 200
    tower = next(a for a in await _own_assets(client) if a["external_id"] == "SZ-TWR-0001")
    retired = await client.post(f"/api/v1/assets/{tower['id']}/retire", headers={"If-Match": '"1"'})
    assert retired.status_code == 200, retired.text
    assert retired.json()["status"] == "retired"


def _poles_csv(count: int, broken_row: int | None = None) -> bytes:
    """``count`` smart poles along Shenzhen's Shennan Avenue; ``broken_row`` (a spreadsheet row
    number) gets more free positions than it has."""
    lines = [
        "external_id,kind,name,status,region_code,lon,lat,capacity_total,capacity_free,height_m,structure_type"
    ]
    for number in range(count):
        free = 9 if number + 2 == broken_row else 1
        lon = 113.95 + number * 0.00002
        lines.append(
            f"SN-POLE-{number:05d},pole,深南大道智慧杆 {number},available,440304,{lon:.5f},22.54,2,{free},12,smart_pole"
        )
    return ("\n".join(lines) + "\n").encode()


async def _finished(client: Client, response: Any) -> dict[str, Any]:
    assert response.status_code == 202, response.text
    return await _settled(client, response.headers["location"])


async def _settled(client: Client, location: str) -> dict[str, Any]:
    async def job() -> dict[str, Any]:
        found: dict[str, Any] = (await client.get(location)).json()
        return found

    return await eventually(
        job, lambda found: found["status"] in ("succeeded", "failed"), "the import job ends"
    )


@pytest.fixture
def settings(settings: Any) -> Any:
    """Background imports run on the app's worker; large uploads are checked in a checker
    process, slice by slice."""
    return settings.model_copy(
        update={"import_workers": 1, "run_worker": True, "worker_tasks": ["asset-imports"]}
    )


async def test_an_error_in_the_last_slice_undoes_the_slices_already_written(
    client: Client, as_user: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(import_rows, "WORKER_MIN_ROWS", import_rows.SLICE)  # checked in a worker process
    await sign_in(client, "admin@water.example")
    rows = 4 * import_rows.SLICE + 500
    broken = await _finished(client, await _import(client, _poles_csv(rows, broken_row=rows)))
    assert broken["status"] == "failed"
    assert broken["errors"] == [
        {"row": rows, "column": "capacity_free", "message": "free (9) exceeds total (2)"}
    ]
    assert await _own_assets(client) == []

    job = await _finished(client, await _import(client, _poles_csv(rows)))
    assert (job["status"], job["created_count"], job["rows_written"]) == ("succeeded", rows, rows)
    again = await _finished(client, await _import(client, _poles_csv(rows)))
    assert (again["unchanged_count"], again["updated_count"]) == (rows, 0)
    admin = await as_user("admin@platform.example")
    report = (await admin.get("/api/v1/audit/verify")).json()
    assert report["ok"] is True, report
