"""Benchmark: the geo module against the code it replaced, on Shenzhen's real stations and lines.

Data: ../shared/data (metro lines 2016 as 31 routes, metro and train stations and power
substations as 660 points). "Before" is ``matching/geometry.py`` as of ``--before`` (loaded from
git), "after" is ``infrashare.core.geo``. For each task: the best of ``--rounds`` timings and
whether both give the same answers.

1. point → route: every point to every route (the distance a search hit shows);
2. route → route: every pair of routes (matching a route need to a duct);
3. densify at 50 m: every route (a route need's index documents);
4. polygon: every point and route against a concave polygon over Futian and Nanshan (the
   search's polygon filter); before, routes were sampled every 100 m, after it is exact.

    uv run python bench/geo_distances.py [--before f5e15fb] [--rounds 5] [--data ../shared/data]
"""

from __future__ import annotations

import argparse
import itertools
import json
import subprocess
import sys
import time
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "backend"))

from infrashare.core import geo  # noqa: E402

# A concave ring (an L) over Futian and Nanshan, lon/lat.
RING = [(113.90, 22.50), (114.08, 22.50), (114.08, 22.56), (113.98, 22.56), (113.98, 22.62), (113.90, 22.62)]
Geometry = dict[str, Any]


def old_module(revision: str) -> types.ModuleType:
    source = subprocess.run(  # noqa: S603 - a fixed git command on our own repository
        ["git", "show", f"{revision}:backend/infrashare/matching/geometry.py"],  # noqa: S607
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    module = types.ModuleType("geometry_before")
    exec(compile(source, "geometry_before.py", "exec"), module.__dict__)  # noqa: S102 - our own history
    return module


def load(data: Path) -> tuple[list[Geometry], list[Geometry]]:
    lines = json.loads((data / "shenzhen_metro_lines_osm2016.geojson").read_text(encoding="utf-8"))
    routes = [
        {"type": "LineString", "coordinates": part}
        for feature in lines["features"]
        for part in feature["geometry"]["coordinates"]
        if len(part) >= 2
    ]
    points = []
    for name in ("shenzhen_metro_stations", "shenzhen_train_stations", "shenzhen_power_substations"):
        document = json.loads((data / f"{name}.geojson").read_text(encoding="utf-8"))
        points += [feature["geometry"] for feature in document["features"]]
    return points, routes


def best(rounds: int, work: Callable[[], Any]) -> tuple[float, Any]:
    timings, result = [], None
    for _ in range(rounds):
        started = time.perf_counter()
        result = work()
        timings.append(time.perf_counter() - started)
    return min(timings), result


def close(a: list[float], b: list[float], metres: float) -> bool:
    return len(a) == len(b) and all(abs(x - y) <= metres for x, y in zip(a, b, strict=True))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--before", default="f5e15fb", help="git revision holding matching/geometry.py")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    args = parser.parse_args()
    old = old_module(args.before)
    points, routes = load(args.data)
    vertices = sum(len(route["coordinates"]) for route in routes)
    print(f"{len(points)} points, {len(routes)} routes ({vertices} vertices), best of {args.rounds}")
    positions = [tuple(point["coordinates"][:2]) for point in points]
    pairs = list(itertools.combinations(routes, 2))
    everything = points + routes
    tasks: list[tuple[str, Callable[[], Any], Callable[[], Any], Callable[[Any, Any], str]]] = [
        (
            f"point→route ×{len(positions) * len(routes):,}",
            lambda: [old.point_to_geometry_m(p, r) for p in positions for r in routes],
            lambda: [geo.point_to_geometry_m(p, r) for p in positions for r in routes],
            lambda a, b: "same" if close(a, b, 0.01) else "differ",
        ),
        (
            f"route→route ×{len(pairs):,}",
            lambda: [old.geometry_distance_m(a, b) for a, b in pairs],
            lambda: [geo.geometry_distance_m(a, b) for a, b in pairs],
            lambda a, b: "same" if close(a, b, 0.01) else "differ",
        ),
        (
            f"densify 50 m ×{len(routes)}",
            lambda: [old.densified(r, 50.0) for r in routes],
            lambda: [geo.densified(r, 50.0) for r in routes],
            lambda a, b: "same" if a == b else "differ",
        ),
        (
            f"polygon ×{len(everything)}",
            lambda: [old.touches_polygon(g, RING) for g in everything],
            lambda: [geo.Polygon.of(RING).meets(g) for g in everything],
            lambda a, b: (
                f"{sum(x != y for x, y in zip(a, b, strict=True))} answers differ "
                f"(before {sum(a)}, after {sum(b)} meet it)"
            ),
        ),
    ]
    print(f"{'task':<26} {'before ms':>10} {'after ms':>10} {'ratio':>6}  answers")
    for name, before, after, compare in tasks:
        t_before, r_before = best(args.rounds, before)
        t_after, r_after = best(args.rounds, after)
        print(
            f"{name:<26} {t_before * 1000:>10.1f} {t_after * 1000:>10.1f} "
            f"{t_before / t_after:>6.2f}  {compare(r_before, r_after)}"
        )


if __name__ == "__main__":
    main()
