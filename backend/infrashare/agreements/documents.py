"""The printable agreement document: parties, asset, units, term, terms and the event trail.

Plain HTML with print CSS (the browser's "print to PDF" makes the PDF). The trail lists every
event of the request from the hash-chained log with its sequence number and hash, so a reader
can check it against ``infrashare audit verify`` output or the raw log.
"""

from __future__ import annotations

from datetime import datetime
from html import escape

from infrashare.agreements.lifecycle import AGREEMENT_STATES
from infrashare.agreements.service import RequestView
from infrashare.audit.models import Event

STYLE = """
body { font-family: "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif; margin: 2em; color: #111; }
h1 { font-size: 1.5em; } h2 { font-size: 1.15em; margin-top: 1.5em; border-bottom: 1px solid #999; }
table { border-collapse: collapse; width: 100%; } th, td { border: 1px solid #bbb; padding: 4px 6px;
text-align: left; vertical-align: top; font-size: 0.9em; } th { background: #f1f1f1; width: 14em; }
.hash { font-family: monospace; font-size: 0.8em; } .terms { white-space: pre-wrap; }
@media print { body { margin: 0; } }
"""


def _row(label: str, value: object) -> str:
    return f"<tr><th>{escape(label)}</th><td>{escape('' if value is None else str(value))}</td></tr>"


def render_document(
    view: RequestView, events: list[Event], organisation_names: dict[str, str], generated_at: datetime
) -> str:
    request, asset = view.request, view.asset
    is_agreement = request.status in AGREEMENT_STATES
    title = (
        "基础设施共享协议 Infrastructure sharing agreement" if is_agreement else "共享申请 Sharing request"
    )
    summary = [
        _row("编号 Reference", request.id),
        _row("状态 Status", request.status.value),
        _row("申请方 Requester", f"{view.requester_name} ({request.requester_organisation_id})"),
        _row("产权方 Owner", f"{view.owner_name} ({request.owner_organisation_id})"),
        _row("资产 Asset", f"{asset.name} ({asset.kind.value}, {asset.id})"),
        _row("行政区划 Region", asset.region_code),
        _row("数量 Units", f"{request.units} {asset.capacity_unit}"),
        _row("期限 Term", f"{request.start_date.isoformat()} — {request.end_date.isoformat()}"),
        _row("年费 Annual fee (CNY)", request.annual_fee_cny),
        _row("关联需求 Need", request.need_id),
        _row("生效 Active since", request.activated_at.isoformat() if request.activated_at else None),
        _row("终止通知日 Notice date", request.notice_date),
        _row("结束 Closed", request.closed_at.isoformat() if request.closed_at else None),
    ]
    trail = []
    for event in events:
        actor = organisation_names.get(str(event.actor_organisation_id), "系统 system")
        status = (event.after or {}).get("status", "")
        trail.append(
            "<tr>"
            f"<td>{event.seq}</td><td>{escape(event.occurred_at.isoformat(timespec='seconds'))}</td>"
            f"<td>{escape(event.action)}</td><td>{escape(str(status))}</td><td>{escape(actor)}</td>"
            f"<td>{escape(event.reason or '')}</td><td class='hash'>{escape(event.hash)}</td>"
            "</tr>"
        )
    return (
        "<!DOCTYPE html>\n<html lang='zh-CN'><head><meta charset='utf-8'>"
        f"<title>{escape(title)} {request.id}</title><style>{STYLE}</style></head><body>"
        f"<h1>{escape(title)}</h1>"
        f"<table>{''.join(summary)}</table>"
        "<h2>条款 Terms</h2>"
        f"<div class='terms'>{escape(request.terms) or '—'}</div>"
        "<h2>记录 Event trail (hash-chained event log)</h2>"
        "<table><tr><th>#</th><th>时间 Time (UTC)</th><th>事件 Event</th><th>状态 Status</th>"
        "<th>操作方 By</th><th>理由 Reason</th><th>哈希 Hash</th></tr>"
        f"{''.join(trail)}</table>"
        f"<p>生成时间 Generated at {escape(generated_at.isoformat(timespec='seconds'))} (UTC).</p>"
        "</body></html>\n"
    )
