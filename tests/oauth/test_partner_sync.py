"""examples/partner_sync.py run as a partner would run it, against a live server."""

from __future__ import annotations

import csv
import re
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.oauth.conftest import OAuthServer, register_client

ROOT = Path(__file__).resolve().parents[2]
PROGRAM = ROOT / "examples" / "partner_sync.py"
ASSETS_CSV = ROOT / "tests" / "data" / "partner_assets.csv"
SCOPES = ["assets:write", "assets:read", "needs:read", "matches:read"]


@pytest.fixture(scope="module")
def partner(oauth_server: OAuthServer) -> dict[str, str]:
    return register_client(oauth_server.url, "admin@mobile.example", name="移动 GIS 同步", scopes=SCOPES)


def run_sync(server: OAuthServer, partner: dict[str, str], *extra: str) -> subprocess.CompletedProcess[str]:
    command = [
        sys.executable,
        str(PROGRAM),
        "--base-url",
        server.url,
        "--client-id",
        partner["client_id"],
        "--client-secret",
        partner["client_secret"],
        *extra,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


def api(server: OAuthServer, partner: dict[str, str]) -> httpx.Client:
    token = httpx.post(
        f"{server.url}/oauth/token",
        data={"grant_type": "client_credentials", "scope": " ".join(SCOPES)},
        auth=(partner["client_id"], partner["client_secret"]),
    ).json()["access_token"]
    return httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {token}"}, timeout=30)


def wait_for_the_index(client: httpx.Client, seconds: float = 180) -> float:
    """The server rebuilds its empty index from the demo data at start: until the index exists
    search answers from the database (degraded), then from the empty index (nothing found)
    until the rebuilt one is swapped in. Returns how long that took."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        found = client.get("/api/v1/search/assets", params={"page_size": 1}).json()
        if not found["degraded"] and found["total"] > 0:
            return time.monotonic() - started
        time.sleep(0.5)
    raise TimeoutError("the search index was not rebuilt")


def printed_matches(stdout: str) -> dict[str, list[str]]:
    """need id -> asset ids of its printed matches, in the printed order."""
    shown: dict[str, list[str]] = {}
    current = ""
    for line in stdout.splitlines():
        if found := re.match(r"need (\S+) \[", line):
            current = found.group(1)
            shown[current] = []
        elif found := re.match(r"  match (\S+) score=", line):
            shown[current].append(found.group(1))
    return shown


def test_partner_sync_pushes_the_csv_and_prints_the_matches(
    oauth_server: OAuthServer, partner: dict[str, str]
) -> None:
    with api(oauth_server, partner) as client:
        wait_for_the_index(client)
    first = run_sync(oauth_server, partner, "--csv", str(ASSETS_CSV), "--limit", "5")
    assert first.returncode == 0, first.stderr
    assert "degraded" not in first.stdout
    assert "中国移动深圳分公司（演示）" in first.stdout
    assert "imported partner_assets.csv: 4 rows, 4 created, 0 updated, 0 unchanged" in first.stdout

    with api(oauth_server, partner) as client:
        organisation = client.get("/api/v1/me").json()["organisation"]["id"]
        mine = client.get("/api/v1/assets", params={"owner": organisation, "page_size": 500}).json()["items"]
        landed = {asset["external_id"]: asset for asset in mine}
        with ASSETS_CSV.open(encoding="utf-8") as rows:
            for row in csv.DictReader(rows):
                asset = landed[row["external_id"]]
                assert (asset["name"], asset["kind"], asset["region_code"]) == (
                    row["name"],
                    row["kind"],
                    row["region_code"],
                )
                assert asset["capacity"]["free"] == int(row["capacity_free"])

        needs = client.get(
            "/api/v1/needs",
            params={"organisation_id": organisation, "status": ["published", "matched"], "page_size": 100},
        ).json()["items"]
        shown = printed_matches(first.stdout)
        assert set(shown) == {need["id"] for need in needs} and needs
        for need in needs:
            matches = client.get(f"/api/v1/needs/{need['id']}/matches", params={"limit": 5}).json()
            assert shown[need["id"]] == [match["asset"]["id"] for match in matches["matches"]]
        assert sum(len(ids) for ids in shown.values()) > 0
        assert f"{len(needs)} open needs, {sum(len(ids) for ids in shown.values())} matches" in first.stdout

    again = run_sync(oauth_server, partner, "--csv", str(ASSETS_CSV))
    assert again.returncode == 0, again.stderr
    assert "4 rows, 0 created, 0 updated, 4 unchanged" in again.stdout


def test_partner_sync_reports_a_rejected_file_and_a_wrong_secret(
    oauth_server: OAuthServer, partner: dict[str, str], tmp_path: Path
) -> None:
    broken = tmp_path / "broken.csv"
    lines = ASSETS_CSV.read_text(encoding="utf-8").splitlines()
    broken.write_text("\n".join([lines[0], lines[1].replace(",tower,", ",rocket,")]), encoding="utf-8")
    rejected = run_sync(oauth_server, partner, "--csv", str(broken))
    assert rejected.returncode == 1
    assert "sync failed" in rejected.stderr and "kind" in rejected.stderr

    wrong = run_sync(oauth_server, {**partner, "client_secret": "not-it"}, "--csv", str(ASSETS_CSV))
    assert wrong.returncode == 1 and "invalid_client" in wrong.stderr


def test_a_client_without_assets_write_cannot_push(oauth_server: OAuthServer) -> None:
    reader = register_client(
        oauth_server.url, "admin@mobile.example", name="只读", scopes=["needs:read", "matches:read"]
    )
    result = run_sync(oauth_server, reader, "--csv", str(ASSETS_CSV))
    assert result.returncode == 1
    assert "invalid_scope" in result.stderr or "insufficient" in result.stderr
