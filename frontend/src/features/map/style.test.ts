import { describe, expect, it } from "vitest";
import { regionPoints } from "../dashboard/DashboardPage";
import { baseStyle, bounds, collection, pointFeature } from "./style";

describe("base style", () => {
  it("is a plain background when no tile server is configured", () => {
    const style = baseStyle({});
    expect(style.sources).toEqual({});
    expect(style.layers.map((layer) => layer.type)).toEqual(["background"]);
  });

  it("adds a raster layer for a configured tile URL", () => {
    const style = baseStyle({ url: "https://tiles.example.org/{z}/{x}/{y}.png", attribution: "© example" });
    expect(style.sources.basemap).toMatchObject({
      type: "raster",
      tiles: ["https://tiles.example.org/{z}/{x}/{y}.png"],
      attribution: "© example",
    });
    expect(style.layers.map((layer) => layer.id)).toEqual(["background", "basemap"]);
  });
});

describe("bounds", () => {
  it("covers points and lines", () => {
    const points = collection([pointFeature("a", "A", 114.0, 22.5), pointFeature("b", "B", 114.3, 22.7)]);
    const lines = collection([
      {
        type: "Feature" as const,
        geometry: { type: "LineString" as const, coordinates: [[113.9, 22.6], [114.1, 22.8]] },
        properties: { id: "l", name: "L" },
      },
    ]);
    expect(bounds(points, lines)).toEqual([
      [113.9, 22.5],
      [114.3, 22.8],
    ]);
  });

  it("is null for nothing", () => {
    expect(bounds(collection([]))).toBeNull();
  });
});

describe("regionPoints", () => {
  it("maps regions with a centroid and skips those without", () => {
    const base = { short_name: "", pinyin: "", level: "county", parent_code: "440300" };
    const points = regionPoints([
      { ...base, code: "440304", name: "福田区", lon: 114.05, lat: 22.52 },
      { ...base, code: "440399", name: "无坐标", lon: null, lat: null },
    ]);
    expect(points.features).toHaveLength(1);
    expect(points.features[0]).toMatchObject({
      geometry: { type: "Point", coordinates: [114.05, 22.52] },
      properties: { id: "440304", name: "福田区" },
    });
  });
});
