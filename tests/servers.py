"""Real servers for the test suite: a PostgreSQL 15 cluster and a live InfraShare process."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psycopg

from infrashare.core.search import MeilisearchProcess, free_port

PG_BIN = Path(os.environ.get("INFRASHARE_TEST_PG_BIN", "/usr/lib/postgresql/15/bin"))


def _as_postgres(args: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: drop to the postgres user when we are root."""
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


@dataclass
class PostgresCluster:
    """A throwaway cluster on 127.0.0.1 with trust authentication, fsync off for speed."""

    port: int = field(default_factory=free_port)
    directory: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="infrashare-pg-")))
    process: subprocess.Popen[bytes] | None = None

    def start(self) -> PostgresCluster:
        if not (PG_BIN / "initdb").exists():
            raise RuntimeError(f"PostgreSQL 15 is not installed ({PG_BIN}); run `make install-test-deps`.")
        if os.geteuid() == 0:
            shutil.chown(self.directory, "postgres", "postgres")
        data = self.directory / "data"
        subprocess.run(
            _as_postgres(
                [
                    str(PG_BIN / "initdb"),
                    "-D",
                    str(data),
                    "-U",
                    "postgres",
                    "--auth=trust",
                    "-E",
                    "UTF8",
                    "--locale=C.UTF-8",
                ]
            ),
            check=True,
            capture_output=True,
        )
        self.process = subprocess.Popen(
            _as_postgres(
                [
                    str(PG_BIN / "postgres"),
                    "-D",
                    str(data),
                    "-p",
                    str(self.port),
                    "-k",
                    str(self.directory),
                    "-c",
                    "listen_addresses=127.0.0.1",
                    "-c",
                    "fsync=off",
                    "-c",
                    "synchronous_commit=off",
                    "-c",
                    "full_page_writes=off",
                    "-c",
                    "max_connections=300",
                ]
            ),
            stdout=subprocess.DEVNULL,
            stderr=(self.directory / "postgres.log").open("wb"),
        )
        self._wait_until_ready()
        return self

    def _wait_until_ready(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with psycopg.connect(self.admin_dsn("postgres"), connect_timeout=1):
                    return
            except psycopg.OperationalError:
                time.sleep(0.1)
        raise TimeoutError("PostgreSQL did not start")

    def admin_dsn(self, database: str) -> str:
        return f"host=127.0.0.1 port={self.port} user=postgres dbname={database}"

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str, template: str | None = None) -> str:
        with psycopg.connect(self.admin_dsn("postgres"), autocommit=True) as connection:
            suffix = f" TEMPLATE {template}" if template else ""
            connection.execute(f'CREATE DATABASE "{name}"{suffix}')  # type: ignore[arg-type]
        return self.url(name)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)
        shutil.rmtree(self.directory, ignore_errors=True)


@dataclass
class LiveServer:
    """`infrashare serve` in its own process on a free port, as users run it."""

    env: dict[str, str]
    arguments: list[str] = field(default_factory=list)
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, log: Path) -> LiveServer:
        executable = str(Path(sys.executable).with_name("infrashare"))
        command = [executable, "serve", "--port", str(self.port), *self.arguments]
        self.process = subprocess.Popen(
            command, env={**os.environ, **self.env}, stdout=log.open("wb"), stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"infrashare serve exited: {log.read_text()[-2000:]}")
            try:
                if httpx.get(f"{self.url}/health", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                time.sleep(0.2)
        raise TimeoutError("infrashare serve did not start")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)


def seeded_server(
    template: Path,
    meilisearch: MeilisearchProcess,
    directory: Path,
    env: dict[str, str] | None = None,
    arguments: list[str] | None = None,
) -> LiveServer:
    """A server (not started yet) on its own copy of the seeded SQLite template in ``directory``,
    using the test session's Meilisearch; ``env`` adds to or overrides its settings."""
    database = directory / "infrashare.db"
    shutil.copyfile(template, database)
    base = {
        "INFRASHARE_DATABASE_URL": f"sqlite+aiosqlite:///{database}",
        "INFRASHARE_MEILI_URL": meilisearch.url,
        "INFRASHARE_MEILI_MASTER_KEY": meilisearch.master_key,
        "INFRASHARE_VAR_DIR": str(directory / "var"),
        "INFRASHARE_LOG_LEVEL": "WARNING",
    }
    return LiveServer(env=base | (env or {}), arguments=arguments or [])


def database_server(
    database_url: str, meilisearch: MeilisearchProcess, directory: Path, env: dict[str, str] | None = None
) -> LiveServer:
    """A server (not started yet) on the test's database of either backend, its own public URL
    as the OAuth issuer, without background work; ``env`` adds to or overrides its settings."""
    server = LiveServer(env={})
    server.env.update(
        {
            "INFRASHARE_DATABASE_URL": database_url,
            "INFRASHARE_MEILI_URL": meilisearch.url,
            "INFRASHARE_MEILI_MASTER_KEY": meilisearch.master_key,
            "INFRASHARE_MEILI_INDEX_PREFIX": f"l{uuid.uuid4().hex[:10]}_",
            "INFRASHARE_VAR_DIR": str(directory / "var"),
            "INFRASHARE_PUBLIC_BASE_URL": server.url,
            "INFRASHARE_LOG_LEVEL": "WARNING",
            "INFRASHARE_RUN_WORKER": "false",
            "INFRASHARE_SEARCH_REBUILD_EMPTY": "false",
            **(env or {}),
        }
    )
    return server
