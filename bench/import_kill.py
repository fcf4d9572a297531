"""Benchmark: kill -9 the server running a 50,000-row import, restart it, and see the job end.

For each backend (SQLite file, PostgreSQL 15 cluster started here) the database is migrated and
demo-seeded; an `infrashare serve` process takes the upload (a background job), and is killed
with SIGKILL once the job is writing (or, if the poll misses it, at once). Then a fresh server
starts on the same database: once the dead process's lease runs out it takes the job up again.
Prints the time to the kill, the rows in the database after the kill (must be 0 or all), the
time from the restart to the job's end, its final state, the rows then (0 or all), and the job
as a second server process (no worker) reads it.

    uv run python bench/import_kill.py [--rows 50000] [--backends sqlite,postgresql] [--lease 10]
"""

from __future__ import annotations

import argparse
import signal
import sys
import tempfile
import time
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.servers import LiveServer, PostgresCluster  # noqa: E402

from bench.import_assets import run, signed_in, synthetic_csv  # noqa: E402
from infrashare.core.db import sync_url  # noqa: E402

PREFIX = "KILL"


def rows_in_database(url: str) -> int:
    engine = create_engine(sync_url(url))
    try:
        with engine.connect() as connection:
            query = text("SELECT count(*) FROM assets WHERE external_id LIKE :prefix")
            return int(connection.execute(query, {"prefix": f"{PREFIX}-%"}).scalar_one())
    finally:
        engine.dispose()


def job(client: httpx.Client, job_id: str) -> dict[str, object]:
    found: dict[str, object] = client.get(f"/api/v1/assets/imports/{job_id}").json()
    return found


def bench_backend(name: str, url: str, rows: int, lease: float, work: Path) -> str:
    env = {
        "INFRASHARE_DATABASE_URL": url,
        "INFRASHARE_VAR_DIR": str(work / name),
        "MEILI_URL": "http://127.0.0.1:9",
        "INFRASHARE_LOG_LEVEL": "WARNING",
        "INFRASHARE_WORKER_TASKS": '["asset-imports"]',
        "INFRASHARE_IMPORT_LEASE_SECONDS": str(lease),
        "INFRASHARE_RATE_LIMIT_USER_PER_MINUTE": "1000000",
    }
    infrashare = str(Path(sys.executable).with_name("infrashare"))
    run([infrashare, "db", "upgrade"], env)
    run([infrashare, "seed"], env)
    payload = synthetic_csv(rows, PREFIX)
    first = LiveServer(env=env).start(work / f"{name}-first.log")
    assert first.process is not None
    client = signed_in(first.url)
    started = time.perf_counter()
    response = client.post("/api/v1/assets/imports", content=payload, headers={"Content-Type": "text/csv"})
    if response.status_code != 202:
        raise RuntimeError(f"import refused: {response.status_code} {response.text[:500]}")
    job_id = response.json()["id"]
    while (seen := job(client, job_id))["status"] not in ("writing", "succeeded", "failed"):
        time.sleep(0.02)
    first.process.send_signal(signal.SIGKILL)
    first.process.wait()
    killed_after = time.perf_counter() - started
    after_kill = rows_in_database(url)
    client.close()

    second = LiveServer(env=env).start(work / f"{name}-second.log")
    reader = LiveServer(env=env | {"INFRASHARE_RUN_WORKER": "false"}).start(work / f"{name}-reader.log")
    try:
        restarted = time.perf_counter()
        client = signed_in(second.url)
        while (ended := job(client, job_id))["status"] not in ("succeeded", "failed"):
            time.sleep(0.1)
        finished_after = time.perf_counter() - restarted
        from_reader = job(signed_in(reader.url), job_id)
    finally:
        second.stop()
        reader.stop()
    after_restart = rows_in_database(url)
    same = from_reader == ended
    line = (
        f"{name:<10} {rows:,} rows, lease {lease:g} s: killed after {killed_after:5.1f} s while"
        f" {seen['status']} (validated {seen['rows_validated']}); rows after kill {after_kill:,};"
        f" restart -> {ended['status']} in {finished_after:5.1f} s; rows after restart"
        f" {after_restart:,}; second process reads the same job: {same}"
    )
    print(line, flush=True)
    if after_kill not in (0, rows) or after_restart not in (0, rows) or not same:
        raise SystemExit(f"FAILED: {line}")
    return line


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--lease", type=float, default=10)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="infrashare-bench-"))
    results = []
    for backend in args.backends.split(","):
        if backend == "sqlite":
            results.append(
                bench_backend(
                    "sqlite", f"sqlite+aiosqlite:///{work / 'bench.db'}", args.rows, args.lease, work
                )
            )
        else:
            cluster = PostgresCluster().start()
            try:
                results.append(
                    bench_backend("postgresql", cluster.create_database("bench"), args.rows, args.lease, work)
                )
            finally:
                cluster.stop()
    print("\n".join(["", "summary:", *results]))


if __name__ == "__main__":
    main()
