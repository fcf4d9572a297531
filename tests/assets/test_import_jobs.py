"""A background import is a durable job: real `infrashare serve` processes are stopped under it
(SIGTERM, then kill -9) and the job still ends, with none or all of its rows, its state the
same from every process — and no checker process outlives its server."""

from __future__ import annotations

import signal
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select, update

from infrashare.assets.import_jobs import MAX_ATTEMPTS, ImportRunner
from infrashare.assets.models import Asset, AssetImportJob
from infrashare.core.db import Database, open_database
from infrashare.core.outbox import OutboxMessage
from infrashare.core.search import MeilisearchProcess
from infrashare.demo.seed import DEMO_PASSWORD
from tests.servers import LiveServer
from tests.sessions import Client, sign_in
from tests.waiting import eventually

ROWS = 20_000
WATER = "admin@water.example"


def poles_csv(count: int, prefix: str = "KILL") -> bytes:
    """``count`` valid smart poles along Shenzhen's Shennan Avenue."""
    lines = [
        "external_id,kind,name,status,region_code,lon,lat,capacity_total,capacity_free,height_m,structure_type"
    ]
    lines += [
        f"{prefix}-{n:06d},pole,深南大道杆 {n},available,440304,{113.9 + n * 0.000005:.6f},22.54,2,1,12,smart_pole"
        for n in range(count)
    ]
    return ("\n".join(lines) + "\n").encode()


class Servers:
    """`infrashare serve` processes on the test's database, started one after the other."""

    def __init__(self, database_url: str, meilisearch: MeilisearchProcess, tmp_path: Path) -> None:
        self.database_url, self.meilisearch, self.tmp_path = database_url, meilisearch, tmp_path
        self.started: list[LiveServer] = []

    def start(self) -> LiveServer:
        database_url, meilisearch, tmp_path = self.database_url, self.meilisearch, self.tmp_path
        server = LiveServer(
            env={
                "INFRASHARE_DATABASE_URL": database_url,
                "INFRASHARE_MEILI_URL": meilisearch.url,
                "INFRASHARE_MEILI_MASTER_KEY": meilisearch.master_key,
                "INFRASHARE_MEILI_INDEX_PREFIX": f"t{uuid.uuid4().hex[:10]}_",
                "INFRASHARE_VAR_DIR": str(tmp_path / "var"),
                "INFRASHARE_LOG_LEVEL": "WARNING",
                "INFRASHARE_RATE_LIMIT_USER_PER_MINUTE": "100000",
                "INFRASHARE_WORKER_TASKS": '["asset-imports"]',
                "INFRASHARE_IMPORT_WORKERS": "1",
                "INFRASHARE_IMPORT_LEASE_SECONDS": "3",
            }
        )
        self.started.append(server.start(log=tmp_path / f"serve-{len(self.started)}.log"))
        return server

    def stop(self) -> None:
        for server in self.started:
            if server.process and server.process.poll() is None:
                server.process.kill()
                server.process.wait()


@pytest.fixture
def servers(database_url: str, meilisearch: MeilisearchProcess, tmp_path: Path) -> Iterator[Servers]:
    started = Servers(database_url, meilisearch, tmp_path)
    yield started
    started.stop()


@pytest.fixture
async def database(database_url: str) -> AsyncIterator[Database]:
    opened = open_database(database_url)
    yield opened
    await opened.dispose()


async def _signed_in(server: LiveServer) -> httpx.AsyncClient:
    client = httpx.AsyncClient(base_url=server.url, timeout=120)
    response = await client.post("/api/v1/auth/login", json={"email": WATER, "password": DEMO_PASSWORD})
    assert response.status_code == 200, response.text
    client.headers["X-CSRF-Token"] = response.json()["csrf_token"]
    return client


async def _job(client: httpx.AsyncClient, job_id: str) -> dict[str, Any]:
    response = await client.get(f"/api/v1/assets/imports/{job_id}")
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()
    return found


