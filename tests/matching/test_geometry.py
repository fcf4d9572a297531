"""Distances between routes are exact, segment to segment (no sampling)."""

from __future__ import annotations

from infrashare.matching.geometry import densified, geometry_distance_m, point_to_geometry_m


def line(*points: tuple[float, float]) -> dict[str, object]:
    return {"type": "LineString", "coordinates": [list(point) for point in points]}


def test_crossing_routes_are_zero_apart() -> None:
    a = line((113.950, 22.520), (113.960, 22.530))
    b = line((113.950, 22.530), (113.960, 22.520))
    assert geometry_distance_m(a, b) == 0


def test_parallel_routes_are_their_offset_apart() -> None:
    a = line((113.950, 22.520), (113.950, 22.540))
    b = line((113.951, 22.525), (113.951, 22.535), (113.952, 22.536))
    expected = point_to_geometry_m((113.951, 22.530), a)  # ~103 m east
    assert abs(geometry_distance_m(a, b) - expected) < 0.5
    assert abs(geometry_distance_m(b, a) - expected) < 0.5


def test_agrees_with_metre_by_metre_sampling() -> None:
    a = line((113.9500, 22.5150), (113.9520, 22.5300), (113.9540, 22.5450))
    b = line((113.9580, 22.5280), (113.9566, 22.5320), (113.9600, 22.5400))
    sampled = min(point_to_geometry_m(point, b) for point in densified(a, 1.0))
    assert abs(geometry_distance_m(a, b) - sampled) < 0.5
