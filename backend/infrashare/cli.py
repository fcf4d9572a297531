"""The `infrashare` command: serve, db upgrade, seed, create-admin, audit verify, openapi, expiry jobs."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
import uuid
from collections.abc import Awaitable, Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import click
import uvicorn
from sqlalchemy.ext.asyncio import AsyncSession

if TYPE_CHECKING:
    from alembic.config import Config

from infrashare.core.db import open_database, sync_url
from infrashare.core.settings import PROJECT_ROOT, Settings, get_settings

T = TypeVar("T")


def run_in_unit_of_work(settings: Settings, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """Runs ``work`` in one committed transaction against the configured database."""

    async def main() -> T:
        database = open_database(settings.resolved_database_url)
        try:
            async with database.writer() as session:
                result = await work(session)
                await session.commit()
                return result
        finally:
            await database.dispose()

    return asyncio.run(main())


@click.group()
def main() -> None:
    """InfraShare: cross-industry infrastructure sharing."""


@main.group()
def db() -> None:
    """Database schema."""


def _alembic_config(url: str) -> Config:
    from alembic.config import Config

    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.attributes["database_url"] = url
    return config


def upgrade_database(url: str) -> None:
    from alembic import command

    command.upgrade(_alembic_config(url), "head")


def database_is_current(url: str) -> bool:
    """True when the database is at the newest migration (reads one row, runs nothing)."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory
    from sqlalchemy import create_engine

    heads = set(ScriptDirectory.from_config(_alembic_config(url)).get_heads())
    engine = create_engine(sync_url(url))
    try:
        with engine.connect() as connection:
            return set(MigrationContext.configure(connection).get_current_heads()) == heads
    finally:
        engine.dispose()


@db.command("upgrade")
def db_upgrade() -> None:
    """Apply every migration up to the newest."""
    settings = get_settings()
    settings.var_dir.mkdir(parents=True, exist_ok=True)
    upgrade_database(settings.resolved_database_url)
    click.echo("database is at the newest migration")


@main.command()
def seed() -> None:
    """Load the demo seed (Shenzhen); safe to run again."""
    from infrashare.demo.seed import seed_demo

    run_in_unit_of_work(get_settings(), seed_demo)
    click.echo("demo seed loaded")
    _echo_demo_logins()


@main.command("demo-users")
def demo_users() -> None:
    """List the demo sign-ins (one password for all of them)."""
    _echo_demo_logins()


def _echo_demo_logins() -> None:
    from infrashare.demo.seed import DEMO_PASSWORD, demo_logins

    click.echo(f"Demo sign-ins (password for all: {DEMO_PASSWORD}):")
    for login in demo_logins():
        click.echo(f"  {login.role.value:<16} {login.email:<32} {login.organisation}")


def prepare_demo(settings: Settings) -> None:
    """What `make run` needs before serving: the newest schema and this version of the demo
    seed, each applied only when missing, so a warm start does neither."""
    from infrashare.demo.seed import seed_demo_if_changed

    url = settings.resolved_database_url
    settings.var_dir.mkdir(parents=True, exist_ok=True)
    if not database_is_current(url):
        upgrade_database(url)
        click.echo("database upgraded to the newest migration")
    if run_in_unit_of_work(settings, seed_demo_if_changed):
        click.echo("demo seed loaded")


@main.command("create-admin")
@click.option("--email", required=True)
@click.option("--name", "display_name", default="Platform admin")
@click.password_option()
def create_admin(email: str, display_name: str, password: str) -> None:
    """Create a platform admin (and the platform organisation if missing)."""
    from infrashare.accounts.passwords import MIN_LENGTH, password_problems
    from infrashare.demo.seed import ensure_platform_admin

    if password_problems(password, [email, display_name]):
        raise click.BadParameter(
            f"use at least {MIN_LENGTH} characters, and not a common or guessable password",
            param_hint="password",
        )

    async def work(session: AsyncSession) -> None:
        await ensure_platform_admin(session, email, password, display_name)

    run_in_unit_of_work(get_settings(), work)
    click.echo(f"platform admin {email} is ready")


@main.group()
def audit() -> None:
    """The hash-chained event log."""


@audit.command("verify")
def audit_verify() -> None:
    """Recompute the whole chain; exit 1 if any event was changed, removed or reordered."""
    from infrashare.audit.service import verify_chain

    report = run_in_unit_of_work(get_settings(), verify_chain)
    if report.ok:
        click.echo(f"event log verified: {report.checked} events, chain intact")
        return
    click.echo(f"event log BROKEN at event {report.broken_at}: {report.problem}", err=True)
    sys.exit(1)


@main.group()
def oauth() -> None:
    """The OAuth authorization server."""


@oauth.command("rotate-key")
@click.option("--keep-old-minutes", default=60, show_default=True, help="How long old keys still verify")
def oauth_rotate_key(keep_old_minutes: int) -> None:
    """Sign new access tokens with a new key; tokens in flight keep verifying with the old one."""
    from datetime import timedelta

    from sqlalchemy.orm import Session

    from infrashare.oauth.service import rotate_signing_key

    settings = get_settings()
    database = open_database(settings.resolved_database_url)
    with Session(database.sync_engine) as session:
        kid = rotate_signing_key(session, timedelta(minutes=keep_old_minutes)).kid
        session.commit()
    database.sync_engine.dispose()
    click.echo(f"new signing key {kid}; older keys verify for {keep_old_minutes} more minutes")


def _search_or_exit(settings: Settings) -> None:
    if not settings.meili_url:
        raise click.UsageError(
            "set INFRASHARE_MEILI_URL (and INFRASHARE_MEILI_MASTER_KEY) to the Meilisearch to use"
        )


