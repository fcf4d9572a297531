"""The server-rendered pages' catalogue: both languages say the same things, and what the
templates insert into catalogue texts is escaped."""

from __future__ import annotations

from typing import Any

from infrashare.core.pages import LANGUAGES, both, catalogue, say
from infrashare.core.scopes import SCOPES


def _keys(document: dict[str, Any]) -> set[str]:
    return {f"{section}.{name}" for section, texts in document.items() for name in texts}


def test_every_language_has_every_text_and_every_scope() -> None:
    zh, en = (_keys(catalogue(language)) for language in LANGUAGES)
    assert zh == en
    assert {f"scopes.{scope}" for scope in SCOPES} <= zh


def test_catalogue_markup_stays_and_parameters_are_escaped() -> None:
    asks = say("zh-CN", "consent.asks", client="<b>App</b>", organisation="甲&乙", user='"某人"')
    assert str(asks) == (
        "&lt;b&gt;App&lt;/b&gt;（甲&amp;乙）请求以 <strong>&#34;某人&#34;</strong> 的身份访问 InfraShare："
    )
    assert str(both("consent.allow")) == "允许 Allow"
