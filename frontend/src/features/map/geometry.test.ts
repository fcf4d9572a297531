import { describe, expect, it } from "vitest";
import { anchorOf, centreText, circlePolygon, corridorFeature, distanceM, lengthM, toCollections } from "./geometry";

describe("geodesy for the map", () => {
  it("measures distances on the sphere", () => {
    expect(distanceM([114, 22.5], [114, 22.5])).toBe(0);
    // One hundredth of a degree of latitude is about 1.11 km.
    expect(distanceM([114, 22.5], [114, 22.51])).toBeCloseTo(1112, -1);
    expect(lengthM([[114, 22.5], [114, 22.51], [114, 22.52]])).toBeCloseTo(2224, -1);
  });

  it("draws a closed circle whose corners are at the radius", () => {
    const circle = circlePolygon("need", [113.9437, 22.5461], 500, 32);
    const ring = circle.geometry.coordinates[0];
    expect(ring).toHaveLength(33);
    expect(ring[0]).toEqual(ring[32]);
    for (const corner of ring) expect(distanceM([113.9437, 22.5461], corner as [number, number])).toBeCloseTo(500, 0);
  });

  it("gives a corridor its width in pixels at zoom 0 (doubling per zoom level)", () => {
    const corridor = corridorFeature("c", [[114, 0], [114.1, 0]], 100);
    // At the equator a pixel at zoom 0 of a 512-pixel world is 78 271.5 m: 200 m is 0.00256 px.
    expect(corridor.properties.w0).toBeCloseTo(200 / 78271.517, 8);
  });

  it("anchors a marker on a point, or the middle vertex of a route", () => {
    expect(anchorOf({ type: "Point", coordinates: [114, 22.5] })).toEqual([114, 22.5]);
    expect(anchorOf({ type: "LineString", coordinates: [[1, 1], [2, 2], [3, 3]] })).toEqual([2, 2]);
    expect(anchorOf({ type: "Polygon", coordinates: [] })).toBeNull();
  });

  it("splits geometries into points and lines, dropping broken ones", () => {
    const { points, lines } = toCollections([
      { geometry: { type: "Point", coordinates: [114, 22.5] }, properties: { id: "p", name: "P" } },
      { geometry: { type: "LineString", coordinates: [[114, 22.5], [114.1, 22.6]] }, properties: { id: "l", name: "L" } },
      { geometry: { type: "LineString", coordinates: [[114, 22.5]] }, properties: { id: "x", name: "X" } },
      { geometry: { type: "Point", coordinates: ["a", "b"] }, properties: { id: "y", name: "Y" } },
    ]);
    expect(points.features.map((feature) => feature.properties.id)).toEqual(["p"]);
    expect(lines.features.map((feature) => feature.properties.id)).toEqual(["l"]);
  });

  it("writes a box's centre as a search point", () => {
    expect(centreText([113.9, 22.5, 114.1, 22.7])).toBe("114.00000,22.60000");
  });
});
