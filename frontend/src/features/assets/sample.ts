// A stored asset as the API returns it, for tests.

export const OWNER = "00000000-0000-4000-8000-0000000000b1";

export function sampleAsset(overrides: Record<string, unknown> = {}) {
  return {
    id: "00000000-0000-4000-8000-0000000000a1",
    owner_organisation_id: OWNER,
    kind: "tower",
    name: "科技园北区铁塔",
    description: "",
    geometry: { type: "Point", coordinates: [113.9437, 22.5461] },
    location_precision: "exact",
    region_code: "440305",
    address: "科苑北路 3 号",
    status: "available",
    ready_date: null,
    external_id: "SZ-TWR-0001",
    capacity: { unit: "mounting_positions", total: 6, free: 3, power_kw: 15, power_guarantee: false },
    attributes: { height_m: 35, structure_type: "lattice" },
    sharing: { terms: "按年租用", indicative_price_cny: 3600, lead_time_days: 30 },
    visibility: "public",
    version: 1,
    created_at: "2026-11-25T00:00:00Z",
    updated_at: "2026-11-25T00:00:00Z",
    ...overrides,
  };
}
