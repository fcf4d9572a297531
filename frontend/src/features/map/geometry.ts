// Plain geodesy for the map: distances, a circle as a polygon, route corridors in pixels.
import type { Feature, FeatureCollection, LineString, Point, Polygon } from "geojson";
import type { PointProperties } from "./style";

export type Position = [number, number];
const EARTH_RADIUS_M = 6_371_008.8;
const EQUATOR_M = 40_075_016.686;
const TILE_PX = 512; // MapLibre's zoom levels are for 512-pixel tiles

const radians = (degrees: number) => (degrees * Math.PI) / 180;
const degrees = (radiansValue: number) => (radiansValue * 180) / Math.PI;

/** Great-circle distance in metres. */
export function distanceM([lon1, lat1]: Position, [lon2, lat2]: Position): number {
  const h =
    Math.sin(radians(lat2 - lat1) / 2) ** 2 +
    Math.cos(radians(lat1)) * Math.cos(radians(lat2)) * Math.sin(radians(lon2 - lon1) / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Length of a route in metres. */
export function lengthM(coordinates: readonly Position[]): number {
  let total = 0;
  for (let i = 1; i < coordinates.length; i += 1) total += distanceM(coordinates[i - 1], coordinates[i]);
  return total;
}

/** The point `metres` away from `centre` towards `bearing` (degrees from north). */
export function destination([lon, lat]: Position, metres: number, bearing: number): Position {
  const angle = metres / EARTH_RADIUS_M;
  const theta = radians(bearing);
  const phi1 = radians(lat);
  const lambda1 = radians(lon);
  const phi2 = Math.asin(Math.sin(phi1) * Math.cos(angle) + Math.cos(phi1) * Math.sin(angle) * Math.cos(theta));
  const lambda2 =
    lambda1 +
    Math.atan2(Math.sin(theta) * Math.sin(angle) * Math.cos(phi1), Math.cos(angle) - Math.sin(phi1) * Math.sin(phi2));
  return [degrees(lambda2), degrees(phi2)];
}

/** A circle of `radiusM` metres around `centre` as a closed polygon of `steps` corners. */
export function circlePolygon(
  id: string,
  centre: Position,
  radiusM: number,
  steps = 64,
): Feature<Polygon, PointProperties> {
  const ring: Position[] = [];
  for (let i = 0; i < steps; i += 1) ring.push(destination(centre, radiusM, (360 * i) / steps));
  ring.push(ring[0]);
  return { type: "Feature", id, geometry: { type: "Polygon", coordinates: [ring] }, properties: { id, name: id } };
}

/**
 * A route's corridor (`widthM` either side) as a line whose `w0` property is its width in pixels
 * at zoom 0; the map doubles it per zoom level, so the band keeps its width in metres.
 */
export function corridorFeature(
  id: string,
  coordinates: Position[],
  widthM: number,
): Feature<LineString, PointProperties> {
  const lat = coordinates.reduce((sum, [, y]) => sum + y, 0) / Math.max(1, coordinates.length);
  const metresPerPixelAtZoom0 = (EQUATOR_M * Math.cos(radians(lat))) / TILE_PX;
  return {
    type: "Feature",
    id,
    geometry: { type: "LineString", coordinates },
    properties: { id, name: id, w0: (2 * widthM) / metresPerPixelAtZoom0 },
  };
}

/** Where a marker for a geometry goes: the point itself, or the middle vertex of a route. */
export function anchorOf(geometry: { type?: unknown; coordinates?: unknown }): Position | null {
  if (geometry.type === "Point" && isPosition(geometry.coordinates)) return geometry.coordinates;
  if (geometry.type === "LineString" && Array.isArray(geometry.coordinates)) {
    const vertices = geometry.coordinates.filter(isPosition);
    return vertices.length ? vertices[Math.floor(vertices.length / 2)] : null;
  }
  return null;
}

export function isPosition(value: unknown): value is Position {
  return (
    Array.isArray(value) &&
    value.length >= 2 &&
    typeof value[0] === "number" &&
    typeof value[1] === "number" &&
    Number.isFinite(value[0]) &&
    Number.isFinite(value[1])
  );
}

/** Splits GeoJSON geometries into the point and line collections MapView draws. */
export function toCollections<P extends PointProperties>(
  items: readonly { geometry: { type?: unknown; coordinates?: unknown }; properties: P }[],
): { points: FeatureCollection<Point, P>; lines: FeatureCollection<LineString, P> } {
  const points: Feature<Point, P>[] = [];
  const lines: Feature<LineString, P>[] = [];
  for (const { geometry, properties } of items) {
    if (geometry.type === "Point" && isPosition(geometry.coordinates)) {
      points.push({ type: "Feature", geometry: { type: "Point", coordinates: geometry.coordinates }, properties });
    } else if (geometry.type === "LineString" && Array.isArray(geometry.coordinates)) {
      const coordinates = geometry.coordinates.filter(isPosition);
      if (coordinates.length >= 2) lines.push({ type: "Feature", geometry: { type: "LineString", coordinates }, properties });
    }
  }
  return {
    points: { type: "FeatureCollection", features: points },
    lines: { type: "FeatureCollection", features: lines },
  };
}

/** A bbox query value `minLon,minLat,maxLon,maxLat` rounded to ~1 m. */
export function bboxText([west, south, east, north]: [number, number, number, number]): string {
  return [west, south, east, north].map((value) => value.toFixed(5)).join(",");
}

/** The centre of a box as a `near` query value `lon,lat`. */
export function centreText([west, south, east, north]: [number, number, number, number]): string {
  return `${((west + east) / 2).toFixed(5)},${((south + north) / 2).toFixed(5)}`;
}
