"""Distances between GeoJSON points and routes, in metres, on a local flat projection.

Good to well under a metre at city scale, which is all matching needs (corridors of tens to
hundreds of metres, radii of kilometres).
"""

from __future__ import annotations

import itertools
import math
from typing import Any

EARTH_M = 6_371_008.8
Position = tuple[float, float]


def _project(origin_lat: float, point: Position) -> tuple[float, float]:
    lon, lat = point
    return (
        math.radians(lon) * EARTH_M * math.cos(math.radians(origin_lat)),
        math.radians(lat) * EARTH_M,
    )


def _segment_distance(p: tuple[float, float], a: tuple[float, float], b: tuple[float, float]) -> float:
    dx, dy = b[0] - a[0], b[1] - a[1]
    length2 = dx * dx + dy * dy
    t = 0.0 if length2 == 0 else max(0.0, min(1.0, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / length2))
    return math.hypot(p[0] - (a[0] + t * dx), p[1] - (a[1] + t * dy))


def vertices(geometry: dict[str, Any]) -> list[Position]:
    if geometry["type"] == "Point":
        lon, lat = geometry["coordinates"][:2]
        return [(lon, lat)]
    return [(vertex[0], vertex[1]) for vertex in geometry["coordinates"]]


def point_to_geometry_m(point: Position, geometry: dict[str, Any]) -> float:
    """Distance from a point to a Point or to the nearest part of a LineString."""
    line = vertices(geometry)
    origin = point[1]
    p = _project(origin, point)
    projected = [_project(origin, vertex) for vertex in line]
    if len(projected) == 1:
        return math.hypot(p[0] - projected[0][0], p[1] - projected[0][1])
    return min(_segment_distance(p, a, b) for a, b in itertools.pairwise(projected))


def _densified(geometry: dict[str, Any], step_m: float = 50.0) -> list[Position]:
    line = vertices(geometry)
    if len(line) == 1:
        return line
    points: list[Position] = []
    for (lon1, lat1), (lon2, lat2) in itertools.pairwise(line):
        a, b = _project(lat1, (lon1, lat1)), _project(lat1, (lon2, lat2))
        steps = max(1, math.ceil(math.hypot(b[0] - a[0], b[1] - a[1]) / step_m))
        points.extend(
            (lon1 + (lon2 - lon1) * i / steps, lat1 + (lat2 - lat1) * i / steps) for i in range(steps)
        )
    points.append(line[-1])
    return points


def geometry_distance_m(a: dict[str, Any], b: dict[str, Any]) -> float:
    """Smallest distance between two Points/LineStrings (routes sampled every 50 m)."""
    if a["type"] == "Point":
        return point_to_geometry_m(vertices(a)[0], b)
    if b["type"] == "Point":
        return point_to_geometry_m(vertices(b)[0], a)
    return min(point_to_geometry_m(point, b) for point in _densified(a))


def inside_polygon(point: Position, ring: list[Position]) -> bool:
    """Ray casting: is the point inside the closed ring (lon, lat)?"""
    x, y = point
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=False):
        if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
            inside = not inside
    return inside


def touches_polygon(geometry: dict[str, Any], ring: list[Position]) -> bool:
    return any(inside_polygon(point, ring) for point in _densified(geometry, step_m=100.0))
