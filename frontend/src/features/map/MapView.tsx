// MapLibre GL map: clustered points and lines on a plain background (tiles only if configured).
import type { FeatureCollection, LineString, Point } from "geojson";
import maplibregl, { type GeoJSONSource, type Map as MapLibreMap } from "maplibre-gl";
import "maplibre-gl/dist/maplibre-gl.css";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { baseStyle, bounds, TILE_SETTINGS, type LineCollection, type PointCollection, type PointProperties } from "./style";

const EMPTY = { type: "FeatureCollection", features: [] } as FeatureCollection<Point | LineString>;
const SHENZHEN: [number, number] = [114.06, 22.6];
const COLOUR = "#1677ff";

export interface MapViewProps {
  points?: PointCollection;
  lines?: LineCollection;
  /** Read to screen readers as the map's name. */
  label: string;
  height?: number | string;
  onSelect?: (properties: PointProperties) => void;
}

function addLayers(map: MapLibreMap): void {
  map.addSource("lines", { type: "geojson", data: EMPTY });
  map.addLayer({
    id: "lines",
    type: "line",
    source: "lines",
    layout: { "line-cap": "round", "line-join": "round" },
    paint: { "line-color": "#fa8c16", "line-width": 3 },
  });
  map.addSource("points", { type: "geojson", data: EMPTY, cluster: true, clusterRadius: 40, clusterMaxZoom: 14 });
  map.addLayer({
    id: "clusters",
    type: "circle",
    source: "points",
    filter: ["has", "point_count"],
    paint: {
      "circle-color": COLOUR,
      "circle-opacity": 0.8,
      "circle-radius": ["step", ["get", "point_count"], 14, 10, 18, 100, 24, 1000, 30],
      "circle-stroke-width": 2,
      "circle-stroke-color": "#fff",
    },
  });
  map.addLayer({
    id: "points",
    type: "circle",
    source: "points",
    filter: ["!", ["has", "point_count"]],
    paint: { "circle-color": COLOUR, "circle-radius": 6, "circle-stroke-width": 2, "circle-stroke-color": "#fff" },
  });
}

/**
 * Cluster counts as HTML markers: text layers would need a glyph server, and the map must work
 * with no server at all.
 */
function clusterCounts(map: MapLibreMap): () => void {
  const markers = new Map<number, maplibregl.Marker>();
  const update = () => {
    const seen = new Set<number>();
    for (const feature of map.querySourceFeatures("points", { filter: ["has", "point_count"] })) {
      const id = feature.properties.cluster_id as number;
      if (seen.has(id)) continue;
      seen.add(id);
      if (!markers.has(id) && feature.geometry.type === "Point") {
        const element = document.createElement("div");
        element.textContent = String(feature.properties.point_count_abbreviated ?? feature.properties.point_count);
        element.style.cssText = "color:#fff;font:600 12px sans-serif;pointer-events:none";
        element.setAttribute("aria-hidden", "true");
        const [lon, lat] = feature.geometry.coordinates;
        markers.set(id, new maplibregl.Marker({ element }).setLngLat([lon, lat]).addTo(map));
      }
    }
    for (const [id, marker] of markers) {
      if (!seen.has(id)) {
        marker.remove();
        markers.delete(id);
      }
    }
  };
  map.on("render", update);
  return () => map.off("render", update);
}

function webglAvailable(): boolean {
  try {
    const canvas = document.createElement("canvas");
    return !!(canvas.getContext("webgl2") ?? canvas.getContext("webgl"));
  } catch {
    return false;
  }
}

export function MapView({ points, lines, label, height = 420, onSelect }: MapViewProps) {
  const { t } = useTranslation();
  const container = useRef<HTMLDivElement>(null);
  const [map, setMap] = useState<MapLibreMap | null>(null);
  const [failed, setFailed] = useState(false);
  const onSelectRef = useRef(onSelect);
  onSelectRef.current = onSelect;

  useEffect(() => {
    if (!container.current) return;
    if (!webglAvailable()) {
      setFailed(true);
      return;
    }
    let created: MapLibreMap;
    try {
      created = new maplibregl.Map({
        container: container.current,
        style: baseStyle(),
        center: SHENZHEN,
        zoom: 8,
        attributionControl: TILE_SETTINGS.url ? { compact: true } : false,
        dragRotate: false,
        pitchWithRotate: false,
      });
    } catch {
      setFailed(true);
      return;
    }
    created.getCanvas().setAttribute("aria-label", label);
    created.addControl(new maplibregl.NavigationControl({ showCompass: false }), "top-right");
    let stopCounts = () => {};
    created.on("load", () => {
      addLayers(created);
      stopCounts = clusterCounts(created);
      created.on("click", "clusters", (event) => {
        const feature = event.features?.[0];
        if (!feature || feature.geometry.type !== "Point") return;
        const [lon, lat] = feature.geometry.coordinates;
        void (created.getSource("points") as GeoJSONSource)
          .getClusterExpansionZoom(feature.properties.cluster_id as number)
          .then((zoom) => created.easeTo({ center: [lon, lat], zoom }));
      });
      created.on("click", "points", (event) => {
        const feature = event.features?.[0];
        if (!feature || feature.geometry.type !== "Point") return;
        const properties = feature.properties as PointProperties;
        const [lon, lat] = feature.geometry.coordinates;
        new maplibregl.Popup({ closeButton: true }).setLngLat([lon, lat]).setText(properties.name).addTo(created);
        onSelectRef.current?.(properties);
      });
      for (const layer of ["clusters", "points"]) {
        created.on("mouseenter", layer, () => (created.getCanvas().style.cursor = "pointer"));
        created.on("mouseleave", layer, () => (created.getCanvas().style.cursor = ""));
      }
      setMap(created);
    });
    return () => {
      stopCounts();
      setMap(null);
      created.remove();
    };
    // The map is created once; its name follows the language below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    map?.getCanvas().setAttribute("aria-label", label);
  }, [map, label]);

  useEffect(() => {
    if (!map) return;
    (map.getSource("points") as GeoJSONSource).setData(points ?? EMPTY);
    (map.getSource("lines") as GeoJSONSource).setData(lines ?? EMPTY);
    const box = bounds(points ?? EMPTY, lines ?? EMPTY);
    if (box) map.fitBounds(box, { padding: 40, maxZoom: 14, duration: 0 });
  }, [map, points, lines]);

  return (
    <div style={{ position: "relative", height, border: "1px solid #f0f0f0", borderRadius: 4, overflow: "hidden" }}>
      <div ref={container} style={{ position: "absolute", inset: 0 }} data-testid="map" />
      {failed ? (
        <div role="status" style={{ position: "absolute", inset: 0, display: "grid", placeItems: "center", padding: 16 }}>
          {t("map.unavailable")}
        </div>
      ) : null}
    </div>
  );
}