@main.command()
def worker() -> None:
    """Run the background work until stopped: search indexing, webhooks, reverse matching, asset
    imports, expiry (its own service in production)."""
    from infrashare.core.search import search_client
    from infrashare.worker import background_work, run_until_stopped

    settings = get_settings()
    _search_or_exit(settings)

    async def run() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        database, client = open_database(settings.resolved_database_url), search_client(settings)
        try:
            await run_until_stopped(background_work(database, settings, client, stop), stop)
        finally:
            if client is not None:
                await client.aclose()
            await database.dispose()

    asyncio.run(run())


main.add_command(worker, name="indexer")  # the name the search design uses; same process


@main.command("reindex")
@click.argument("index_uid")
def reindex_command(index_uid: str) -> None:
    """Rebuild one search index from the database into a new index and swap it in."""
    from infrashare.core.indexing import reindex
    from infrashare.core.search import search_client
    from infrashare.indexes import search_index

    settings = get_settings()
    _search_or_exit(settings)
    try:
        index = search_index(index_uid)
    except KeyError as exc:
        raise click.BadParameter(f"no search index named {index_uid}") from exc

    async def run() -> int:
        database, client = open_database(settings.resolved_database_url), search_client(settings)
        assert client is not None
        try:
            return await reindex(database, client, index)
        finally:
            await client.aclose()
            await database.dispose()

    click.echo(f"{index_uid}: {asyncio.run(run())} documents indexed and swapped in")


@main.group()
def needs() -> None:
    """Co-construction and sharing needs."""


@needs.command("expire")
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="The date to expire against (default: today, UTC).",
)
def needs_expire(today: datetime | None) -> None:
    """Expire open needs whose needed-by date has passed (run daily, e.g. from cron)."""
    from infrashare.core.clock import utc_now
    from infrashare.needs.workflow import expire_overdue_needs

    day = today.date() if today else utc_now().date()

    async def work(session: AsyncSession) -> list[uuid.UUID]:
        return await expire_overdue_needs(session, day)

    expired = run_in_unit_of_work(get_settings(), work)
    click.echo(f"{len(expired)} needs expired (needed-by before {day.isoformat()})")
    for need_id in expired:
        click.echo(f"  {need_id}")


@main.group()
def agreements() -> None:
    """Sharing requests and agreements."""


@agreements.command("expire")
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="The date to expire against (default: today, UTC).",
)
def agreements_expire(today: datetime | None) -> None:
    """Expire active agreements whose end date has passed (run daily, e.g. from cron)."""
    from infrashare.agreements.workflow import expire_due_agreements
    from infrashare.core.clock import utc_now

    settings = get_settings()
    now = utc_now()
    day = today.date() if today else now.date()

    async def work(session: AsyncSession) -> list[uuid.UUID]:
        return await expire_due_agreements(session, day, settings, now)

    expired = run_in_unit_of_work(settings, work)
    click.echo(f"{len(expired)} agreements expired (end date before {day.isoformat()})")
    for request_id in expired:
        click.echo(f"  {request_id}")


@main.command()
@click.option(
    "--output", type=click.Path(dir_okay=False, path_type=Path), default=None, help="File; stdout if omitted"
)
def openapi(output: Path | None) -> None:
    """Write the OpenAPI document (JSON) that the web UI's typed client is generated from."""
    from infrashare.app import openapi_json

    text = openapi_json(get_settings())
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")


FIRST_SIGN_IN = "admin@mobile.example"


@main.command()
@click.option("--host", default=None, help="Defaults to INFRASHARE_HOST (127.0.0.1)")
@click.option("--port", type=int, default=None, help="Defaults to INFRASHARE_PORT (8000)")
@click.option("--demo", is_flag=True, help="Upgrade the database and load the demo seed first, when needed")
def serve(host: str | None, port: int | None, demo: bool) -> None:
    """Serve API, OAuth and web UI; starts its own Meilisearch unless MEILI_URL is given."""
    from infrashare.app import create_app
    from infrashare.core.search import embedded_meilisearch

    settings = get_settings()
    if demo:
        prepare_demo(settings)
    meilisearch = None
    if not settings.meili_url:
        meilisearch = embedded_meilisearch(settings).start()
        settings = settings.model_copy(
            update={"meili_url": meilisearch.url, "meili_master_key": meilisearch.master_key}
        )
        click.echo(f"Meilisearch started on {meilisearch.url} (data in {meilisearch.data_dir})")
    config = uvicorn.Config(
        create_app(settings),
        host=host or settings.host,
        port=port or settings.port,
        log_level="warning",
        proxy_headers=True,
    )
    try:
        AnnouncingServer(config, _ready_line(config, demo)).run()
    finally:
        if meilisearch:
            meilisearch.stop()


class AnnouncingServer(uvicorn.Server):
    """uvicorn's server, saying where to go once it listens: the last line `make run` prints."""

    def __init__(self, config: uvicorn.Config, ready_line: str) -> None:
        super().__init__(config)
        self.ready_line = ready_line

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        if self.started:
            click.echo(self.ready_line)


def _ready_line(config: uvicorn.Config, demo: bool) -> str:
    host = "127.0.0.1" if config.host in ("0.0.0.0", "::") else config.host  # noqa: S104 - a name, not a bind
    line = f"InfraShare is ready: http://{host}:{config.port}"
    if demo:
        from infrashare.demo.seed import DEMO_PASSWORD

        line += f" - sign in as {FIRST_SIGN_IN} / {DEMO_PASSWORD}; every demo sign-in: make demo-users"
    return line


if __name__ == "__main__":
    os.chdir(Path(__file__).resolve().parents[2])
    main()
