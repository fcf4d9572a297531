"""Benchmark: asset search and matching on N synthetic assets, through the API and raw Meilisearch.

1. A fresh database (SQLite file by default, or a PostgreSQL 15 cluster started here), migrated
   and demo-seeded, and a Meilisearch process of its own.
2. N deterministic assets (seeded RNG: towers, poles, machine rooms, ducts and cable routes over
   Shenzhen's districts, mixed states and visibilities) imported as one CSV through
   POST /api/v1/assets/imports by the tower company, on a server without background work.
3. `infrashare reindex` for regions, needs and assets (timed); the import's outbox messages are
   then settled, since the rebuild covered them.
4. `infrashare serve` with its worker (the embedded default). The same mixed query set (text,
   filters, geo radius / box with distance and capacity sorts) runs through
   GET /api/v1/search/assets and directly against Meilisearch with the very searches the API
   sends (`matching.search.index_answer`, called here: for a distance sort that is a
   multi-search of ring counts, then one fetch), interleaved; p50/p95 of each and the ratio of
   the p95s.
5. GET /api/v1/needs/{id}/matches for every published demo need; p50/p95.
6. A burst of 10,000 updates (a re-import changing power_kw of 10,000 assets) and the lag from
   the import's commit until Meilisearch answers all 10,000 with the new value; then a second
   burst over the same assets (a live index, not one just rebuilt).

Targets (issue 4): API p95 <= 1.5 x raw p95 and <= 50 ms; matches p95 <= 100 ms; lag <= 5 s.
The server runs with the per-user rate limit raised: the bench is one user sending thousands.

    uv run python bench/search.py [--assets 200000] [--rounds 3] [--backend sqlite|postgresql]
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
import math
import os
import random
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.servers import LiveServer, PostgresCluster  # noqa: E402

from infrashare.accounts.models import Role  # noqa: E402
from infrashare.assets.search import ASSETS_INDEX  # noqa: E402
from infrashare.assets.visibility import Viewer  # noqa: E402
from infrashare.core.db import sync_url  # noqa: E402
from infrashare.core.principal import OrganisationKind  # noqa: E402
from infrashare.core.search import (  # noqa: E402
    PLAIN_RESPONSES,
    MeilisearchProcess,
    SearchEngine,
    meilisearch_binary,
    search_client,
)
from infrashare.core.settings import Settings  # noqa: E402
from infrashare.demo.seed import DEMO_PASSWORD  # noqa: E402
from infrashare.matching.search import AssetQuery, index_answer  # noqa: E402

SEED = 20261125
UPDATES = 10_000
UPLOAD_ROWS = 100_000
MARK_KW = (77.7, 88.8)  # the power_kw each update burst sets; no generated asset has it before
DISTRICTS = {  # code: (name, lon, lat, places)
    "440303": ("罗湖", 114.1264, 22.5511, ["东门", "莲塘", "笋岗"]),
    "440304": ("福田", 114.0500, 22.5243, ["华强北", "香蜜湖", "车公庙", "梅林"]),
    "440305": ("南山", 113.9256, 22.5363, ["科技园", "后海", "蛇口", "西丽"]),
    "440306": ("宝安", 113.8789, 22.5580, ["西乡", "沙井", "福永"]),
    "440307": ("龙岗", 114.2421, 22.7238, ["坂田", "布吉", "平湖"]),
    "440309": ("龙华", 114.0310, 22.6828, ["民治", "观澜", "大浪"]),
    "440310": ("坪山", 114.3700, 22.7041, ["坑梓", "碧岭"]),
    "440311": ("光明", 113.9312, 22.7646, ["公明", "凤凰"]),
}
KINDS = [  # kind, Chinese label, weight
    ("tower", "铁塔", 25),
    ("pole", "智慧杆", 35),
    ("machine_room", "机房", 15),
    ("duct", "管道", 12),
    ("cable", "光缆", 13),
]
COLUMNS = [
    "external_id", "kind", "name", "description", "status", "ready_date", "region_code", "lon", "lat",
    "route", "capacity_total", "capacity_free", "power_kw", "visibility", "sharing_terms",
    "height_m", "structure_type", "diameter_mm", "material", "fibre_type", "length_km",
    "floor_area_m2", "cooling",
]  # fmt: skip
ATTRIBUTES = {
    "tower": {"height_m": 35, "structure_type": "lattice"},
    "pole": {"height_m": 12, "structure_type": "smart_pole"},
    "duct": {"diameter_mm": 110, "material": "hdpe"},
    "cable": {"fibre_type": "G.652D", "length_km": 1.2},
    "machine_room": {"floor_area_m2": 60, "cooling": "precision_ac"},
}
WORDS = ["铁塔", "机房", "管道", "光缆", "智慧杆", "tower", "machine room", "conduit", "fibre", "mast"]


# --- data -------------------------------------------------------------------------------------


def asset_row(number: int, power_kw: float | None = None) -> list[object]:
    """Row ``number`` of the deterministic data set (the same every run)."""
    rng = random.Random(SEED * 1_000_003 + number)  # noqa: S311 - benchmark data
    code = list(DISTRICTS)[number % len(DISTRICTS)]
    district, lon0, lat0, places = DISTRICTS[code]
    kind, label = rng.choices([(k, lab) for k, lab, _ in KINDS], weights=[w for *_, w in KINDS])[0]
    lon, lat = lon0 + rng.gauss(0, 0.03), lat0 + rng.gauss(0, 0.02)
    place = places[number % len(places)]
    total = rng.choice([4, 6, 9, 12])
    roll = rng.random()
    status, ready, free = "available", "", rng.randint(1, total)
    if roll < 0.1:
        status, free = "full", 0
    elif roll < 0.2:
        status, ready = "planned", (date(2027, 1, 1) + timedelta(days=rng.randint(0, 700))).isoformat()
    drawn_kw = rng.choice(["", 5, 10, 20])  # drawn always, so an update changes nothing else
    row: dict[str, object] = {
        "external_id": f"B{number:07d}",
        "kind": kind,
        "name": f"{district}{place}{label} {number}号",
        "description": f"{district}区{place}片区{label}，可共享",
        "status": status,
        "ready_date": ready,
        "region_code": code,
        "capacity_total": total,
        "capacity_free": free,
        "power_kw": drawn_kw if power_kw is None else power_kw,
        "visibility": rng.choices(["public", "operators", "regulators"], weights=[7, 2, 1])[0],
        "sharing_terms": "按年租用",
        **ATTRIBUTES[kind],
    }
    if kind in ("duct", "cable"):
        heading, step = rng.uniform(0, 2 * math.pi), rng.uniform(0.002, 0.004)
        east, north = step * math.cos(heading), step * math.sin(heading)
        vertices = [(lon + i * east, lat + i * north) for i in range(rng.randint(2, 6))]
        row["route"] = ", ".join(f"{x:.6f} {y:.6f}" for x, y in vertices)
    else:
        row["lon"], row["lat"] = round(lon, 6), round(lat, 6)
    return [row.get(column, "") for column in COLUMNS]


def assets_csv(numbers: range, power_kw: float | None = None) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for number in numbers:
        writer.writerow(asset_row(number, power_kw))
    return buffer.getvalue().encode("utf-8")


SHAPES = ("text", "text+filters", "radius+distance", "text+box", "filters+free sort")


def query_set(count: int) -> list[AssetQuery]:
    """A mixed, deterministic set: words, filters, radius with distance sort, boxes, capacity sort."""
    rng = random.Random(SEED)  # noqa: S311 - benchmark data
    queries = []
    for number in range(count):
        code = rng.choice(list(DISTRICTS))
        _, lon, lat, _ = DISTRICTS[code]
        near = (round(lon + rng.gauss(0, 0.02), 5), round(lat + rng.gauss(0, 0.015), 5))
        word = rng.choice(WORDS)
        kind = rng.choice([k for k, *_ in KINDS])
        shape = number % 5
        if shape == 0:
            queries.append(AssetQuery(text=word))
        elif shape == 1:
            queries.append(AssetQuery(text=word, kinds=(kind,), min_free=2, region=code))
        elif shape == 2:
            radius = rng.choice([500, 1000, 2000, 5000])
            queries.append(AssetQuery(kinds=(kind,), near=near, radius_m=radius, sort="distance"))
        elif shape == 3:
            box = (near[0] - 0.03, near[1] - 0.02, near[0] + 0.03, near[1] + 0.02)
            queries.append(AssetQuery(text=word, bbox=box))
        else:
            queries.append(
                AssetQuery(statuses=("available",), region=code, min_free=3, sort="free_capacity", near=near)
            )
    return queries


def api_params(query: AssetQuery) -> dict[str, Any]:
    pages = query.pagination
    params: dict[str, Any] = {"sort": query.sort, "page": pages.page, "page_size": pages.page_size}
    if query.text:
        params["q"] = query.text
    if query.kinds:
        params["kind"] = list(query.kinds)
    if query.statuses:
        params["status"] = list(query.statuses)
    if query.region:
        params["region"] = query.region
    if query.min_free is not None:
        params["min_free"] = query.min_free
    if query.near:
        params["near"] = f"{query.near[0]},{query.near[1]}"
    if query.radius_m:
        params["radius_m"] = query.radius_m
    if query.bbox:
        params["bbox"] = ",".join(str(value) for value in query.bbox)
    return params


@dataclass
class DirectSearch:
    """The API's own Meilisearch searches for a query, sent from here (no HTTP API, no database)."""

    engine: SearchEngine
    viewer: Viewer
    loop: asyncio.AbstractEventLoop

    def __call__(self, query: AssetQuery) -> None:
        self.loop.run_until_complete(index_answer(self.engine, query, self.viewer))


