"""OAuth scopes, and how a handler declares the one it needs.

``requires("assets:read")`` goes into a route decorator: the bearer-token check reads it from
the handler's ``opt`` and the OpenAPI document shows it as the operation's security. Handlers
that declare nothing are for signed-in people only (the web UI), never for tokens.
"""

from __future__ import annotations

from typing import Any

from infrashare.core.contract import ANY_SCOPE

SCOPES: dict[str, str] = {
    "assets:read": "读取资产 Read assets",
    "assets:write": "创建和修改本单位资产 Create and change your organisation's assets",
    "needs:read": "读取需求清单 Read the needs list",
    "needs:write": "提交和修改本单位需求 Post and change your organisation's needs",
    "matches:read": "读取匹配结果 Read matches",
    "agreements:read": "读取共享申请和协议 Read sharing requests and agreements",
    "agreements:write": "发起和答复共享申请 Make and answer sharing requests",
    "stats:read": "读取统计 Read statistics",
    "webhooks:manage": "管理 Webhook 订阅 Manage webhook subscriptions",
}


def requires(scope: str) -> dict[str, Any]:
    """Route-decorator arguments declaring the scope a bearer token needs for this operation."""
    if scope != ANY_SCOPE and scope not in SCOPES:
        raise ValueError(f"unknown scope {scope}")
    return {"opt": {"scope": scope}}
