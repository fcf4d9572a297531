// MapLibre GL map: clustered points and lines on a plain background (tiles only if configured).
import type { FeatureCollection, LineString, Point, Polygon } from "geojson";
import maplibregl, { type GeoJSONSource, type Map as MapLibreMap } from "maplibre-gl";
import "maplibre-gl/dist/maplibre-gl.css";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { baseStyle, bounds, TILE_SETTINGS, type LineCollection, type PointCollection, type PointProperties } from "./style";

const EMPTY = { type: "FeatureCollection", features: [] } as FeatureCollection<Point | LineString>;
const SHENZHEN: [number, number] = [114.06, 22.6];
const COLOUR = "#1677ff";
const SELECTED = "#d4380d";
const AREA = "#722ed1";
const NONE = "\u0000none";

/** An HTML marker: a real button, so it can be reached by keyboard and named for screen readers. */
export interface MapMarker {
  id: string;
  lon: number;
  lat: number;
  /** Shown on the marker (a rank number, a letter). */
  text: string;
  /** The button's accessible name. */
  label: string;
}

export interface MapViewProps {
  points?: PointCollection;
  lines?: LineCollection;
  /** Filled areas (a need's search circle). */
  areas?: FeatureCollection<Polygon, PointProperties>;
  /** Route corridors: lines whose `w0` property is their width in pixels at zoom 0 (see geometry.ts). */
  corridors?: LineCollection;
  markers?: readonly MapMarker[];
  /** The id of the point, line or marker drawn as selected. */
  selectedId?: string | null;
  /** Read to screen readers as the map's name. */
  label: string;
  height?: number | string;
  onSelect?: (properties: PointProperties) => void;
  /** A click on the map itself (not on a feature): for pickers. */
  onMapClick?: (position: [number, number]) => void;
  /** The visible box after every move: west, south, east, north. */
  onMoveEnd?: (box: [number, number, number, number]) => void;
  /** Move the view to this point when it changes (a picker's typed coordinates). */
  focus?: [number, number] | null;
  /** Fit the view to the data on every change (default), or only to the data there when the map opens. */
  fit?: "always" | "once";
}

function addLayers(map: MapLibreMap): void {
  map.addSource("areas", { type: "geojson", data: EMPTY });
  map.addLayer({
    id: "areas",
    type: "fill",
    source: "areas",
    paint: { "fill-color": AREA, "fill-opacity": 0.12, "fill-outline-color": AREA },
  });
  map.addSource("corridors", { type: "geojson", data: EMPTY });
  map.addLayer({
    id: "corridors",
    type: "line",
    source: "corridors",
    layout: { "line-cap": "round", "line-join": "round" },
    paint: {
      "line-color": AREA,
      "line-opacity": 0.15,
      "line-width": ["interpolate", ["exponential", 2], ["zoom"], 0, ["get", "w0"], 22, ["*", ["get", "w0"], 4194304]],
    },
  });
  map.addSource("lines", { type: "geojson", data: EMPTY });
  map.addLayer({
    id: "lines",
    type: "line",
    source: "lines",
    layout: { "line-cap": "round", "line-join": "round" },
    paint: { "line-color": "#fa8c16", "line-width": 3 },
  });
  map.addLayer({
    id: "lines-selected",
    type: "line",
    source: "lines",
    filter: ["==", ["get", "id"], NONE],
    layout: { "line-cap": "round", "line-join": "round" },
    paint: { "line-color": SELECTED, "line-width": 6 },
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
    paint: {
      "circle-color": ["case", ["==", ["get", "id"], NONE], SELECTED, COLOUR],
      "circle-radius": ["case", ["==", ["get", "id"], NONE], 9, 6],
      "circle-stroke-width": 2,
      "circle-stroke-color": "#fff",
    },
  });
}