# --- measuring --------------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


@dataclass
class Timings:
    values: list[float]

    def line(self, name: str) -> str:
        p50, p95 = percentile(self.values, 0.5), percentile(self.values, 0.95)
        return f"{name:<26} n={len(self.values):>5}  p50 {p50:7.1f} ms  p95 {p95:7.1f} ms"


def timed(call: Callable[[], httpx.Response | None]) -> float:
    started = time.perf_counter()
    response = call()
    elapsed = (time.perf_counter() - started) * 1000
    if response is not None and response.status_code != 200:
        raise RuntimeError(f"{response.request.url}: {response.status_code} {response.text[:300]}")
    return elapsed


def meilisearch_share(raw: httpx.Client, since: float) -> str:
    """When the index tasks after ``since`` reached Meilisearch and how long they ran."""
    after = datetime.fromtimestamp(since, UTC).isoformat().replace("+00:00", "Z")
    listed = raw.get("/tasks", params={"indexUids": ASSETS_INDEX.uid, "afterEnqueuedAt": after}).json()
    tasks = [task for task in listed["results"] if task["status"] == "succeeded"]
    if not tasks:
        return "no Meilisearch task after the commit"

    def at(task: dict[str, Any], moment: str) -> float:
        return datetime.fromisoformat(task[moment]).timestamp() - since

    first, last = min(tasks, key=lambda t: at(t, "enqueuedAt")), max(tasks, key=lambda t: at(t, "finishedAt"))
    running = sum(at(task, "finishedAt") - at(task, "startedAt") for task in tasks)
    return (
        f"first of {len(tasks)} tasks enqueued at +{at(first, 'enqueuedAt'):.2f} s,"
        f" Meilisearch ran them {running:.2f} s, the last finished at +{at(last, 'finishedAt'):.2f} s"
    )


