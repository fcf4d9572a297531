"""The Litestar application: JSON API, OpenAPI document, probes and the built web UI."""

from __future__ import annotations

import asyncio
import json
import mimetypes
from collections.abc import AsyncGenerator
from contextlib import asynccontextmanager
from pathlib import Path

import anyio.to_thread
from litestar import Litestar, MediaType, Response, get
from litestar.datastructures import State
from litestar.di import Provide
from litestar.handlers import HTTPRouteHandler
from litestar.openapi.config import OpenAPIConfig
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.openapi.spec import Components, OAuthFlow, OAuthFlows, SecurityScheme
from litestar.params import FromPath
from litestar.types import ControllerRouterHandler

from infrashare import __version__
from infrashare.accounts.auth import provide_principal
from infrashare.accounts.principal_cache import PrincipalCache, forget_principals_after_writes
from infrashare.accounts.routes import AuthController, OrganisationController, me
from infrashare.agreements.routes import (
    ApprovalRuleController,
    NotificationController,
    SharingRequestController,
)
from infrashare.assets.routes import AssetController
from infrashare.audit.routes import AuditController
from infrashare.core.contract import ClosedBodies, allow_every_method, document_contract
from infrashare.core.db import open_database, provide_db_session, utc_now
from infrashare.core.errors import EXCEPTION_HANDLERS, NotFound
from infrashare.core.health import health, ready
from infrashare.core.logging import add_request_id_header, configure_logging, request_id_middleware
from infrashare.core.paging import provide_pagination
from infrashare.core.search import search_client
from infrashare.core.settings import Settings, get_settings
from infrashare.matching.routes import (
    list_planned_works,
    need_matches,
    search_assets_route,
    search_needs_route,
)
from infrashare.needs.routes import NeedController
from infrashare.oauth.routes import ClientController, OAuthController, metadata
from infrashare.oauth.scopes import SCOPES
from infrashare.regions.routes import RegionController, search_regions
from infrashare.stats.routes import StatsController
from infrashare.webhooks.routes import WebhookController
from infrashare.worker import background_work, run_until_stopped

ROUTE_HANDLERS: list[ControllerRouterHandler] = [
    OAuthController,
    ClientController,
    metadata,
    AuthController,
    OrganisationController,
    me,
    RegionController,
    WebhookController,
    search_regions,
    AssetController,
    search_assets_route,
    search_needs_route,
    need_matches,
    list_planned_works,
    AuditController,
    NeedController,
    StatsController,
    SharingRequestController,
    ApprovalRuleController,
    NotificationController,
    health,
    ready,
]


TOKEN_URL = "/oauth/token"  # noqa: S105 - a path, not a secret
# Swagger UI's files, pinned in frontend/package.json and copied there by the web UI's build:
# the docs page loads nothing from outside the app, so it renders offline.
API_DOCS_ASSETS = "/api-docs"


def _docs_page() -> SwaggerRenderPlugin:
    return SwaggerRenderPlugin(
        path="/",
        js_url=f"{API_DOCS_ASSETS}/swagger-ui-bundle.js",
        css_url=f"{API_DOCS_ASSETS}/swagger-ui.css",
        standalone_preset_js_url=f"{API_DOCS_ASSETS}/swagger-ui-standalone-preset.js",
        favicon="",
    )


def _openapi() -> OpenAPIConfig:
    return OpenAPIConfig(
        title="InfraShare API",
        version=__version__,
        description="Cross-industry infrastructure sharing: assets, needs, matches and agreements.",
        path="/api/docs",
        render_plugins=[_docs_page()],
        components=Components(
            security_schemes={
                "session": SecurityScheme(
                    type="apiKey",
                    security_scheme_in="cookie",
                    name="infrashare_session",
                    description="The web UI's session; writes also need the X-CSRF-Token header.",
                ),
                "csrf": SecurityScheme(
                    type="apiKey",
                    security_scheme_in="header",
                    name="X-CSRF-Token",
                    description="The session's CSRF token (`csrf_token` of GET /api/v1/me); cookie writes need it.",
                ),
                "bearer": SecurityScheme(
                    type="http",
                    scheme="bearer",
                    bearer_format="JWT",
                    description="An access token from /oauth/token; each operation lists the scope it needs.",
                ),
                "oauth2": SecurityScheme(
                    type="oauth2",
                    description="How partner systems obtain the bearer tokens (flows and scopes).",
                    flows=OAuthFlows(
                        client_credentials=OAuthFlow(token_url=TOKEN_URL, scopes=SCOPES),
                        authorization_code=OAuthFlow(
                            authorization_url="/oauth/authorize",
                            token_url=TOKEN_URL,
                            refresh_url=TOKEN_URL,
                            scopes=SCOPES,
                        ),
                    ),
                ),
            }
        ),
    )


