"""Setting the scene for browser tests through the real API, with the signed-in browser's session.

Some steps of a story belong to screens tested elsewhere (asking for access is on the need's
page); these helpers take those steps through the same API the UI calls, with the same cookie
and CSRF token, so the screen under test starts from a real state.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from playwright.sync_api import APIResponse, Page

from tests.e2e.conftest import Screenshot

REGULATOR = "reviewer@sz-ca.example"
MOBILE_ADMIN = "admin@mobile.example"


def _json(response: APIResponse) -> Any:
    assert response.ok, f"{response.status} {response.url}: {response.text()}"
    return response.json()


def me(page: Page) -> dict[str, Any]:
    result: dict[str, Any] = _json(page.request.get("/api/v1/me"))
    return result


def post(page: Page, path: str, body: dict[str, Any] | None = None) -> Any:
    token = me(page)["csrf_token"]
    return _json(page.request.post(path, data=body or {}, headers={"X-CSRF-Token": token}))


def free_asset_of(page: Page, owner_id: str, kind: str = "tower") -> dict[str, Any]:
    """An available asset of another organisation with at least two free units."""
    params: dict[str, str | float | bool] = {
        "owner": owner_id,
        "kind": kind,
        "status": "available",
        "min_free": 2,
    }
    items = _json(page.request.get("/api/v1/assets", params={**params, "page_size": 50}))["items"]
    assert items, f"no free {kind} of {owner_id}"
    asset: dict[str, Any] = items[0]
    return asset


def request_access(page: Page, asset_id: str, units: int = 1, terms: str = "") -> dict[str, Any]:
    """The requester's step: ask the asset's owner for units for a year from next month."""
    start = datetime.now(UTC).date() + timedelta(days=30)
    body = {
        "asset_id": asset_id,
        "units": units,
        "start_date": start.isoformat(),
        "end_date": (start + timedelta(days=365)).isoformat(),
        "terms": terms,
        "annual_fee_cny": 12000,
    }
    result: dict[str, Any] = post(page, "/api/v1/sharing-requests", body)
    return result


def save_screenshot(other: Page, screenshot: Screenshot, step: str) -> None:
    """A screenshot of a second signed-in page, numbered among the test's own."""
    path = screenshot(step)  # reserves the step's number and file name
    other.screenshot(path=str(path), full_page=True)
