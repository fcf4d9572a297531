"""The Litestar application: JSON API, OpenAPI document, probes and the built web UI."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import mimetypes
import re
from collections.abc import AsyncGenerator
from contextlib import asynccontextmanager
from html import escape
from pathlib import Path
from typing import Any

import anyio.to_thread
from litestar import Litestar, MediaType, Request, Response, Router, get
from litestar.datastructures import State
from litestar.di import Provide
from litestar.handlers import HTTPRouteHandler
from litestar.openapi.config import OpenAPIConfig
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.openapi.spec import Components, OAuthFlow, OAuthFlows, SecurityScheme
from litestar.params import FromPath
from litestar.types import BeforeMessageSendHookHandler, ControllerRouterHandler, Message, Scope

from infrashare import __version__
from infrashare.accounts.routes import AuthController, OrganisationController, me
from infrashare.accounts.service import session_principal
from infrashare.agreements.routes import (
    ApprovalRuleController,
    NotificationController,
    SharingRequestController,
)
from infrashare.assets.routes import AssetController
from infrashare.audit.routes import AuditController
from infrashare.core.authentication import WaysIn, provide_principal
from infrashare.core.caller import provide_caller
from infrashare.core.clock import provide_now, utc_now
from infrashare.core.contract import ClosedBodies, allow_every_method, document_contract
from infrashare.core.db import open_database, provide_db_session
from infrashare.core.errors import EXCEPTION_HANDLERS, NotFound
from infrashare.core.health import health, ready
from infrashare.core.logging import add_request_id_header, configure_logging, request_id_middleware
from infrashare.core.pages import template_config
from infrashare.core.paging import provide_pagination
from infrashare.core.principal_cache import PrincipalCache, forget_principals_after_writes
from infrashare.core.scopes import SCOPES
from infrashare.core.search import search_client
from infrashare.core.settings import Settings, get_settings
from infrashare.matching.routes import (
    list_planned_works,
    need_matches,
    search_assets_route,
    search_needs_route,
)
from infrashare.needs.routes import NeedController
from infrashare.oauth.bearer import token_principal
from infrashare.oauth.routes import ClientController, OAuthController, metadata
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


DOCS_PATH = "/api/docs"


class _DocsPage(SwaggerRenderPlugin):
    """Swagger UI with no inline script or style, so the page passes the strict CSP: its start-up
    is a script file of its own, and it loads the document from its URL."""

    def render(self, request: Request[Any, Any, Any], openapi_schema: dict[str, Any]) -> bytes:
        title = escape(str(openapi_schema["info"]["title"]))
        return (
            '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<title>{title}</title><link href="{self.css_url}" rel="stylesheet"></head>'
            '<body><div id="swagger-container"></div>'
            f'<script src="{self.js_url}"></script><script src="{self.standalone_preset_js_url}"></script>'
            f'<script src="{DOCS_PATH}/swagger-init.js"></script></body></html>'
        ).encode()

    def receive_router(self, router: Router) -> None:
        # Swagger's OAuth redirect page is one inline script: allowed by its hash, on that page only.
        redirect_page = self.render_oauth2_redirect()
        script = re.search(rb"<script>(.*?)</script>", redirect_page, re.DOTALL)
        assert script is not None
        digest = base64.b64encode(hashlib.sha256(script.group(1)).digest()).decode()
        policy = f"default-src 'self'; script-src 'sha256-{digest}'; object-src 'none'; base-uri 'none'"

        @get(
            "/oauth2-redirect.html",
            media_type=MediaType.HTML,
            sync_to_thread=False,
            include_in_schema=False,
            response_headers={"Content-Security-Policy": policy},
        )
        def oauth2_redirect() -> bytes:
            return redirect_page

        router.register(oauth2_redirect)

        @get("/swagger-init.js", media_type="text/javascript", sync_to_thread=False, include_in_schema=False)
        def swagger_init() -> str:
            return (
                "window.ui = SwaggerUIBundle({"
                f"url: '{DOCS_PATH}/openapi.json', dom_id: '#swagger-container', deepLinking: true,"
                " showExtensions: true, showCommonExtensions: true,"
                " presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset]});"
            )

        router.register(swagger_init)


def _docs_page() -> SwaggerRenderPlugin:
    return _DocsPage(
        path="/",
        js_url=f"{API_DOCS_ASSETS}/swagger-ui-bundle.js",
        css_url=f"{API_DOCS_ASSETS}/swagger-ui.css",
        standalone_preset_js_url=f"{API_DOCS_ASSETS}/swagger-ui-standalone-preset.js",
        favicon="",
    )


def security_headers(settings: Settings) -> BeforeMessageSendHookHandler:
    """App-level ``before_send``: every answer (HTML, API, static files, the router's own errors)
    carries the browser protections; a handler's own value of a header (the consent page's) wins.
    The CSP allows no inline script anywhere: the web UI's build has none, nor has the API docs
    page; styles may be inline (Ant Design writes its styles at run time). No ``form-action``:
    browsers apply it to the consent form's redirect back to the partner app."""
    extra = " ".join(settings.content_security_extra_sources)
    policy = "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self' 'unsafe-inline'",
            f"img-src 'self' data: blob: {extra}".strip(),
            f"connect-src 'self' {extra}".strip(),
            "worker-src 'self' blob:",
            "font-src 'self' data:",
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
        ]
    )
    headers = [
        (b"content-security-policy", policy.encode()),
        (b"x-frame-options", b"DENY"),
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"no-referrer"),
        (b"cross-origin-opener-policy", b"same-origin"),
    ]

    async def add(message: Message, scope: Scope) -> None:
        if message["type"] != "http.response.start":
            return
        present = {name.lower() for name, _ in message.get("headers") or []}
        missing = [(name, value) for name, value in headers if name not in present]
        message["headers"] = [*(message.get("headers") or []), *missing]

    return add


def _openapi() -> OpenAPIConfig:
    return OpenAPIConfig(
        title="InfraShare API",
        version=__version__,
        description="Cross-industry infrastructure sharing: assets, needs, matches and agreements.",
        path=DOCS_PATH,
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
            "now": Provide(provide_now, sync_to_thread=False),
            "caller": Provide(provide_caller),
            "settings": Provide(lambda: settings, use_cache=True, sync_to_thread=False),
        },
        exception_handlers=EXCEPTION_HANDLERS,
        middleware=[request_id_middleware],
        before_send=[
            add_request_id_header,
            security_headers(settings),
            forget_principals_after_writes,
            allow_every_method,
        ],
        openapi_config=_openapi(),
        template_config=template_config(),
        lifespan=[lifespan],
        # The clock routes read (sharing-request deadlines, expiry); tests replace it.
        state=State(
            {
                "clock": utc_now,
                "principals": PrincipalCache(settings.principal_cache_seconds),
                "ways_in": WaysIn(session=session_principal, token=token_principal),
            }
        ),
        request_max_body_size=200 * 1024 * 1024,
        debug=False,
    )
    document_contract(app)
    return app
