"""The OpenAPI document as partners' contract: one place decides what each operation documents.

Handlers declare only what is theirs (a scope with ``oauth.scopes.requires``, a domain status such
as 409 with ``problems(409)``); ``document_contract`` adds what follows from how a handler is built:
a caller (``principal``) means 401/403/429 and the session (with CSRF for writes) or a bearer token;
a path parameter means 404, and 409 for a write; any input means 400/422. Every error is one ``Problem`` schema sent as
``application/problem+json`` by ``core.errors``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from litestar import Litestar
from litestar.handlers import HTTPRouteHandler
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import OpenAPIMediaType, OpenAPIResponse, Operation, Schema
from litestar.plugins.pydantic import PydanticSchemaPlugin
from litestar.routes import HTTPRoute
from litestar.types import Message, Scope
from litestar.typing import FieldDefinition
from pydantic import BaseModel, ConfigDict, Field

from infrashare.core.db import SAFE_METHODS
from infrashare.core.errors import PROBLEM_MEDIA_TYPE

# Litestar adds "; charset=utf-8" to text/* types itself (writing it here would send it twice).
CSV_MEDIA_TYPE = "text/csv"
GEOJSON_MEDIA_TYPE = "application/geo+json"
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

SESSION_SECURITY: dict[str, list[str]] = {"session": []}
# Cookie writes carry the CSRF header too: both are needed together, so they share one entry.
SESSION_WRITE_SECURITY: dict[str, list[str]] = {"session": [], "csrf": []}
ANY_SCOPE = "*"
"""The scope of endpoints every token may call, whatever its scopes (who am I, reference data)."""

PROBLEM_DESCRIPTIONS: dict[int, str] = {
    400: "Malformed request: a parameter or the body cannot be read.",
    401: "Not signed in, or the session or token has ended.",
    403: "Not allowed: role, organisation, token scope or CSRF token.",
    404: "Not found, or not visible to the caller.",
    409: "Conflict with the current state: `allowed_actions` says what is possible now.",
    413: "Request body too large.",
    415: "Unsupported media type.",
    422: "Invalid input: `errors[]` names each field (and the row of a file).",
    428: "The version read is required (body `version` or `If-Match`).",
    429: "Too many requests: retry after the `Retry-After` header's seconds.",
}


class ProblemFieldError(BaseModel):
    field: str = Field(description="The field, parameter or column at fault (dotted path for nested members)")
    message: str
    row: int | None = Field(default=None, description="Row of an uploaded file; its header is row 1")
    code: str | None = Field(default=None, description="A stable reason code (e.g. `password-too-common`)")
    params: dict[str, Any] | None = Field(default=None, description="Values the reason's wording needs")


class Problem(BaseModel):
    """RFC 9457 problem details; some problems add members (e.g. `allowed_actions`)."""

    model_config = ConfigDict(extra="allow", title="Problem")

    type: str = Field(description="A stable URI reference per kind of problem, e.g. /problems/not-found")
    title: str
    status: int
    detail: str
    instance: str
    errors: list[ProblemFieldError] = Field(default_factory=list)


def problems(*statuses: int) -> dict[int, ResponseSpec]:
    """Route-decorator `responses=` for the statuses a handler's own rules answer with."""
    return {
        status: ResponseSpec(
            data_container=Problem,
            media_type=PROBLEM_MEDIA_TYPE,
            description=PROBLEM_DESCRIPTIONS[status],
            generate_examples=False,
        )
        for status in statuses
    }


_PLUMBING = frozenset({"db_session", "settings", "now", "viewer"})  # dependencies, not inputs
_CALLER = frozenset({"principal", "caller"})  # asking for either requires sign-in (core.caller)


def _signed_in(handler: HTTPRouteHandler) -> bool:
    return bool(_CALLER & set(handler.parsed_fn_signature.parameters))


def _inputs(handler: HTTPRouteHandler, path_parameters: Iterable[str]) -> set[str]:
    names = set(handler.parsed_fn_signature.parameters) - {"self", "request", "state", "scope"}
    names -= set(path_parameters) | _PLUMBING | _CALLER
    return names


def _statuses(handler: HTTPRouteHandler, route: HTTPRoute) -> set[int]:
    statuses: set[int] = set()
    if _signed_in(handler):
        statuses |= {401, 403, 429}
    if route.path_parameters:
        statuses.add(404)
        if not set(handler.http_methods) <= SAFE_METHODS:
            statuses.add(409)  # a write on something that exists meets its current state
    if route.path_parameters or _inputs(handler, route.path_parameters):
        statuses |= {400, 422}
    return statuses


def _security(handler: HTTPRouteHandler) -> list[dict[str, list[str]]]:
    if not _signed_in(handler):
        return []
    writes = not set(handler.http_methods) <= SAFE_METHODS
    session = SESSION_WRITE_SECURITY if writes else SESSION_SECURITY
    scope = handler.opt.get("scope")
    if scope is None:
        return [session]
    return [{"bearer": [] if scope == ANY_SCOPE else [scope]}, session]


def document_contract(app: Litestar) -> None:
    """Adds the statuses and security each handler's shape implies; declared ones win."""
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for handler in route.route_handlers:
            if not handler.include_in_schema:
                continue
            implied = problems(*(_statuses(handler, route) - set(handler.responses or {})))
            handler.responses = {**implied, **(handler.responses or {})}
            if handler.security is None:
                handler.security = _security(handler)


def answering(*media_types: str) -> type[Operation]:
    """`operation_class=` for an operation whose success body comes in several types (chosen by a
    parameter such as `format`). The handler must not name a `media_type` itself: a `Stream`'s
    own type loses to the handler's in Litestar 2.25."""

    @dataclass
    class Answering(Operation):
        def __post_init__(self) -> None:
            for status, response in (self.responses or {}).items():
                if status.startswith("2") and isinstance(response, OpenAPIResponse):
                    response.content = {
                        media_type: OpenAPIMediaType(schema=Schema()) for media_type in media_types
                    }

    return Answering


class ClosedBodies(PydanticSchemaPlugin):
    """Body schemas say when they refuse unknown members (`extra="forbid"`)."""

    def to_openapi_schema(self, field_definition: FieldDefinition, schema_creator: Any) -> Schema:
        schema = super().to_openapi_schema(field_definition, schema_creator)
        model = field_definition.annotation
        closed = (
            isinstance(model, type)
            and issubclass(model, BaseModel)
            and model.model_config.get("extra") == "forbid"
        )
        if closed:
            schema.additional_properties = False
        return schema


async def allow_every_method(message: Message, scope: Scope) -> None:
    """`Allow` lists every method of the path. Litestar's OPTIONS answer keeps the methods of the
    first route object built for a path, which misses handlers registered for it later."""
    if message["type"] != "http.response.start" or scope.get("method") != "OPTIONS":
        return
    headers = list(message.get("headers") or [])
    if not any(name.lower() == b"allow" for name, _ in headers):
        return
    methods = _methods_of(scope["app"], scope.get("path_template", ""))
    if methods:
        kept = [(name, value) for name, value in headers if name.lower() != b"allow"]
        message["headers"] = [*kept, (b"allow", ", ".join(sorted(methods)).encode())]


def _methods_of(app: Litestar, path_template: str) -> set[str]:
    for route in app.routes:
        if isinstance(route, HTTPRoute) and route.path_format == path_template:
            return {method for handler in route.route_handlers for method in handler.http_methods}
    return set()
