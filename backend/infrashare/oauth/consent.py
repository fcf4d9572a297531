"""The consent page a person sees when a partner app asks to act for them."""

from __future__ import annotations

from html import escape

from infrashare.core.scopes import SCOPES

_STYLE = (
    "body{font-family:system-ui,'PingFang SC','Microsoft YaHei',sans-serif;max-width:36rem;margin:3rem auto;"
    "padding:0 1rem;color:#1f2328}li{margin:.3rem 0}button{font-size:1rem;padding:.5rem 1.2rem;margin-right:.5rem}"
)


def _page(title: str, body: str) -> str:
    return (
        f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" '
        f'content="width=device-width, initial-scale=1"><title>{escape(title)}</title><style>{_STYLE}</style>'
        f"</head><body>{body}</body></html>"
    )


def consent_page(
    client_name: str,
    organisation_name: str,
    user_name: str,
    scopes: list[str],
    hidden: dict[str, str],
    csrf: str,
) -> str:
    items = "".join(f"<li><code>{escape(s)}</code> — {escape(SCOPES.get(s, s))}</li>" for s in scopes)
    fields = "".join(
        f'<input type="hidden" name="{escape(k)}" value="{escape(v)}">' for k, v in hidden.items()
    )
    body = (
        f"<h1>授权 Authorise <em>{escape(client_name)}</em></h1>"
        f"<p>{escape(client_name)}（{escape(organisation_name)}）请求以 <strong>{escape(user_name)}</strong> 的身份访问 InfraShare：</p>"
        f"<p>{escape(client_name)} ({escape(organisation_name)}) asks to act for you with these permissions:</p>"
        f'<ul id="scopes">{items}</ul>'
        f'<form method="post" action="/oauth/authorize">{fields}'
        f'<input type="hidden" name="csrf_token" value="{escape(csrf)}">'
        '<button type="submit" name="decision" value="allow" id="allow">允许 Allow</button>'
        '<button type="submit" name="decision" value="deny" id="deny">拒绝 Deny</button></form>'
    )
    return _page("InfraShare 授权 Authorise", body)


def error_page(error: str, description: str) -> str:
    body = (
        "<h1>授权请求无效 Invalid authorisation request</h1>"
        f"<p><code>{escape(error)}</code>: {escape(description)}</p>"
        "<p>请返回发起请求的应用。Go back to the application that sent you here.</p>"
    )
    return _page("InfraShare", body)
