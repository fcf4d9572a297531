import dayjs from "dayjs";
import { describe, expect, it } from "vitest";
import type { AssetRead } from "./api";
import { createBody, formValuesOf, knownFields, parseNumbers, rewriteField, updateBody, type AssetFormValues } from "./assetForm";
import { fieldPathOf } from "../../shared/formProblems";

const TOWER_VALUES: AssetFormValues = {
  kind: "tower",
  name: " 科技园北区铁塔 ",
  external_id: "  ",
  region_code: "440305",
  address: "",
  status: "planned",
  ready_date: dayjs("2027-06-30"),
  visibility: "operators",
  geometryType: "Point",
  geometry: { type: "Point", coordinates: [113.9437, 22.5461] },
  capacity: { total: 6, free: 3, power_kw: null, power_guarantee: true },
  attributes: { height_m: 35, structure_type: "lattice", wind_load_class: "", mounting_heights_m: "30; 33，35", diameter_mm: 9 },
  sharing: { terms: "按年租用", indicative_price_cny: 3600, lead_time_days: null },
};

describe("the asset form's bodies", () => {
  it("become a create body: blanks dropped, numbers parsed, only the kind's attributes", () => {
    expect(createBody(TOWER_VALUES)).toEqual({
      kind: "tower",
      name: " 科技园北区铁塔 ",
      description: "",
      geometry: { type: "Point", coordinates: [113.9437, 22.5461] },
      region_code: "440305",
      address: null,
      status: "planned",
      ready_date: "2027-06-30",
      external_id: null,
      capacity: { total: 6, free: 3, power_kw: null, power_guarantee: true },
      attributes: { kind: "tower", height_m: 35, structure_type: "lattice", mounting_heights_m: [30, 33, 35] },
      sharing: { terms: "按年租用", indicative_price_cny: 3600, lead_time_days: null },
      visibility: "operators",
    });
  });

  it("become an update body with the version read and without the kind", () => {
    const body = updateBody(TOWER_VALUES, 4);
    expect(body.version).toBe(4);
    expect(body).not.toHaveProperty("kind");
    expect(body.attributes).toEqual({ height_m: 35, structure_type: "lattice", mounting_heights_m: [30, 33, 35] });
  });

  it("come back from a stored asset for editing", () => {
    const asset = {
      ...createBody(TOWER_VALUES),
      id: "a1",
      owner_organisation_id: "o1",
      location_precision: "exact",
      capacity: { unit: "mounting_positions", total: 6, free: 3, power_kw: null, power_guarantee: true },
      attributes: { height_m: 35, structure_type: "lattice", mounting_heights_m: [30, 33, 35] },
      version: 2,
      created_at: "2026-11-25T00:00:00Z",
      updated_at: "2026-11-25T00:00:00Z",
    } as unknown as AssetRead;
    const values = formValuesOf(asset);
    expect(values.attributes.mounting_heights_m).toBe("30; 33; 35");
    expect(values.geometryType).toBe("Point");
    expect(values.ready_date?.format("YYYY-MM-DD")).toBe("2027-06-30");
  });

  it("parse lists of numbers or say they are not numbers", () => {
    expect(parseNumbers("30;33, 35")).toEqual([30, 33, 35]);
    expect(parseNumbers("30; high")).toBeNull();
  });
});

describe("field errors from the API", () => {
  it("land on the kind's attribute even when Pydantic names the union member", () => {
    const known = knownFields("tower");
    const error = { field: rewriteField("body.attributes.tower.height_m"), message: "must be > 0" };
    expect(fieldPathOf(error, known)).toEqual(["attributes", "height_m"]);
  });

  it("land on the closest field for nested positions, and on the kind for its unit", () => {
    const known = knownFields("duct");
    expect(fieldPathOf({ field: rewriteField("geometry.coordinates.3.0"), message: "x" }, known)).toEqual(["geometry"]);
    expect(fieldPathOf({ field: rewriteField("capacity.free"), message: "x" }, known)).toEqual(["capacity", "free"]);
    expect(fieldPathOf({ field: rewriteField("capacity.unit"), message: "x" }, known)).toEqual(["kind"]);
    expect(fieldPathOf({ field: "If-Match", message: "x" }, known)).toBeUndefined();
  });
});
