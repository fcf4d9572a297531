"""The geo module against plain spherical trigonometry worked out here, never with its own helpers."""

from __future__ import annotations

import itertools
import math
import re

import pytest

from infrashare.core import geo
from infrashare.core.errors import InvalidInput
from infrashare.matching.need_search import NeedQuery, _geo_filters

R = 6_371_008.8  # the mean Earth radius, metres
BEIJING = (116.4074, 39.9042)
SHANGHAI = (121.4737, 31.2304)


def central_angle(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Spherical law of cosines (a different formula from the module's haversine)."""
    lon1, lat1, lon2, lat2 = (math.radians(v) for v in (*a, *b))
    cos_angle = math.sin(lat1) * math.sin(lat2) + math.cos(lat1) * math.cos(lat2) * math.cos(lon2 - lon1)
    return math.acos(max(-1.0, min(1.0, cos_angle)))


def great_circle_m(a: tuple[float, float], b: tuple[float, float]) -> float:
    return R * central_angle(a, b)


def line(*points: tuple[float, float]) -> dict[str, object]:
    return {"type": "LineString", "coordinates": [list(point) for point in points]}


def point(lon: float, lat: float) -> dict[str, object]:
    return {"type": "Point", "coordinates": [lon, lat]}


def test_beijing_to_shanghai_is_about_1067_km() -> None:
    measured = geo.haversine_m(BEIJING, SHANGHAI)
    assert abs(measured - great_circle_m(BEIJING, SHANGHAI)) < 1.0
    assert 1_060_000 < measured < 1_075_000


def test_one_radius_one_degree() -> None:
    assert geo.EARTH_RADIUS_M == R
    assert abs(geo.METRES_PER_DEGREE - 2 * math.pi * R / 360) < 1e-6
    assert abs(geo.haversine_m((114.0, 22.0), (114.0, 23.0)) - 2 * math.pi * R / 360) < 1e-3


def test_distance_to_a_meridian_is_along_the_parallel() -> None:
    meridian = line((114.0, 22.0), (114.0, 23.0))
    east = (114.01, 22.5)
    # The foot of the perpendicular is the meridian's point at the same latitude (to well under 1 m).
    expected = great_circle_m(east, (114.0, 22.5))
    assert abs(geo.point_to_geometry_m(east, meridian) - expected) < 0.5
    assert abs(expected - 0.01 * math.pi / 180 * R * math.cos(math.radians(22.5))) < 0.5
    # Beyond the end: the distance is to the end point.
    north = (114.0, 23.1)
    assert abs(geo.point_to_geometry_m(north, meridian) - great_circle_m(north, (114.0, 23.0))) < 0.5
    assert geo.point_to_geometry_m((114.0, 22.3), meridian) < 1e-6


def test_points_are_apart_by_the_great_circle() -> None:
    a, b = (113.95, 22.52), (113.97, 22.55)
    assert abs(geo.geometry_distance_m(point(*a), point(*b)) - great_circle_m(a, b)) < 1.0


def test_routes_crossing_are_zero_apart_and_parallel_ones_their_offset() -> None:
    assert (
        geo.geometry_distance_m(
            line((113.95, 22.52), (113.96, 22.53)), line((113.95, 22.53), (113.96, 22.52))
        )
        == 0
    )
    a = line((113.950, 22.520), (113.950, 22.540))
    b = line((113.951, 22.525), (113.951, 22.535), (113.952, 22.536))
    offset = 0.001 * math.pi / 180 * R * math.cos(math.radians(22.53))  # ~102.8 m east
    assert abs(geo.geometry_distance_m(a, b) - offset) < 0.5
    assert abs(geo.geometry_distance_m(b, a) - offset) < 0.5


def test_route_to_route_agrees_with_sampling_every_metre() -> None:
    a = [(113.9500, 22.5150), (113.9520, 22.5300), (113.9540, 22.5450)]
    b = [(113.9580, 22.5280), (113.9566, 22.5320), (113.9600, 22.5400)]

    def samples(route: list[tuple[float, float]], n: int) -> list[tuple[float, float]]:
        out = []
        for (x1, y1), (x2, y2) in itertools.pairwise(route):
            out += [(x1 + (x2 - x1) * k / n, y1 + (y2 - y1) * k / n) for k in range(n + 1)]
        return out

    def nearest(p_route: list[tuple[float, float]], q_route: list[tuple[float, float]]) -> tuple[int, int]:
        pairs = ((i, j) for i in range(len(p_route)) for j in range(len(q_route)))
        return min(pairs, key=lambda ij: great_circle_m(p_route[ij[0]], q_route[ij[1]]))

    # Coarsely (every ~30 m), then every ~0.3 m around the nearest pair found.
    coarse_a, coarse_b = samples(a, 60), samples(b, 15)
    i, j = nearest(coarse_a, coarse_b)
    fine_a = samples(coarse_a[max(0, i - 1) : i + 2], 100)
    fine_b = samples(coarse_b[max(0, j - 1) : j + 2], 100)
    k, m = nearest(fine_a, fine_b)
    brute = great_circle_m(fine_a[k], fine_b[m])
    assert abs(geo.geometry_distance_m(line(*a), line(*b)) - brute) < 1.0


def test_densify_keeps_the_ends_and_spaces_points_evenly() -> None:
    start, end = (113.95, 22.52), (113.96, 22.53)
    points = geo.densified(line(start, end), 50.0)
    length = great_circle_m(start, end)
    assert points[0] == start and points[-1] == end
    assert len(points) == math.ceil(length / 50.0) + 1
    gaps = [great_circle_m(p, q) for p, q in itertools.pairwise(points)]
    assert max(gaps) <= 50.0 and min(gaps) > 45.0
    assert geo.densified(point(*start), 50.0) == [start]


def test_a_box_is_padded_by_metres_on_each_side_at_its_latitude() -> None:
    for lat in (0.0, 22.5, 60.0):
        box = geo.padded((10.0, lat, 10.1, lat + 0.1), 1_000)
        lat_pad = 1_000 / (math.pi / 180 * R)
        # east–west: 1 km at the widest latitude the padded box reaches (its north edge)
        lon_pad = lat_pad / math.cos(math.radians(lat + 0.1 + lat_pad))
        assert box == pytest.approx(
            (10.0 - lon_pad, lat - lat_pad, 10.1 + lon_pad, lat + 0.1 + lat_pad), abs=1e-9
        )
        # the padded east edge is at least 1 km from the box's north-east corner
        assert great_circle_m((10.1, lat + 0.1), (box[2], lat + 0.1)) >= 999.9


def test_the_needs_index_pads_longitude_by_the_cosine_of_latitude() -> None:
    # Route needs are indexed as points every 50 m: the box grows by 25 m each side.
    (found,) = _geo_filters(NeedQuery(bbox=(10.0, 60.0, 10.1, 60.1)))
    north, east, south, west = (float(v) for v in re.findall(r"-?\d+\.?\d*(?:e-?\d+)?", found))
    assert great_circle_m((10.1, 60.1), (east, 60.1)) == pytest.approx(25.0, abs=0.2)
    assert great_circle_m((10.0, 60.1), (west, 60.1)) == pytest.approx(25.0, abs=0.2)
    assert great_circle_m((10.0, 60.1), (10.0, north)) == pytest.approx(25.0, abs=0.01)
    assert great_circle_m((10.0, 60.0), (10.0, south)) == pytest.approx(25.0, abs=0.01)


def test_a_polygon_meets_a_route_crossing_it_between_samples() -> None:
    # A strip 20 m wide across a 2 km route: no 100 m sample need fall inside it.
    width = 20 / (math.pi / 180 * R * math.cos(math.radians(22.53)))
    ring = [(113.95, 22.50), (113.95 + width, 22.50), (113.95 + width, 22.56), (113.95, 22.56)]
    crossing = line((113.94, 22.53), (113.96, 22.53))
    beside = line((113.94, 22.57), (113.96, 22.57))
    assert geo.Polygon.of(ring).meets(crossing)
    assert not geo.Polygon.of(ring).meets(beside)


def test_a_polygon_is_its_shape_not_its_bounding_box() -> None:
    ell = [(0.0, 0.0), (2.0, 0.0), (2.0, 1.0), (1.0, 1.0), (1.0, 2.0), (0.0, 2.0)]
    assert geo.meets_polygon(point(0.5, 1.5), ell)
    assert not geo.meets_polygon(point(1.5, 1.5), ell)  # in the box, outside the L
    assert geo.meets_polygon(line((1.5, 1.5), (1.5, 0.5)), ell)  # enters it


@pytest.mark.parametrize(
    ("text", "box"),
    [("113.9,22.5,114.0,22.6", (113.9, 22.5, 114.0, 22.6)), ("-180,-90,180,90", (-180, -90, 180, 90))],
)
def test_boxes_parse(text: str, box: tuple[float, float, float, float]) -> None:
    assert geo.parse_box("bbox", text) == box


@pytest.mark.parametrize(
    "text", ["114.0,22.5,113.9,22.6", "113.9,22.6,114.0,22.5", "1,2,3", "a,b,c,d", "0,0,200,1", "nan,0,1,1"]
)
def test_bad_boxes_are_refused_naming_the_field(text: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        geo.parse_box("bbox", text)
    assert [error.field for error in refused.value.errors] == ["bbox"]


def test_points_polygons_and_routes_share_one_grammar() -> None:
    assert geo.parse_point("near", "113.95,22.53") == (113.95, 22.53)
    assert geo.parse_polygon("polygon", "0,0;1,0;1,1;0,0") == [(0, 0), (1, 0), (1, 1)]
    assert geo.parse_route("route", "0,0;1,1") == [(0, 0), (1, 1)]
    for parse, field, text in (
        (geo.parse_point, "near", "113.95,95"),
        (geo.parse_polygon, "polygon", "0,0;1,0"),
        (geo.parse_polygon, "polygon", "0,0;1,0;0,0"),
        (geo.parse_route, "route", "1,1;1,1"),
    ):
        with pytest.raises(InvalidInput) as refused:
            parse(field, text)
        assert refused.value.errors[0].field == field


def test_wkt_and_upload_routes_read_and_write() -> None:
    assert geo.read_wkt("LINESTRING (113.9 22.5, 114 22.6)") == line((113.9, 22.5), (114.0, 22.6))
    assert geo.read_wkt("POINT (113.9 22.5)") == point(113.9, 22.5)
    assert geo.write_wkt(line((113.9, 22.5), (114.0, 22.6))) == "LINESTRING (113.9 22.5, 114 22.6)"
    with pytest.raises(ValueError, match="not WKT"):
        geo.read_wkt("LINESTRING (1 2,")
    assert geo.split_route_text("LINESTRING (113.9 22.5, 114 22.6)") == [[113.9, 22.5], [114.0, 22.6]]
    assert geo.split_route_text("LINESTRING Z (113.9 22.5 3, 114 22.6 4)") == [[113.9, 22.5], [114.0, 22.6]]
    with pytest.raises(ValueError, match="not WKT"):
        geo.split_route_text("LINESTRING 113.9 22.5, 114 22.6")
    assert geo.split_route_text("113.9 22.5; 114 22.6") == [["113.9", "22.5"], ["114", "22.6"]]
    assert geo.route_text([[113.9, 22.5], [114.0, 22.6]]) == "113.9 22.5, 114.0 22.6"
    with pytest.raises(ValueError, match="vertex 2"):
        geo.split_route_text("113.9 22.5, 114")


def test_one_geometry_schema_refuses_a_route_of_one_place() -> None:
    from pydantic import TypeAdapter, ValidationError

    adapter: TypeAdapter[object] = TypeAdapter(geo.Geometry)
    assert adapter.validate_python(point(113.9, 22.5)) == geo.PointGeometry(
        type="Point", coordinates=(113.9, 22.5)
    )
    with pytest.raises(ValidationError):
        adapter.validate_python(line((113.9, 22.5), (113.9, 22.5)))
    with pytest.raises(ValidationError):
        adapter.validate_python(point(181.0, 22.5))


def test_moving_a_position_by_metres() -> None:
    start = (114.05, 22.54)
    east = geo.moved(start, 300.0, 0.0)
    north = geo.moved(start, 0.0, 300.0)
    assert abs(great_circle_m(start, east) - 300) < 0.01 and east[1] == pytest.approx(start[1])
    assert abs(great_circle_m(start, north) - 300) < 0.01 and north[0] == pytest.approx(start[0])
