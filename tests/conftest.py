"""Fixtures on real parts: Meilisearch and PostgreSQL processes, databases built by migrations.

Each backend gets one template database, migrated with Alembic and loaded with the demo seed
once per test session; every test then gets its own copy (a file copy on SQLite, CREATE
DATABASE ... TEMPLATE on PostgreSQL), so tests are isolated and fast.
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import create_engine, text
from sqlalchemy.ext.asyncio import AsyncSession

from infrashare.app import create_app
from infrashare.cli import run_in_unit_of_work, upgrade_database
from infrashare.core.db import open_database, sync_url
from infrashare.core.search import MeilisearchProcess, meilisearch_binary
from infrashare.core.settings import Settings
from infrashare.demo.seed import DEMO_PASSWORD, seed_demo
from tests.servers import PostgresCluster

BACKENDS = ["sqlite", "postgresql"]
MEILI_KEY = "test-master-key-0123456789abcdef"
TEMPLATE = "infrashare_template"


@pytest.fixture(scope="session")
def meilisearch(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MeilisearchProcess]:
    process = MeilisearchProcess(
        binary=meilisearch_binary(Settings()),
        data_dir=tmp_path_factory.mktemp("meilisearch"),
        master_key=MEILI_KEY,
    ).start()
    yield process
    process.stop()


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresCluster]:
    cluster = PostgresCluster().start()
    yield cluster
    cluster.stop()


def _prepare_template(url: str, var_dir: Path) -> None:
    upgrade_database(url)
    run_in_unit_of_work(Settings(database_url=url, var_dir=var_dir), seed_demo)
    # The seed's outbox rows would make every test's worker index the whole demo city first.
    engine = create_engine(sync_url(url))
    with engine.begin() as connection:
        connection.execute(text("UPDATE outbox SET done_at = created_at"))
    engine.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("sqlite-template")
    path = directory / "template.db"
    _prepare_template(f"sqlite+aiosqlite:///{path}", directory)
    return path


@pytest.fixture(scope="session")
def postgres_template(postgres: PostgresCluster, tmp_path_factory: pytest.TempPathFactory) -> str:
    url = postgres.create_database(TEMPLATE)
    _prepare_template(url, tmp_path_factory.mktemp("pg-template"))
    return TEMPLATE


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def database_url(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, migrated and seeded database of the test's backend."""
    if backend == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        path = tmp_path / "infrashare.db"
        shutil.copyfile(template, path)
        return f"sqlite+aiosqlite:///{path}"
    cluster: PostgresCluster = request.getfixturevalue("postgres")
    template_name: str = request.getfixturevalue("postgres_template")
    return cluster.create_database(f"test_{uuid.uuid4().hex[:16]}", template=template_name)


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[AsyncSession]:
    """A writer session on the test's database, for calling services directly; rolled back after."""
    database = open_database(database_url)
    async with database.writer() as session:
        yield session
        await session.rollback()
    await database.dispose()


@pytest.fixture
def settings(database_url: str, meilisearch: MeilisearchProcess, tmp_path: Path) -> Settings:
    return Settings(
        database_url=database_url,
        meili_url=meilisearch.url,
        meili_master_key=meilisearch.master_key,
        var_dir=tmp_path / "var",
        log_level="WARNING",
        # Tests share one Meilisearch: each gets its own indexes, as its own database.
        meili_index_prefix=f"t{uuid.uuid4().hex[:10]}_",
        # Background work is opt-in (see `worker_settings`): most tests need neither.
        run_worker=False,
        search_rebuild_empty=False,
    )


@pytest.fixture
def worker_settings(settings: Settings) -> Settings:
    """Settings whose app drains the outbox (search indexing, webhooks) as `make run` does."""
    return settings.model_copy(update={"run_worker": True})


@pytest.fixture
def app(settings: Settings) -> Litestar:
    return create_app(settings)


@pytest.fixture
async def client(app: Litestar) -> AsyncIterator[AsyncTestClient[Litestar]]:
    async with AsyncTestClient(app, base_url="http://127.0.0.1") as test_client:
        yield test_client


@pytest.fixture
def demo_password() -> str:
    return DEMO_PASSWORD