def _web_ui(dist: Path) -> HTTPRouteHandler:
    """Serves the built SPA; unknown paths get index.html so client-side routes work."""
    root = dist.resolve()

    def read(relative: str) -> Response[bytes]:
        candidate = (root / relative).resolve()
        if relative and candidate.is_file() and candidate.is_relative_to(root):
            media_type = mimetypes.guess_type(candidate.name)[0] or "application/octet-stream"
            return Response(candidate.read_bytes(), media_type=media_type)
        index = root / "index.html"
        if not index.exists():
            return Response(
                b"<h1>InfraShare</h1><p>The web UI is not built: run make run.</p>", media_type=MediaType.HTML
            )
        return Response(index.read_bytes(), media_type=MediaType.HTML)

    # Async on purpose: Litestar 2.25 wraps a sync_to_thread handler once per registered path,
    # so a sync handler on two paths returns an un-awaited coroutine (a 500 on every request).
    @get(["/", "/{path:path}"], include_in_schema=False)
    async def web_ui(path: FromPath[Path | None] = None) -> Response[bytes]:
        relative = str(path or "").lstrip("/")
        if relative.split("/", 1)[0] in {"api", "oauth"}:
            raise NotFound(f"No API endpoint at /{relative}.")
        return await anyio.to_thread.run_sync(read, relative)

    return web_ui


def openapi_json(settings: Settings) -> str:
    """The OpenAPI document as stable JSON: the web UI's typed client is generated from it."""
    document = create_app(settings).openapi_schema.to_schema()
    return json.dumps(document, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def create_app(settings: Settings | None = None) -> Litestar:
    settings = settings or get_settings()
    configure_logging(settings.log_level, settings.log_json)

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncGenerator[None, None]:
        app.state.db = open_database(settings.resolved_database_url)
        app.state.search = search_client(settings)
        stop = asyncio.Event()
        work = (
            background_work(app.state.db, settings, app.state.search, stop, lambda: app.state.clock())
            if settings.run_worker
            else {}
        )
        # The embedded default does the background work in-process; production runs `infrashare worker`.
        worker = asyncio.create_task(run_until_stopped(work, stop), name="worker")
        try:
            yield
        finally:
            stop.set()  # a batch in flight may finish; longer work is handed back
            await worker
            if app.state.search is not None:
                await app.state.search.aclose()
            await app.state.db.dispose()

    app = Litestar(
        route_handlers=[*ROUTE_HANDLERS, _web_ui(settings.frontend_dist)],
        plugins=[ClosedBodies()],
        dependencies={
            "db_session": Provide(provide_db_session),
            "principal": Provide(provide_principal),
            "pagination": Provide(provide_pagination),
            "settings": Provide(lambda: settings, use_cache=True, sync_to_thread=False),
        },
        exception_handlers=EXCEPTION_HANDLERS,
        middleware=[request_id_middleware],
        before_send=[add_request_id_header, forget_principals_after_writes, allow_every_method],
        openapi_config=_openapi(),
        lifespan=[lifespan],
        # The clock routes read (sharing-request deadlines, expiry); tests replace it.
        state=State({"clock": utc_now, "principals": PrincipalCache(settings.principal_cache_seconds)}),
        request_max_body_size=200 * 1024 * 1024,
        debug=False,
    )
    document_contract(app)
    return app
