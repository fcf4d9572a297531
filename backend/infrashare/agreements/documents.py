"""The printable agreement document: parties, asset, units, term, terms and the event trail.

Plain HTML with print CSS (the browser's "print to PDF" makes the PDF), from the template
``agreements/document.html``; its labels are in the pages' catalogue (core/pages.py). The trail
lists every event of the request from the hash-chained log with its sequence number and hash,
so a reader can check it against ``infrashare audit verify`` output or the raw log.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from infrashare.agreements.lifecycle import AGREEMENT_STATES
from infrashare.agreements.service import RequestView
from infrashare.audit.models import Event

TEMPLATE = "agreements/document.html"


def _summary(view: RequestView) -> list[tuple[str, object]]:
    """(catalogue key under ``document.``, value) for each line of the summary table."""
    request, asset = view.request, view.asset
    return [
        ("reference", request.id),
        ("status", request.status.value),
        ("requester", f"{view.requester_name} ({request.requester_organisation_id})"),
        ("owner", f"{view.owner_name} ({request.owner_organisation_id})"),
        ("asset", f"{asset.name} ({asset.kind.value}, {asset.id})"),
        ("region", asset.region_code),
        ("units", f"{request.units} {asset.capacity_unit}"),
        ("term", f"{request.start_date.isoformat()} — {request.end_date.isoformat()}"),
        ("annual_fee", request.annual_fee_cny),
        ("need", request.need_id),
        ("active_since", request.activated_at.isoformat() if request.activated_at else None),
        ("notice_date", request.notice_date),
        ("closed", request.closed_at.isoformat() if request.closed_at else None),
    ]


def _trail(events: list[Event], organisation_names: dict[str, str]) -> list[dict[str, object]]:
    return [
        {
            "seq": event.seq,
            "time": event.occurred_at.isoformat(timespec="seconds"),
            "action": event.action,
            "status": (event.after or {}).get("status", ""),
            "by": organisation_names.get(str(event.actor_organisation_id)),  # None: the system
            "reason": event.reason or "",
            "hash": event.hash,
        }
        for event in events
    ]


def document_context(
    view: RequestView, events: list[Event], organisation_names: dict[str, str], generated_at: datetime
) -> dict[str, Any]:
    """What the document template shows."""
    request = view.request
    return {
        "title": "document.agreement" if request.status in AGREEMENT_STATES else "document.request",
        "reference": str(request.id),
        "summary": _summary(view),
        "terms": request.terms,
        "trail": _trail(events, organisation_names),
        "generated_at": generated_at.isoformat(timespec="seconds"),
    }
