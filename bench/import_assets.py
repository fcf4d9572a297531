"""Benchmark: bulk-import N synthetic assets as CSV through the API of a live server.

For each backend (SQLite file, PostgreSQL 15 cluster started here) the database is migrated
and demo-seeded, then for each N a fresh `infrashare serve` process is started, signed in as
the tower company's admin, and the CSV is uploaded to POST /api/v1/assets/imports (it runs as
a background job; the script polls the job). It prints assets/s from upload to job finished,
the same for re-importing the unchanged file, and the server process's peak memory (VmHWM),
and that of the processes it started to check large uploads.

    uv run python bench/import_assets.py [--sizes 10000,100000] [--backends sqlite,postgresql]
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.servers import LiveServer, PostgresCluster  # noqa: E402

from infrashare.demo.seed import DEMO_PASSWORD  # noqa: E402

COLUMNS = [
    "external_id", "kind", "name", "status", "region_code", "lon", "lat", "route",
    "capacity_total", "capacity_free", "power_kw", "visibility", "sharing_terms",
    "height_m", "structure_type", "mounting_heights_m", "fibre_type", "length_km",
]  # fmt: skip
DISTRICTS = {  # code: (lon, lat) near the district's seat
    "440303": (114.131, 22.548),
    "440304": (114.055, 22.522),
    "440305": (113.930, 22.533),
    "440306": (113.884, 22.555),
    "440307": (114.247, 22.720),
    "440309": (114.044, 22.691),
}


def synthetic_csv(n: int, prefix: str) -> bytes:
    rng = random.Random(n)  # noqa: S311 - benchmark data
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    codes = list(DISTRICTS)
    for number in range(n):
        code = codes[number % len(codes)]
        lon, lat = DISTRICTS[code]
        lon, lat = round(lon + rng.uniform(-0.05, 0.05), 6), round(lat + rng.uniform(-0.05, 0.05), 6)
        total = rng.choice([3, 6, 9])
        common = [f"{prefix}-{number:06d}", "", f"合成资产 {number} 号", "available", code]
        tail = [total, rng.randint(0, total), rng.choice(["", 10, 20]), "public", "按年租用"]
        if number % 4 == 3:
            route = ", ".join(
                f"{lon + i * 0.001:.6f} {lat + i * 0.0007:.6f}" for i in range(rng.randint(2, 8))
            )
            common[1] = "cable"
            writer.writerow([*common, "", "", route, *tail, "", "", "", "G.652D", 1.5])
        else:
            common[1] = "tower"
            writer.writerow([*common, lon, lat, "", *tail, 35, "lattice", "29;32;35", "", ""])
    return buffer.getvalue().encode("utf-8-sig")


def run(command: list[str], env: dict[str, str]) -> None:
    subprocess.run(command, env={**os.environ, **env}, check=True, capture_output=True)  # noqa: S603 - our own CLI


def peak_rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def descendants(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            found += [int(child), *descendants(int(child))]
    return found


def signed_in(url: str) -> httpx.Client:
    client = httpx.Client(base_url=url, timeout=600)
    me = client.post("/api/v1/auth/login", json={"email": "admin@tower.example", "password": DEMO_PASSWORD})
    me.raise_for_status()
    client.headers["X-CSRF-Token"] = me.json()["csrf_token"]
    return client


def import_once(client: httpx.Client, payload: bytes) -> tuple[float, dict[str, object]]:
    started = time.perf_counter()
    response = client.post(
        "/api/v1/assets/imports",
        content=payload,
        headers={"Content-Type": "text/csv"},
        params={"background": "true"},
    )
    if response.status_code != 202:
        raise RuntimeError(f"import refused: {response.status_code} {response.text[:500]}")
    location = response.headers["location"]
    while True:
        job: dict[str, object] = client.get(location).json()
        if job["status"] in ("succeeded", "failed"):
            return time.perf_counter() - started, job
        time.sleep(0.05)


def bench_backend(name: str, url: str, sizes: list[int], work: Path) -> list[str]:
    env = {
        "INFRASHARE_DATABASE_URL": url,
        "INFRASHARE_VAR_DIR": str(work / name),
        "MEILI_URL": "http://127.0.0.1:9",
    }
    env |= {"INFRASHARE_LOG_LEVEL": "WARNING"}
    infrashare = str(Path(sys.executable).with_name("infrashare"))
    run([infrashare, "db", "upgrade"], env)
    run([infrashare, "seed"], env)
    lines = []
    for n in sizes:
        payload = synthetic_csv(n, f"BENCH{n}")
        server = LiveServer(env=env).start(work / f"{name}-{n}.log")
        assert server.process is not None
        try:
            client = signed_in(server.url)
            seconds, job = import_once(client, payload)
            if job["status"] != "succeeded":
                raise RuntimeError(f"import failed: {str(job)[:800]}")
            again, job2 = import_once(client, payload)
            peak = peak_rss_mib(server.process.pid)
            workers = sum(peak_rss_mib(pid) for pid in descendants(server.process.pid))
        finally:
            server.stop()
        lines.append(
            f"{name:<10} {n:>7,} rows  {len(payload) / 2**20:6.1f} MiB  import {seconds:6.1f} s"
            f" = {n / seconds:7,.0f} assets/s   re-import (unchanged={job2['unchanged_count']})"
            f" {again:5.1f} s = {n / again:7,.0f}/s   server peak RSS {peak:6.0f} MiB"
            f" (+ {workers:4.0f} MiB in its worker processes)"
        )
        print(lines[-1], flush=True)
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--backends", default="sqlite,postgresql")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    work = Path(tempfile.mkdtemp(prefix="infrashare-bench-"))
    results = []
    for backend in args.backends.split(","):
        if backend == "sqlite":
            results += bench_backend("sqlite", f"sqlite+aiosqlite:///{work / 'bench.db'}", sizes, work)
        else:
            cluster = PostgresCluster().start()
            try:
                results += bench_backend("postgresql", cluster.create_database("bench"), sizes, work)
            finally:
                cluster.stop()
    print("\n".join(["", "summary (target: >= 5,000 assets/s, < 1 GiB peak for 100,000):", *results]))


if __name__ == "__main__":
    main()
