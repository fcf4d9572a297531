"""The consent page a person sees when a partner app asks to act for them, and the page that
says an authorisation request cannot go on. Templates in ``templates/oauth/``, words in the
pages' catalogue (core/pages.py)."""

from __future__ import annotations

from litestar import MediaType
from litestar.response import Template

from infrashare.core.scopes import SCOPES


def consent_page(
    client_name: str,
    organisation_name: str,
    user_name: str,
    scopes: list[str],
    hidden: dict[str, str],
    csrf: str,
) -> Template:
    context = {
        "client_name": client_name,
        "organisation_name": organisation_name,
        "user_name": user_name,
        "scopes": scopes,
        "known_scopes": set(SCOPES),
        "hidden": hidden,
        "csrf": csrf,
    }
    return Template("oauth/consent.html", context=context, media_type=MediaType.HTML)


def invalid_request_page(
    error: str, description: str | None, reason: str | None, *, status_code: int
) -> Template:
    """``error`` is the OAuth error code; why is either Authlib's ``description`` (English, as
    the library words it) or ``reason``, a key of the pages' catalogue for the app's own refusals."""
    context = {"error": error, "description": description or "", "reason": reason}
    return Template("oauth/invalid.html", context=context, status_code=status_code, media_type=MediaType.HTML)
