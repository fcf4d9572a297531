"""A partner system's nightly sync with InfraShare, as an operator's GIS team would write it.

1. Authenticates with the OAuth 2.0 client-credentials grant (an organisation's machine client,
   registered by its admin under 设置 → API 客户端 / ``POST /api/v1/oauth/clients``).
2. Pushes the operator's assets from a CSV file (the asset import template's columns) through
   ``POST /api/v1/assets/imports``: rows are upserted by ``external_id``, so running it again
   changes nothing that did not change; a bad row rejects the whole file with every error.
3. Lists the matches (candidate assets of other organisations) for each of its organisation's
   open needs.

The client needs the scopes ``assets:write assets:read needs:read matches:read``.

    python examples/partner_sync.py --base-url https://infrashare.example \\
        --client-id … --client-secret … --csv our-assets.csv

Uses only httpx and Authlib's OAuth client; exit status 0 on success, 1 on a rejected import
or an API error (the problem details are printed to stderr).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.httpx_client import OAuth2Client

SCOPES = "assets:write assets:read needs:read matches:read"
OPEN_NEEDS = ("published", "matched")


class SyncFailed(Exception):
    pass


def connect(base_url: str, client_id: str, client_secret: str) -> OAuth2Client:
    """A client that fetches a new token whenever its token is about to expire."""
    return OAuth2Client(
        client_id,
        client_secret,
        scope=SCOPES,
        token_endpoint=f"{base_url}/oauth/token",
        grant_type="client_credentials",
        base_url=base_url,
        timeout=60,
    )


def answer(response: httpx.Response) -> Any:
    if response.is_error:
        raise SyncFailed(f"{response.request.method} {response.request.url.path}: {response.text}")
    return response.json()


def push_assets(api: OAuth2Client, csv_path: Path) -> dict[str, Any]:
    """Uploads the CSV; large files run as a job on the server, which this polls to the end."""
    response = api.post(
        "/api/v1/assets/imports",
        params={"format": "csv", "filename": csv_path.name},
        content=csv_path.read_bytes(),
        headers={"Content-Type": "text/csv"},
    )
    job: dict[str, Any] = answer(response)
    while job["status"] not in ("succeeded", "failed"):
        time.sleep(1)
        job = answer(api.get(f"/api/v1/assets/imports/{job['id']}"))
    if job["status"] != "succeeded":
        errors = "\n".join(f"  row {e['row']} {e['column']}: {e['message']}" for e in job["errors"])
        raise SyncFailed(f"import of {csv_path.name} {job['status']}: {job['detail']}\n{errors}")
    return job


def own_needs(api: OAuth2Client, organisation_id: str) -> Iterator[dict[str, Any]]:
    page = 1
    while True:
        params: dict[str, Any] = {
            "organisation_id": organisation_id,
            "status": list(OPEN_NEEDS),
            "page": page,
            "page_size": 100,
        }
        body = answer(api.get("/api/v1/needs", params=params))
        yield from body["items"]
        if page * body["page_size"] >= body["total"]:
            return
        page += 1


def print_matches(api: OAuth2Client, need: dict[str, Any], limit: int) -> int:
    found = answer(api.get(f"/api/v1/needs/{need['id']}/matches", params={"limit": limit}))
    degraded = " (search degraded: database fallback)" if found["degraded"] else ""
    print(f"need {need['id']} [{need['status']}] {need['title']}: {len(found['matches'])} matches{degraded}")
    for match in found["matches"]:
        asset = match["asset"]
        print(
            f"  match {asset['id']} score={match['score']:.4f} distance={match['distance_m']:.0f}m"
            f" {asset['kind']} {asset['name']} free={asset['capacity']['free']}"
        )
    return len(found["matches"])


def sync(base_url: str, client_id: str, client_secret: str, csv_path: Path, limit: int) -> None:
    with connect(base_url.rstrip("/"), client_id, client_secret) as api:
        api.fetch_token(grant_type="client_credentials")
        me = answer(api.get("/api/v1/me"))
        organisation = me["organisation"]
        print(f"signed in as client {me['client_id']} of {organisation['name']}")
        job = push_assets(api, csv_path)
        print(
            f"imported {csv_path.name}: {job['rows_total']} rows, {job['created_count']} created,"
            f" {job['updated_count']} updated, {job['unchanged_count']} unchanged"
        )
        needs = list(own_needs(api, organisation["id"]))
        total = sum(print_matches(api, need, limit) for need in needs)
        print(f"{len(needs)} open needs, {total} matches")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--base-url", required=True, help="InfraShare's address, e.g. https://infrashare.example"
    )
    parser.add_argument("--client-id", required=True)
    parser.add_argument("--client-secret", required=True)
    parser.add_argument("--csv", required=True, type=Path, help="Assets in the import template's columns")
    parser.add_argument("--limit", type=int, default=10, help="Matches shown per need (1-100)")
    args = parser.parse_args(argv)
    try:
        sync(args.base_url, args.client_id, args.client_secret, args.csv, args.limit)
    except (SyncFailed, OAuthError, httpx.HTTPError, OSError) as exc:
        print(f"sync failed: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