def signed_in(url: str, email: str) -> httpx.Client:
    client = httpx.Client(base_url=url, timeout=600)
    me = client.post("/api/v1/auth/login", json={"email": email, "password": DEMO_PASSWORD})
    me.raise_for_status()
    client.headers["X-CSRF-Token"] = me.json()["csrf_token"]
    return client


def import_csv(client: httpx.Client, payload: bytes) -> dict[str, Any]:
    response = client.post(
        "/api/v1/assets/imports",
        content=payload,
        headers={"Content-Type": "text/csv"},
        params={"background": "true"},
    )
    if response.status_code not in (200, 202):
        raise RuntimeError(f"import refused: {response.status_code} {response.text[:500]}")
    job: dict[str, Any] = response.json()
    location = response.headers.get("location")
    while location and job["status"] not in ("succeeded", "failed"):
        time.sleep(0.05)
        job = client.get(location).json()
    job["seen_at"] = time.time()  # the job row commits with the rows: at most one poll after
    if job["status"] != "succeeded":
        raise RuntimeError(f"import failed: {str(job)[:800]}")
    return job


# --- the run ----------------------------------------------------------------------------------


@dataclass
class Bench:
    work: Path
    database_url: str
    meili: MeilisearchProcess
    assets: int
    rounds: int

    @property
    def env(self) -> dict[str, str]:
        return {
            "INFRASHARE_DATABASE_URL": self.database_url,
            "INFRASHARE_VAR_DIR": str(self.work / "var"),
            "INFRASHARE_MEILI_URL": self.meili.url,
            "INFRASHARE_MEILI_MASTER_KEY": self.meili.master_key,
            "INFRASHARE_LOG_LEVEL": "WARNING",
            "INFRASHARE_RATE_LIMIT_USER_PER_MINUTE": "100000000",
        }

    def cli(self, *args: str) -> str:
        infrashare = str(Path(sys.executable).with_name("infrashare"))
        done = subprocess.run(  # noqa: S603 - our own CLI
            [infrashare, *args], env={**os.environ, **self.env}, check=True, capture_output=True, text=True
        )
        return done.stdout.strip()

    @contextmanager
    def server(self, name: str, worker: bool) -> Iterator[LiveServer]:
        env = self.env | {"INFRASHARE_RUN_WORKER": "true" if worker else "false"}
        live = LiveServer(env=env).start(self.work / f"{name}.log")
        try:
            yield live
        finally:
            live.stop()

    def sql(self, statement: str, **params: object) -> list[Any]:
        engine = create_engine(sync_url(self.database_url))
        with engine.begin() as connection:
            result = connection.execute(text(statement), params)
            rows = list(result.all()) if result.returns_rows else []
        engine.dispose()
        return rows

    def load(self) -> None:
        self.cli("db", "upgrade")
        self.cli("seed")
        started, created = time.perf_counter(), 0
        with self.server("load", worker=False) as live:
            owner = signed_in(live.url, "admin@tower.example")
            for first in range(0, self.assets, UPLOAD_ROWS):  # the import takes 100,000 rows a file
                chunk = range(first, min(first + UPLOAD_ROWS, self.assets))
                created += import_csv(owner, assets_csv(chunk))["created_count"]
        print(
            f"import    {self.assets:,} assets as CSV in {time.perf_counter() - started:.1f} s"
            f" (created {created:,})",
            flush=True,
        )
        for uid in ("regions", "needs", "assets"):
            started = time.perf_counter()
            output = self.cli("reindex", uid)
            print(f"reindex   {output} in {time.perf_counter() - started:.1f} s", flush=True)
        # The rebuilds read every row; the import's messages have nothing left to tell.
        self.sql("UPDATE outbox SET done_at = created_at WHERE done_at IS NULL")
        if not self.database_url.startswith("sqlite"):
            # That rewrote 200,000 outbox rows: PostgreSQL's autovacuum would clean them up while
            # the searches are timed. A loaded database is vacuumed before it goes live.
            engine = create_engine(sync_url(self.database_url), isolation_level="AUTOCOMMIT")
            with engine.connect() as connection:
                connection.execute(text("VACUUM ANALYZE"))
            engine.dispose()

    def viewer(self, client: httpx.Client) -> Viewer:
        """The API's caller as the visibility filter sees it (grants are in the documents)."""
        organisation = uuid.UUID(client.get("/api/v1/me").json()["organisation"]["id"])
        return Viewer(organisation, OrganisationKind.OPERATOR, Role.OPERATOR_ADMIN)

    def searches(self, client: httpx.Client, raw: DirectSearch) -> tuple[Timings, Timings, list[str]]:
        """API and raw timings, and a line per query shape (where a slow p95 comes from)."""
        queries = query_set(100)
        api, direct = Timings([]), Timings([])
        by_shape = {shape: (Timings([]), Timings([])) for shape in SHAPES}
        for round_number in range(self.rounds + 1):  # the first round warms caches, unrecorded
            for number, query in enumerate(queries):
                a = timed(lambda q=query: client.get("/api/v1/search/assets", params=api_params(q)))
                r = timed(lambda q=query: raw(q))
                if round_number:
                    api.values.append(a)
                    direct.values.append(r)
                    by_shape[SHAPES[number % len(SHAPES)]][0].values.append(a)
                    by_shape[SHAPES[number % len(SHAPES)]][1].values.append(r)
        shapes = [
            f"  {shape:<18} API p95 {percentile(a.values, 0.95):6.1f} ms   raw p95 {percentile(r.values, 0.95):6.1f} ms"
            for shape, (a, r) in by_shape.items()
        ]
        return api, direct, shapes

    def matches(self, client: httpx.Client) -> Timings:
        listed = client.get("/api/v1/needs", params={"status": "published", "page_size": 100}).json()
        need_ids = [item["id"] for item in listed["items"]]
        timings = Timings([])
        for round_number in range(self.rounds + 1):
            for need_id in need_ids:
                elapsed = timed(lambda n=need_id: client.get(f"/api/v1/needs/{n}/matches"))
                if round_number:
                    timings.values.append(elapsed)
        return timings

    def lag(self, owner: httpx.Client, raw: httpx.Client, mark_kw: float) -> tuple[float, str]:
        """Seconds from the commit of 10,000 updates until Meilisearch shows all of them, and
        where they went: until our first task reached Meilisearch, then Meilisearch's work."""
        updates = min(UPDATES, self.assets)
        body = {"filter": f"power_kw = {mark_kw}", "hitsPerPage": 1, "page": 1}
        path = f"/indexes/{ASSETS_INDEX.uid}/search"
        assert raw.post(path, json=body).json()["totalHits"] == 0
        job = import_csv(owner, assets_csv(range(updates), power_kw=mark_kw))
        assert job["updated_count"] == updates, job
        committed = job["seen_at"]
        while raw.post(path, json=body).json()["totalHits"] < updates:
            if time.time() - committed > 600:
                raise TimeoutError("updates never became searchable")
            time.sleep(0.02)
        return time.time() - committed, meilisearch_share(raw, committed)

    def measure(self) -> list[str]:
        # The same headers as the app's client (core.search.PLAIN_RESPONSES: no gzip, no 40 ms stall).
        headers = {"Authorization": f"Bearer {self.meili.master_key}", **PLAIN_RESPONSES}
        raw = httpx.Client(base_url=self.meili.url, headers=headers, timeout=60)
        engine = search_client(Settings(meili_url=self.meili.url, meili_master_key=self.meili.master_key))
        assert engine is not None
        with self.server("serve", worker=True) as live:
            client = signed_in(live.url, "admin@mobile.example")
            direct_search = DirectSearch(engine, self.viewer(client), asyncio.new_event_loop())
            api, direct, shapes = self.searches(client, direct_search)
            matches = self.matches(client)
            owner = signed_in(live.url, "admin@tower.example")
            # The first burst after a rebuild costs Meilisearch more (each document's first
            # update since it was indexed); the second is what a live index sees.
            (first, first_share), (second, second_share) = (self.lag(owner, raw, kw) for kw in MARK_KW)
        ratio = percentile(api.values, 0.95) / percentile(direct.values, 0.95)
        return [
            api.line("API search"),
            direct.line("raw Meilisearch search"),
            f"{'p95 ratio API / raw':<26} {ratio:.2f}  (target <= 1.5; API p95 target <= 50 ms)",
            *shapes,
            matches.line("matches (target p95 100)"),
            f"{'lag after 10,000 updates':<26} {first:.2f} s from commit to all searchable (target <= 5 s);"
            f" the next 10,000: {second:.2f} s",
            f"  first burst:  {first_share}",
            f"  second burst: {second_share}",
        ]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--assets", type=int, default=200_000)
    parser.add_argument("--rounds", type=int, default=3, help="timed passes over the 100 queries")
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="infrashare-search-bench-"))
    meili = MeilisearchProcess(meilisearch_binary(Settings()), work / "meili", "bench-master-key-0123456789")
    cluster = PostgresCluster().start() if args.backend == "postgresql" else None
    url = cluster.create_database("bench") if cluster else f"sqlite+aiosqlite:///{work / 'bench.db'}"
    meili.start()
    started = time.perf_counter()
    try:
        bench = Bench(work, url, meili, args.assets, args.rounds)
        bench.load()
        lines = bench.measure()
    finally:
        meili.stop()
        if cluster:
            cluster.stop()
    print(
        f"\n{args.assets:,} assets, {args.backend}, {os.cpu_count()} CPUs, {time.perf_counter() - started:.0f} s:"
    )
    print("\n".join(lines))


if __name__ == "__main__":
    main()
