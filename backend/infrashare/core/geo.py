"""Geography in one place: the Earth's radius, distances, a local flat projection, densifying,
intersections, GeoJSON/WKT, and the one grammar of coordinates in query parameters.

Distances are for city scale (corridors of tens to hundreds of metres, radii up to a few hundred
kilometres): a flat projection about a latitude (``Projection``, the "cheap ruler") is within a
fraction of a percent there and costs a few multiplications; ``haversine_m`` is for anything
longer. Nothing here crosses the antimeridian (China's infrastructure does not).

Query parameters take coordinates in one grammar: a point is ``lon,lat``; a box
``minLon,minLat,maxLon,maxLat``; a polygon (one ring) and a route are points separated by ``;``.
Upload columns take a route as ``lon lat, lon lat, …`` or WKT ``LINESTRING (…)``.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Literal

import numpy
import shapely
from litestar.params import QueryParameter
from pydantic import BaseModel, Field, field_validator
from shapely.geometry.base import BaseGeometry

from infrashare.core.errors import FieldError, InvalidInput

EARTH_RADIUS_M = 6_371_008.8  # the mean radius (IUGG): the one radius every distance uses
METRES_PER_DEGREE = EARTH_RADIUS_M * math.pi / 180  # along a meridian (~111.2 km)
MAX_VERTICES = 10_000
Position = tuple[float, float]  # lon, lat in degrees (WGS84)
XY = tuple[float, float]  # metres east and north on a local projection
BBox = tuple[float, float, float, float]  # min lon, min lat, max lon, max lat

# --- GeoJSON bodies -----------------------------------------------------------------------------

Lon = Annotated[float, Field(ge=-180, le=180, description="WGS84 longitude, degrees")]
Lat = Annotated[float, Field(ge=-90, le=90, description="WGS84 latitude, degrees")]
LonLat = tuple[Lon, Lat]


class PointGeometry(BaseModel):
    """A GeoJSON Point: ``[lon, lat]``."""

    type: Literal["Point"]
    coordinates: LonLat


class LineStringGeometry(BaseModel):
    """A GeoJSON LineString (a route): 2 to 10,000 ``[lon, lat]`` vertices, not all the same."""

    type: Literal["LineString"]
    coordinates: list[LonLat] = Field(min_length=2, max_length=MAX_VERTICES)

    @field_validator("coordinates")
    @classmethod
    def _not_zero_length(cls, value: list[tuple[float, float]]) -> list[tuple[float, float]]:
        first = value[0]
        if all(vertex == first for vertex in value):
            raise ValueError("the route has zero length (all vertices are the same point)")
        return value


Geometry = Annotated[PointGeometry | LineStringGeometry, Field(discriminator="type")]


def vertices(geometry: dict[str, Any]) -> list[Position]:
    """A GeoJSON Point's or LineString's positions (any third coordinate dropped)."""
    if geometry["type"] == "Point":
        lon, lat = geometry["coordinates"][:2]
        return [(lon, lat)]
    return [(vertex[0], vertex[1]) for vertex in geometry["coordinates"]]


def bounds(geometry: dict[str, Any]) -> BBox:
    points = vertices(geometry)
    lons, lats = [lon for lon, _ in points], [lat for _, lat in points]
    return min(lons), min(lats), max(lons), max(lats)


def representative_point(geometry: dict[str, Any]) -> Position:
    """The point itself, or a route's middle vertex (so a marker sits on the route)."""
    points = vertices(geometry)
    lon, lat = points[len(points) // 2]
    return float(lon), float(lat)


def location_columns(geometry: dict[str, Any]) -> dict[str, float]:
    """The plain columns stored beside a geometry: its marker point and its bounding box."""
    lon, lat = representative_point(geometry)
    min_lon, min_lat, max_lon, max_lat = bounds(geometry)
    return {
        "lon": lon,
        "lat": lat,
        "min_lon": min_lon,
        "min_lat": min_lat,
        "max_lon": max_lon,
        "max_lat": max_lat,
    }


# --- distances ----------------------------------------------------------------------------------


def haversine_m(a: Position, b: Position) -> float:
    """Great-circle distance between two (lon, lat) positions, metres."""
    lon1, lat1, lon2, lat2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


def length_m(geometry: dict[str, Any]) -> float:
    return sum(haversine_m(a, b) for a, b in itertools.pairwise(vertices(geometry)))


@dataclass(frozen=True)
class Projection:
    """A local equirectangular projection (the "cheap ruler"): degrees to metres about a latitude."""

    per_lon: float  # metres per degree east–west at the latitude
    per_lat: float = METRES_PER_DEGREE

    @classmethod
    def at(cls, latitude: float) -> Projection:
        return cls(METRES_PER_DEGREE * math.cos(math.radians(latitude)))

    def xy(self, position: Position) -> XY:
        return position[0] * self.per_lon, position[1] * self.per_lat

    def position(self, xy: XY) -> Position:
        return xy[0] / self.per_lon, xy[1] / self.per_lat


def moved(position: Position, east_m: float, north_m: float) -> Position:
    """The position so many metres east and north (on the local projection: for short moves)."""
    projection = Projection.at(position[1])
    x, y = projection.xy(position)
    return projection.position((x + east_m, y + north_m))


def segment_distance(p: XY, a: XY, b: XY) -> float:
    """Distance on the plane from ``p`` to the segment ``a``–``b``."""
    dx, dy = b[0] - a[0], b[1] - a[1]
    length2 = dx * dx + dy * dy
    t = 0.0 if length2 == 0 else max(0.0, min(1.0, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / length2))
    return math.hypot(p[0] - a[0] - t * dx, p[1] - a[1] - t * dy)


@dataclass(frozen=True)
class Ruler:
    """Distances from many points to one Point or route, projected once about its first vertex."""

    line: tuple[XY, ...]
    projection: Projection

    @classmethod
    def to(cls, geometry: dict[str, Any]) -> Ruler:
        points = vertices(geometry)
        projection = Projection.at(points[0][1])
        return cls(tuple(projection.xy(point) for point in points), projection)

    @property
    def per_lon(self) -> float:
        return self.projection.per_lon

    @property
    def per_lat(self) -> float:
        return self.projection.per_lat

    def metres(self, lon: float, lat: float) -> float:
        p = self.projection.xy((lon, lat))
        if len(self.line) == 1:
            return math.hypot(p[0] - self.line[0][0], p[1] - self.line[0][1])
        return min(segment_distance(p, a, b) for a, b in itertools.pairwise(self.line))


def _projected(geometry: dict[str, Any], projection: Projection) -> BaseGeometry:
    """A Point or route as a shapely geometry in metres on the projection."""
    scale = (projection.per_lon, projection.per_lat)
    if geometry["type"] == "Point":
        return shapely.Point(numpy.asarray(geometry["coordinates"][:2], dtype=float) * scale)
    return shapely.LineString(numpy.asarray(geometry["coordinates"], dtype=float)[:, :2] * scale)


def point_to_geometry_m(point: Position, geometry: dict[str, Any]) -> float:
    """Distance from a point to a Point or to the nearest part of a route, projected about the point."""
    projection = Projection.at(point[1])
    return float(shapely.Point(projection.xy(point)).distance(_projected(geometry, projection)))


def geometry_distance_m(a: dict[str, Any], b: dict[str, Any]) -> float:
    """Smallest distance between two Points/routes, exactly (segment to segment, 0 if they cross)."""
    if a["type"] == "Point":
        return point_to_geometry_m(vertices(a)[0], b)
    if b["type"] == "Point":
        return point_to_geometry_m(vertices(b)[0], a)
    projection = Projection.at(vertices(a)[0][1])
    return float(_projected(a, projection).distance(_projected(b, projection)))


def densified(geometry: dict[str, Any], step_m: float = 50.0) -> list[Position]:
    """A route's vertices with points added so that none is more than ``step_m`` from the next."""
    line = vertices(geometry)
    if len(line) == 1:
        return line
    points: list[Position] = []
    for (lon1, lat1), (lon2, lat2) in itertools.pairwise(line):
        east = (lon2 - lon1) * METRES_PER_DEGREE * math.cos(math.radians(lat1))  # projected about lat1
        steps = max(1, math.ceil(math.hypot(east, (lat2 - lat1) * METRES_PER_DEGREE) / step_m))
        points.extend(
            (lon1 + (lon2 - lon1) * i / steps, lat1 + (lat2 - lat1) * i / steps) for i in range(steps)
        )
    points.append(line[-1])
    return points


# --- boxes --------------------------------------------------------------------------------------


def padded(box: BBox, metres: float) -> BBox:
    """The box grown by ``metres`` on every side: a degree of longitude shrinks with cos(latitude),
    so the east–west pad is taken at the box's widest latitude (reached after padding)."""
    min_lon, min_lat, max_lon, max_lat = box
    pad_lat = metres / METRES_PER_DEGREE
    pad_lon = pad_lat * lon_stretch(max(abs(min_lat), abs(max_lat)) + pad_lat)
    return (
        max(-180.0, min_lon - pad_lon),
        max(-90.0, min_lat - pad_lat),
        min(180.0, max_lon + pad_lon),
        min(90.0, max_lat + pad_lat),
    )


def lon_stretch(latitude: float) -> float:
    """Degrees of longitude per degree of latitude for the same distance, at a latitude."""
    return 1 / math.cos(math.radians(min(89.0, abs(latitude))))


def boxes_meet(a: BBox, b: BBox) -> bool:
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


def box_of(row: Any) -> BBox:
    """The bounding box stored in a row's ``min_lon``… columns (assets, needs)."""
    return row.min_lon, row.min_lat, row.max_lon, row.max_lat


def ring_box(ring: Sequence[Position]) -> BBox | None:
    if not ring:
        return None
    lons, lats = [p[0] for p in ring], [p[1] for p in ring]
    return min(lons), min(lats), max(lons), max(lats)


# --- shapes: intersections, GeoJSON and WKT -----------------------------------------------------


def to_shape(geometry: dict[str, Any]) -> BaseGeometry:
    """A GeoJSON geometry as a shapely one, in degrees."""
    if geometry["type"] == "Point":
        return shapely.Point(geometry["coordinates"][:2])
    if geometry["type"] == "LineString":
        return shapely.LineString(numpy.asarray(geometry["coordinates"], dtype=float)[:, :2])
    return shapely.geometry.shape(geometry)


def to_geojson(shape: BaseGeometry) -> dict[str, Any]:
    mapping: dict[str, Any] = shapely.geometry.mapping(shape)
    return {"type": mapping["type"], "coordinates": _lists(mapping["coordinates"])}


def _lists(value: Any) -> Any:
    return [_lists(item) for item in value] if isinstance(value, tuple | list) else value


def read_wkt(text: str) -> dict[str, Any]:
    """WKT (``POINT (…)``, ``LINESTRING (…)``, ``POLYGON ((…))``) as a GeoJSON geometry."""
    try:
        return to_geojson(shapely.from_wkt(text))
    except shapely.errors.GEOSException as exc:
        raise ValueError(f"not WKT: {text[:40]!r}") from exc


def write_wkt(geometry: dict[str, Any]) -> str:
    return str(shapely.to_wkt(to_shape(geometry), rounding_precision=-1))


@dataclass(frozen=True)
class Polygon:
    """A polygon (one ring, lon/lat) that tells, exactly, which geometries it meets."""

    shape: BaseGeometry

    @classmethod
    def of(cls, ring: Sequence[Position]) -> Polygon:
        """The polygon of a ring (remembered: a search tests every hit against the same one)."""
        return _polygon(tuple((float(lon), float(lat)) for lon, lat in ring))

    def meets(self, geometry: dict[str, Any]) -> bool:
        """The geometry touches the polygon or lies (partly) inside it."""
        return bool(self.shape.intersects(to_shape(geometry)))

    def meets_box(self, box: BBox) -> bool:
        return bool(self.shape.intersects(shapely.box(*box)))

    def holds_box(self, box: BBox) -> bool:
        return bool(self.shape.covers(shapely.box(*box)))


@functools.lru_cache(maxsize=64)
def _polygon(ring: tuple[Position, ...]) -> Polygon:
    shape: BaseGeometry = shapely.Polygon(ring)
    if not shape.is_valid:  # a ring that crosses itself: the area it encloses
        shape = shapely.make_valid(shape)
    shapely.prepare(shape)
    return Polygon(shape)


def meets_polygon(geometry: dict[str, Any], ring: Sequence[Position]) -> bool:
    return Polygon.of(ring).meets(geometry)


# --- the coordinate grammar of query parameters -------------------------------------------------

BoxParameter = Annotated[
    str | None, QueryParameter(description="minLon,minLat,maxLon,maxLat (min ≤ max; WGS84 degrees)")
]
PolygonParameter = Annotated[str | None, QueryParameter(description="lon,lat;lon,lat;lon,lat… (one ring)")]


def _numbers(field: str, text: str, count: int | None) -> list[float]:
    try:
        values = [float(part) for part in text.split(",")]
    except ValueError as exc:
        raise InvalidInput(
            f"{field} must be numbers separated by commas.", errors=[FieldError(field, "not numbers")]
        ) from exc
    if count is not None and len(values) != count:
        raise InvalidInput(
            f"{field} needs {count} numbers.", errors=[FieldError(field, f"expected {count} numbers")]
        )
    if not all(math.isfinite(value) for value in values):
        raise InvalidInput(f"{field} must be finite numbers.", errors=[FieldError(field, "not numbers")])
    return values


def _in_range(field: str, lon: float, lat: float) -> Position:
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise InvalidInput(
            f"{field} is outside WGS84 ranges.", errors=[FieldError(field, "lon -180..180, lat -90..90")]
        )
    return lon, lat


def parse_point(field: str, text: str) -> Position:
    """``lon,lat``."""
    lon, lat = _numbers(field, text, 2)
    return _in_range(field, lon, lat)


def parse_box(field: str, text: str) -> BBox:
    """``minLon,minLat,maxLon,maxLat``; a reversed box (max below min) is refused, not flipped."""
    min_lon, min_lat, max_lon, max_lat = _numbers(field, text, 4)
    _in_range(field, min_lon, min_lat)
    _in_range(field, max_lon, max_lat)
    if min_lon > max_lon or min_lat > max_lat:
        raise InvalidInput(
            f"{field}: the minimum is above the maximum.",
            errors=[FieldError(field, "expected minLon,minLat,maxLon,maxLat with min ≤ max")],
        )
    return min_lon, min_lat, max_lon, max_lat


def _positions(field: str, text: str) -> list[Position]:
    return [parse_point(field, pair) for pair in text.split(";") if pair.strip()]


def parse_polygon(field: str, text: str) -> list[Position]:
    """``lon,lat;lon,lat;lon,lat…``: one ring of at least three corners (closing it is optional)."""
    ring = _positions(field, text)
    if len(ring) > 1 and ring[0] == ring[-1]:
        ring = ring[:-1]
    if len(set(ring)) < 3:
        raise InvalidInput(
            "A polygon needs at least three corners.", errors=[FieldError(field, "at least 3 points")]
        )
    return ring


def parse_route(field: str, text: str) -> list[Position]:
    """``lon,lat;lon,lat…``: at least two distinct points."""
    route = _positions(field, text)
    if len(set(route)) < 2:
        raise InvalidInput(
            "A route needs at least two different points.", errors=[FieldError(field, "at least 2 points")]
        )
    return route


# --- the route grammar of upload columns --------------------------------------------------------


def split_route_text(text: str) -> list[list[str | float]]:
    """'lon lat, lon lat' or WKT 'LINESTRING (lon lat, …)' into vertices (the numbers are checked
    by the schema, which names the vertex). Raises ValueError saying what is wrong."""
    body = text.strip()
    if body.upper().startswith("LINESTRING"):
        geometry = read_wkt(body)
        return [[lon, lat] for lon, lat, *_ in geometry["coordinates"]]
    route: list[list[str | float]] = []
    for number, pair in enumerate(body.replace(";", ",").split(","), start=1):
        parts = pair.split()
        if len(parts) != 2:
            raise ValueError(f"vertex {number} should be 'lon lat', got {pair.strip()!r}")
        route.append([parts[0], parts[1]])
    return route


def route_text(coordinates: Sequence[Sequence[float]]) -> str:
    """A route as an upload column: ``lon lat, lon lat, …``."""
    return ", ".join(f"{vertex[0]} {vertex[1]}" for vertex in coordinates)
