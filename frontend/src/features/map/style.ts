// The map's base style: a plain background, and raster tiles only when a tile URL is configured.
import type { Feature, FeatureCollection, LineString, Point } from "geojson";
import type { StyleSpecification } from "maplibre-gl";

export interface TileSettings {
  url?: string;
  attribution?: string;
}

/** From VITE_MAP_TILE_URL / VITE_MAP_TILE_ATTRIBUTION at build time; none by default. */
export const TILE_SETTINGS: TileSettings = {
  url: import.meta.env.VITE_MAP_TILE_URL || undefined,
  attribution: import.meta.env.VITE_MAP_TILE_ATTRIBUTION || undefined,
};

export function baseStyle(tiles: TileSettings = TILE_SETTINGS): StyleSpecification {
  const style: StyleSpecification = {
    version: 8,
    sources: {},
    layers: [{ id: "background", type: "background", paint: { "background-color": "#eef2f6" } }],
  };
  if (tiles.url) {
    style.sources.basemap = {
      type: "raster",
      tiles: [tiles.url],
      tileSize: 256,
      ...(tiles.attribution ? { attribution: tiles.attribution } : {}),
    };
    style.layers.push({ id: "basemap", type: "raster", source: "basemap" });
  }
  return style;
}

export interface PointProperties {
  id: string;
  name: string;
  [key: string]: unknown;
}

export type PointCollection = FeatureCollection<Point, PointProperties>;
export type LineCollection = FeatureCollection<LineString, PointProperties>;

export function pointFeature(id: string, name: string, lon: number, lat: number): Feature<Point, PointProperties> {
  return { type: "Feature", id, geometry: { type: "Point", coordinates: [lon, lat] }, properties: { id, name } };
}

export function collection<G extends Point | LineString>(
  features: Feature<G, PointProperties>[],
): FeatureCollection<G, PointProperties> {
  return { type: "FeatureCollection", features };
}

/** [[west, south], [east, north]] around every coordinate, or null for no features. */
export function bounds(
  ...collections: FeatureCollection<Point | LineString>[]
): [[number, number], [number, number]] | null {
  let west = Infinity;
  let south = Infinity;
  let east = -Infinity;
  let north = -Infinity;
  for (const fc of collections) {
    for (const feature of fc.features) {
      const coordinates =
        feature.geometry.type === "Point" ? [feature.geometry.coordinates] : feature.geometry.coordinates;
      for (const [lon, lat] of coordinates) {
        west = Math.min(west, lon);
        east = Math.max(east, lon);
        south = Math.min(south, lat);
        north = Math.max(north, lat);
      }
    }
  }
  return Number.isFinite(west) ? [[west, south], [east, north]] : null;
}