def _children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (Linux /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _running(pids: list[int]) -> list[int]:
    """Those of ``pids`` still running (a zombie waiting to be reaped has stopped)."""
    alive = []
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            continue
        if state != "Z":
            alive.append(pid)
    return alive


async def _no_orphans(pids: list[int]) -> None:
    async def running() -> list[int]:
        return _running(pids)

    await eventually(running, lambda left: left == [], "the server's checker processes end with it")


async def _water_assets(database: Database) -> int:
    async with database.reader() as session:
        query = select(func.count()).select_from(Asset).where(Asset.external_id.like("KILL-%"))
        return int(await session.scalar(query) or 0)


async def test_an_import_survives_sigterm_and_kill_9_with_all_or_none_of_its_rows(
    servers: Servers, database: Database
) -> None:
    first = servers.start()
    client = await _signed_in(first)
    queued = await client.post(
        "/api/v1/assets/imports", content=poles_csv(ROWS), headers={"Content-Type": "text/csv"}
    )
    assert queued.status_code == 202, queued.text
    job_id = queued.json()["id"]

    # Checking has started: progress is in the database; then a graceful stop mid-import.
    checking = await eventually(
        lambda: _job(client, job_id), lambda job: job["rows_validated"] > 0, "checking reports progress"
    )
    assert checking["status"] == "validating" and checking["rows_written"] == 0
    assert first.process is not None
    checkers = _children(first.process.pid)
    assert checkers, "large uploads are checked in checker processes"
    first.process.terminate()
    assert first.process.wait(timeout=60) in (0, -signal.SIGTERM)  # uvicorn re-raises it
    await _no_orphans(checkers)
    async with database.reader() as session:
        handed_back = await session.get(AssetImportJob, uuid.UUID(job_id))
    assert handed_back is not None and handed_back.status == "queued"  # handed back, not stuck
    assert await _water_assets(database) == 0

    # Another server takes it up at once; it is killed -9 while it writes.
    second = servers.start()
    await client.aclose()
    client = await _signed_in(second)
    writing = await eventually(
        lambda: _job(client, job_id),
        lambda job: job["status"] in ("writing", "succeeded", "failed"),
        "the second server takes the job up",
        interval=0.02,
    )
    assert second.process is not None
    checkers = _children(second.process.pid)
    second.process.kill()
    second.process.wait(timeout=60)
    await _no_orphans(checkers)
    rows_after_kill = await _water_assets(database)
    assert rows_after_kill in (0, ROWS), rows_after_kill
    assert rows_after_kill == ROWS or writing["status"] == "writing", writing["detail"]

    # A third server (a second process to the one that took the upload) finishes the story.
    third = servers.start()
    await client.aclose()
    client = await _signed_in(third)
    try:
        ended = await eventually(
            lambda: _job(client, job_id),
            lambda job: job["status"] in ("succeeded", "failed"),
            "the job ends after its lease runs out",
        )
    finally:
        await client.aclose()
    rows = await _water_assets(database)
    if ended["status"] == "succeeded":
        assert rows == ROWS and ended["created_count"] == ROWS
    else:  # given up after its process died twice, not rejected
        assert rows == 0 and ended["error_count"] == 0 and "nothing was written" in ended["detail"]


async def test_a_job_whose_process_died_twice_is_failed_with_nothing_written(
    client: Client, database: Database
) -> None:
    """No worker runs in this app: the job is queued until one claims it; two claims die."""
    await sign_in(client, WATER)
    queued = await client.post(
        "/api/v1/assets/imports",
        content=poles_csv(50),
        headers={"Content-Type": "text/csv"},
        params={"background": "true"},
    )
    assert queued.status_code == 202, queued.text
    job_id = queued.json()["id"]
    assert (await client.get(f"/api/v1/assets/imports/{job_id}")).json()["status"] == "queued"
    for _ in range(MAX_ATTEMPTS):
        assert [m.key for m in await ImportRunner(database).claim()] == [job_id]  # and its process dies
        async with database.writer() as session:  # its lease runs out
            await session.execute(update(OutboxMessage).values(available_at=OutboxMessage.created_at))
            await session.commit()
    assert await ImportRunner(database).run_once() == 0  # given up, not run a third time
    job = (await client.get(f"/api/v1/assets/imports/{job_id}")).json()
    assert job["status"] == "failed" and "nothing was written" in job["detail"], job
    assert job["rows_written"] == 0 and await _water_assets(database) == 0
