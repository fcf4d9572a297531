import { describe, expect, it } from "vitest";
import { changedFields, shortValue } from "./history";

describe("an asset event's changes", () => {
  it("lists the fields that differ, the kind's attributes one by one", () => {
    const before = { name: "A", capacity_free: 3, attributes: { height_m: 30, structure_type: "lattice" }, geometry: { type: "Point" } };
    const after = { name: "A", capacity_free: 2, attributes: { height_m: 35, structure_type: "lattice" }, geometry: { type: "Point" } };
    expect(changedFields(before, after)).toEqual([
      { field: "capacity_free", before: 3, after: 2 },
      { field: "attributes.height_m", before: 30, after: 35 },
    ]);
  });

  it("treats a missing snapshot as empty", () => {
    expect(changedFields(null, { status: "retired" })).toEqual([{ field: "status", before: undefined, after: "retired" }]);
  });

  it("shows values briefly", () => {
    expect(shortValue(null)).toBe("—");
    expect(shortValue(12)).toBe("12");
  });
});