function showSelected(map: MapLibreMap, id: string | null | undefined): void {
  const value = id ?? NONE;
  map.setFilter("lines-selected", ["==", ["get", "id"], value]);
  map.setPaintProperty("points", "circle-color", ["case", ["==", ["get", "id"], value], SELECTED, COLOUR]);
  map.setPaintProperty("points", "circle-radius", ["case", ["==", ["get", "id"], value], 9, 6]);
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

function markerElement(marker: MapMarker, selected: boolean, onClick: () => void): HTMLButtonElement {
  const element = document.createElement("button");
  element.type = "button";
  element.className = "map-marker";
  element.textContent = marker.text;
  element.setAttribute("aria-label", marker.label);
  element.setAttribute("aria-pressed", String(selected));
  element.dataset.markerId = marker.id;
  element.style.cssText = [
    "min-width:26px;height:26px;padding:0 6px;border-radius:13px;border:2px solid #fff",
    `background:${selected ? SELECTED : "#0958d9"};color:#fff;font:600 12px/22px sans-serif`,
    "cursor:pointer;box-shadow:0 1px 4px rgba(0,0,0,.35)",
  ].join(";");
  element.addEventListener("click", (event) => {
    event.stopPropagation();
    onClick();
  });
  return element;
}

let webgl: boolean | undefined;

/** Whether this browser can draw the map (MapLibre needs WebGL). Asked once per page, and the
 *  probe's context is given back at once: browsers allow only a few live WebGL contexts. */
function webglAvailable(): boolean {
  if (webgl === undefined) {
    try {
      const canvas = document.createElement("canvas");
      const context = canvas.getContext("webgl2") ?? canvas.getContext("webgl");
      context?.getExtension("WEBGL_lose_context")?.loseContext();
      webgl = !!context;
    } catch {
      webgl = false;
    }
  }
  return webgl;
}

/** Markers as points, so `bounds` covers them too. */
function markerPoints(markers: readonly MapMarker[] | undefined): PointCollection {
  return {
    type: "FeatureCollection",
    features: (markers ?? []).map((marker) => ({
      type: "Feature",
      geometry: { type: "Point", coordinates: [marker.lon, marker.lat] },
      properties: { id: marker.id, name: marker.label },
    })),
  };
}

/** The areas' outlines as lines, so `bounds` covers them too. */
function outlines(areas: FeatureCollection<Polygon, PointProperties> | undefined): LineCollection {
  return {
    type: "FeatureCollection",
    features: (areas?.features ?? []).map((feature) => ({
      type: "Feature",
      geometry: { type: "LineString", coordinates: feature.geometry.coordinates[0] ?? [] },
      properties: feature.properties,
    })),
  };
}

export function MapView({
  points,
  lines,
  areas,
  corridors,
  markers,
  selectedId,
  label,
  height = 420,
  onSelect,
  onMapClick,
  onMoveEnd,
  focus,
  fit = "always",
}: MapViewProps) {
  const { t } = useTranslation();
  const container = useRef<HTMLDivElement>(null);
  const [map, setMap] = useState<MapLibreMap | null>(null);
  const [failed, setFailed] = useState(false);
  const fitted = useRef(false);
  const callbacks = useRef({ onSelect, onMapClick, onMoveEnd });
  callbacks.current = { onSelect, onMapClick, onMoveEnd };

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
        if (callbacks.current.onMapClick) return;
        const feature = event.features?.[0];
        if (!feature || feature.geometry.type !== "Point") return;
        const properties = feature.properties as PointProperties;
        const [lon, lat] = feature.geometry.coordinates;
        new maplibregl.Popup({ closeButton: true }).setLngLat([lon, lat]).setText(properties.name).addTo(created);
        callbacks.current.onSelect?.(properties);
      });
      created.on("click", "lines", (event) => {
        if (callbacks.current.onMapClick) return;
        const feature = event.features?.[0];
        if (!feature) return;
        const properties = feature.properties as PointProperties;
        new maplibregl.Popup({ closeButton: true }).setLngLat(event.lngLat).setText(properties.name).addTo(created);
        callbacks.current.onSelect?.(properties);
      });
      // A picker's map: every click places (its own vertices are not things to select).
      created.on("click", (event) => callbacks.current.onMapClick?.([event.lngLat.lng, event.lngLat.lat]));
      created.on("moveend", () => {
        const box = created.getBounds();
        callbacks.current.onMoveEnd?.([box.getWest(), box.getSouth(), box.getEast(), box.getNorth()]);
      });
      for (const layer of ["clusters", "points", "lines"]) {
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
    if (map) map.getCanvas().style.cursor = onMapClick ? "crosshair" : "";
  }, [map, onMapClick]);

  useEffect(() => {
    if (!map) return;
    (map.getSource("points") as GeoJSONSource).setData(points ?? EMPTY);
    (map.getSource("lines") as GeoJSONSource).setData(lines ?? EMPTY);
    (map.getSource("areas") as GeoJSONSource).setData(areas ?? EMPTY);
    (map.getSource("corridors") as GeoJSONSource).setData(corridors ?? EMPTY);
    // "once": only what is there when the map opens (a picker must not jump while one draws).
    if (fit === "once" && fitted.current) return;
    fitted.current = true;
    const box = bounds(points ?? EMPTY, lines ?? EMPTY, outlines(areas), corridors ?? EMPTY, markerPoints(markers));
    if (box) map.fitBounds(box, { padding: 40, maxZoom: 16, duration: 0 });
  }, [map, points, lines, areas, corridors, markers, fit]);

  useEffect(() => {
    if (map) showSelected(map, selectedId);
  }, [map, selectedId]);

  useEffect(() => {
    if (map && focus) map.easeTo({ center: focus, zoom: Math.max(map.getZoom(), 14), duration: 0 });
  }, [map, focus]);

  useEffect(() => {
    if (!map || !markers?.length) return;
    // Added last, drawn on top: the first listed (the best ranked) above the others, the selected above all.
    const stacked = [...markers].reverse().sort((a, b) => Number(a.id === selectedId) - Number(b.id === selectedId));
    const added = stacked.map((marker) =>
      new maplibregl.Marker({
        element: markerElement(marker, marker.id === selectedId, () =>
          callbacks.current.onSelect?.({ id: marker.id, name: marker.label }),
        ),
      })
        .setLngLat([marker.lon, marker.lat])
        .addTo(map),
    );
    return () => added.forEach((marker) => marker.remove());
  }, [map, markers, selectedId]);

  return (
    <div style={{ position: "relative", height, border: "1px solid #f0f0f0", borderRadius: 4, overflow: "hidden" }}>
      <div ref={container} style={{ position: "absolute", inset: 0 }} data-testid="map" data-ready={map ? "true" : "false"} />
      {failed ? (
        <div role="status" style={{ position: "absolute", inset: 0, display: "grid", placeItems: "center", padding: 16 }}>
          {t("map.unavailable")}
        </div>
      ) : null}
    </div>
  );
}
