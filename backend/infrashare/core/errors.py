"""Errors as RFC 9457 problem details, with a stable ``type`` per kind of problem.

Business rules raise a ``DomainError`` subclass; the handlers here turn it, and every
framework error, into ``application/problem+json``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import structlog
from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR
from litestar.types import ExceptionHandlersMap

PROBLEM_MEDIA_TYPE = "application/problem+json"
logger = structlog.get_logger("infrashare.errors")


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str
    row: int | None = None
    code: str | None = None
    """A stable reason the web UI words in each language (``message`` is the English fallback)."""
    params: dict[str, Any] | None = None

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"field": self.field, "message": self.message}
        if self.row is not None:
            data["row"] = self.row
        if self.code is not None:
            data["code"] = self.code
        if self.params:
            data["params"] = self.params
        return data


class DomainError(Exception):
    """A broken business rule. Subclasses fix the status and the problem type."""

    status: ClassVar[int] = 400
    slug: ClassVar[str] = "bad-request"
    title: ClassVar[str] = "Bad request"
    # True when the unit of work must still commit (e.g. a failed sign-in counts the attempt).
    keeps_changes: ClassVar[bool] = False

    def __init__(self, detail: str, *, errors: list[FieldError] | None = None, **extra: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = errors or []
        self.extra = extra


class InvalidInput(DomainError):
    status, slug, title = 422, "validation-error", "Invalid input"


class NotAuthenticated(DomainError):
    status, slug, title = 401, "not-authenticated", "Not signed in"


class PermissionDenied(DomainError):
    status, slug, title = 403, "permission-denied", "Not allowed"


class CsrfFailed(DomainError):
    status, slug, title = 403, "csrf-failed", "CSRF token missing or wrong"


class NotFound(DomainError):
    status, slug, title = 404, "not-found", "Not found"


class Conflict(DomainError):
    status, slug, title = 409, "conflict", "Conflict"


def problem_type(slug: str) -> str:
    return f"/problems/{slug}"


def problem_response(
    status: int,
    slug: str,
    title: str,
    detail: str,
    request: Request[Any, Any, Any],
    headers: dict[str, str] | None = None,
    **members: Any,
) -> Response[dict[str, Any]]:
    body: dict[str, Any] = {
        "type": problem_type(slug),
        "title": title,
        "status": status,
        "detail": detail,
        "instance": request.url.path,
    }
    body.update({key: value for key, value in members.items() if value not in (None, [])})
    return Response(body, status_code=status, media_type=PROBLEM_MEDIA_TYPE, headers=headers or {})


def handle_domain_error(request: Request[Any, Any, Any], exc: DomainError) -> Response[dict[str, Any]]:
    return problem_response(
        exc.status,
        exc.slug,
        exc.title,
        exc.detail,
        request,
        errors=[error.as_dict() for error in exc.errors],
        **exc.extra,
    )


def _validation_errors(exc: ValidationException) -> list[dict[str, Any]]:
    errors = []
    for item in exc.extra if isinstance(exc.extra, list) else []:
        if isinstance(item, dict):
            field = str(item.get("key") or item.get("source") or "body")
            errors.append({"field": field, "message": str(item.get("message", "invalid"))})
    return errors


def handle_validation_error(
    request: Request[Any, Any, Any], exc: ValidationException
) -> Response[dict[str, Any]]:
    errors = _validation_errors(exc)
    if errors:
        return problem_response(
            422, "validation-error", "Invalid input", _summary(errors), request, errors=errors
        )
    return problem_response(400, "malformed-request", "Malformed request", str(exc.detail), request)


def _summary(errors: list[dict[str, Any]]) -> str:
    first = errors[0]
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return f"{first['field']}: {first['message']}{more}"


_HTTP_SLUGS = {
    400: ("malformed-request", "Malformed request"),
    401: ("not-authenticated", "Not signed in"),
    403: ("permission-denied", "Not allowed"),
    404: ("not-found", "Not found"),
    405: ("method-not-allowed", "Method not allowed"),
    413: ("payload-too-large", "Request body too large"),
    415: ("unsupported-media-type", "Unsupported media type"),
    429: ("rate-limited", "Too many requests"),
}


def handle_http_error(request: Request[Any, Any, Any], exc: HTTPException) -> Response[dict[str, Any]]:
    slug, title = _HTTP_SLUGS.get(exc.status_code, ("http-error", "Request failed"))
    if exc.status_code >= 500:
        slug, title = "internal-error", "Internal error"
    return problem_response(
        exc.status_code, slug, title, str(exc.detail), request, headers=dict(exc.headers or {})
    )


def handle_unexpected_error(request: Request[Any, Any, Any], exc: Exception) -> Response[dict[str, Any]]:
    logger.exception("unhandled error", path=request.url.path, exc_info=exc)
    return problem_response(
        HTTP_500_INTERNAL_SERVER_ERROR,
        "internal-error",
        "Internal error",
        "The server failed to handle this request; it was logged.",
        request,
    )


EXCEPTION_HANDLERS: ExceptionHandlersMap = {
    DomainError: handle_domain_error,
    ValidationException: handle_validation_error,
    HTTPException: handle_http_error,
    Exception: handle_unexpected_error,
}
