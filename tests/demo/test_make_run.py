"""What `make run` does before it serves (`infrashare serve --demo`): the schema and the demo seed,
each only when missing, and a last line that says where to go."""

from __future__ import annotations

from pathlib import Path

import httpx
from sqlalchemy import create_engine, delete

from infrashare.cli import database_is_current, run_in_unit_of_work
from infrashare.core.db import sync_url
from infrashare.core.search import MeilisearchProcess
from infrashare.core.settings import Settings
from infrashare.demo.models import DemoSeedRun
from infrashare.demo.seed import seed_demo_if_changed
from tests.servers import seeded_server


def test_a_new_database_is_behind_and_the_migrated_one_is_current(tmp_path: Path, database_url: str) -> None:
    assert database_is_current(f"sqlite+aiosqlite:///{tmp_path / 'new.db'}") is False
    assert database_is_current(database_url) is True


def test_the_seed_loads_again_only_when_its_version_is_missing(settings: Settings) -> None:
    assert run_in_unit_of_work(settings, seed_demo_if_changed) is False  # the template holds this version
    engine = create_engine(sync_url(settings.resolved_database_url))
    with engine.begin() as connection:
        connection.execute(delete(DemoSeedRun))
    engine.dispose()
    assert run_in_unit_of_work(settings, seed_demo_if_changed) is True
    assert run_in_unit_of_work(settings, seed_demo_if_changed) is False


def test_a_warm_start_serves_at_once_and_its_last_line_says_where_to_go(
    sqlite_template: Path, meilisearch: MeilisearchProcess, tmp_path: Path
) -> None:
    log = tmp_path / "serve.log"
    server = seeded_server(sqlite_template, meilisearch, tmp_path, arguments=["--demo"]).start(log=log)
    try:
        assert httpx.get(f"{server.url}/health").status_code == 200
        lines = log.read_text().splitlines()
    finally:
        server.stop()
    assert lines[-1] == (
        f"InfraShare is ready: {server.url} - sign in as admin@mobile.example / InfraShare-demo-2026;"
        " every demo sign-in: make demo-users"
    )
    assert not any("seed loaded" in line or "upgraded" in line for line in lines)
