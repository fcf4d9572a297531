// Pick a point or draw a route on the map, or type the coordinates (keyboard and screen readers).
import { ClearOutlined, UndoOutlined } from "@ant-design/icons";
import { Button, Input, Space, Typography } from "antd";
import type { FeatureCollection, Polygon } from "geojson";
import { useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { AddonNumber } from "../../shared/AddonNumber";
import { isPosition, lengthM, type Position } from "../map/geometry";
import { MapView } from "../map/MapView";
import type { LineCollection, PointCollection, PointProperties } from "../map/style";

export type PickedGeometry = { type: "Point"; coordinates: Position } | { type: "LineString"; coordinates: Position[] };

const round = (value: number) => Math.round(value * 1e6) / 1e6;

/** "lon lat, lon lat, …" → positions; null when any pair is not two numbers in range. */
export function parseRoute(text: string): Position[] | null {
  const pairs = text
    .split(/[,;\n]/)
    .map((pair) => pair.trim())
    .filter(Boolean);
  const positions: Position[] = [];
  for (const pair of pairs) {
    const parts = pair.split(/\s+/).map(Number);
    if (parts.length !== 2 || !isPosition(parts)) return null;
    const [lon, lat] = parts;
    if (lon < -180 || lon > 180 || lat < -90 || lat > 90) return null;
    positions.push([lon, lat]);
  }
  return positions;
}

export function routeText(coordinates: readonly Position[]): string {
  return coordinates.map(([lon, lat]) => `${lon} ${lat}`).join(", ");
}

function features(value: PickedGeometry | undefined | null): { points: PointCollection; lines: LineCollection } {
  const points: PointCollection = { type: "FeatureCollection", features: [] };
  const lines: LineCollection = { type: "FeatureCollection", features: [] };
  if (!value) return { points, lines };
  const vertices = value.type === "Point" ? [value.coordinates] : value.coordinates;
  vertices.forEach((coordinates, index) =>
    points.features.push({
      type: "Feature",
      geometry: { type: "Point", coordinates },
      properties: { id: `vertex-${index}`, name: `${index + 1}` },
    }),
  );
  if (value.type === "LineString" && value.coordinates.length >= 2) {
    lines.features.push({
      type: "Feature",
      geometry: { type: "LineString", coordinates: value.coordinates },
      properties: { id: "route", name: "route" },
    });
  }
  return { points, lines };
}

export interface GeometryPickerProps {
  /** The form field's value: a GeoJSON Point or LineString. */
  value?: PickedGeometry | null;
  onChange?: (value: PickedGeometry | null) => void;
  mode: "Point" | "LineString";
  /** Shown under the geometry: a need's search circle or corridor. */
  areas?: FeatureCollection<Polygon, PointProperties>;
  corridors?: LineCollection;
  id?: string;
  height?: number;
}

/** An Ant Design form control: click the map to place the point, or to add the route's next vertex. */
export function GeometryPicker({ value, onChange, mode, areas, corridors, id, height = 360 }: GeometryPickerProps) {
  const { t } = useTranslation();
  const { points, lines } = useMemo(() => features(value), [value]);
  const route = value?.type === "LineString" ? value.coordinates : [];
  const [text, setText] = useState(routeText(route));
  const [textError, setTextError] = useState(false);

  useEffect(() => {
    if (mode === "LineString") setText(routeText(value?.type === "LineString" ? value.coordinates : []));
  }, [mode, value]);

  const place = ([lon, lat]: Position) => {
    const position: Position = [round(lon), round(lat)];
    if (mode === "Point") onChange?.({ type: "Point", coordinates: position });
    else onChange?.({ type: "LineString", coordinates: [...route, position] });
  };

  // Typed coordinates: a point once both are there (nothing is made up for the other one).
  const point = value?.type === "Point" ? value.coordinates : undefined;
  const [draft, setDraft] = useState<[number | null, number | null]>(point ?? [null, null]);
  const [focus, setFocus] = useState<Position | null>(null);
  useEffect(() => {
    if (point) setDraft(point);
  }, [point]);
  const setCoordinate = (index: 0 | 1, number: number | null) => {
    const next: [number | null, number | null] = [...draft];
    next[index] = number;
    setDraft(next);
    const [lon, lat] = next;
    if (lon === null || lat === null) return;
    onChange?.({ type: "Point", coordinates: [lon, lat] });
    setFocus([lon, lat]);
  };

  return (
    <div id={id} data-testid="geometry-picker">
      <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
        {mode === "Point" ? t("assets.picker.pickPointHint") : t("assets.picker.drawRouteHint")}
      </Typography.Paragraph>
      <MapView
        points={points}
        lines={lines}
        areas={areas}
        corridors={corridors}
        label={mode === "Point" ? t("assets.picker.pickPoint") : t("assets.picker.drawRoute")}
        height={height}
        onMapClick={place}
        focus={focus}
        fit="once"
      />
      {mode === "Point" ? (
        <Space wrap style={{ marginTop: 8 }}>
          <AddonNumber
            aria-label={t("assets.picker.lon")}
            before={t("assets.picker.lon")}
            min={-180}
            max={180}
            step={0.0001}
            precision={6}
            value={draft[0]}
            onChange={(number) => setCoordinate(0, number)}
            style={{ width: 210 }}
          />
          <AddonNumber
            aria-label={t("assets.picker.lat")}
            before={t("assets.picker.lat")}
            min={-90}
            max={90}
            step={0.0001}
            precision={6}
            value={draft[1]}
            onChange={(number) => setCoordinate(1, number)}
            style={{ width: 210 }}
          />
        </Space>
      ) : (
        <div style={{ marginTop: 8 }}>
          <Space wrap style={{ marginBottom: 8 }}>
            <Button
              icon={<UndoOutlined />}
              disabled={route.length === 0}
              onClick={() =>
                onChange?.(route.length > 1 ? { type: "LineString", coordinates: route.slice(0, -1) } : null)
              }
            >
              {t("assets.picker.undoVertex")}
            </Button>
            <Button icon={<ClearOutlined />} disabled={route.length === 0} onClick={() => onChange?.(null)}>
              {t("assets.picker.clearRoute")}
            </Button>
            <Typography.Text type="secondary">
              {t("assets.picker.routeSummary", { count: route.length, km: (lengthM(route) / 1000).toFixed(2) })}
            </Typography.Text>
          </Space>
          <Input.TextArea
            aria-label={t("assets.picker.routeText")}
            placeholder={t("assets.picker.routeTextPlaceholder")}
            autoSize={{ minRows: 2, maxRows: 5 }}
            value={text}
            status={textError ? "error" : undefined}
            onChange={(event) => setText(event.target.value)}
            onBlur={() => {
              const parsed = parseRoute(text);
              setTextError(parsed === null);
              if (parsed === null) return;
              onChange?.(parsed.length ? { type: "LineString", coordinates: parsed } : null);
              if (parsed.length) setFocus(parsed[0]);
            }}
          />
          {textError ? <Typography.Text type="danger">{t("assets.picker.routeTextInvalid")}</Typography.Text> : null}
        </div>
      )}
    </div>
  );
}
