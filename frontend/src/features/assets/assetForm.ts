// Between the asset form's values and the API's bodies.
import dayjs, { type Dayjs } from "dayjs";
import { assetKindValues } from "../../api/schema";
import type { FieldPath } from "../../shared/formProblems";
import type { PickedGeometry } from "./GeometryPicker";
import type { AssetCreate, AssetRead, AssetUpdate } from "./api";
import { ATTRIBUTE_FIELDS, GEOMETRY_TYPES, type AssetKind, type AssetStatus, type Visibility } from "./kinds";

export interface AssetFormValues {
  kind: AssetKind;
  name: string;
  description?: string;
  external_id?: string;
  region_code?: string;
  address?: string;
  status: AssetStatus;
  ready_date?: Dayjs | null;
  visibility: Visibility;
  geometryType: "Point" | "LineString";
  geometry: PickedGeometry | null;
  capacity: { total?: number | null; free?: number | null; power_kw?: number | null; power_guarantee?: boolean };
  /** Attribute values as the form holds them; lists of numbers as text ("30; 33; 35"). */
  attributes: Record<string, unknown>;
  sharing: { terms?: string; indicative_price_cny?: number | null; lead_time_days?: number | null };
}

/** "30; 33,35" → [30, 33, 35]; null when a part is not a number. */
export function parseNumbers(text: string): number[] | null {
  const parts = text
    .split(/[;,，；\s]+/)
    .map((part) => part.trim())
    .filter(Boolean);
  const numbers = parts.map(Number);
  return numbers.every((value) => Number.isFinite(value)) ? numbers : null;
}

function isBlank(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === "string" && value.trim() === "");
}

export function attributesBody(kind: AssetKind, values: Record<string, unknown>): Record<string, unknown> {
  const body: Record<string, unknown> = { kind };
  for (const field of ATTRIBUTE_FIELDS[kind]) {
    const value = values[field.name];
    if (isBlank(value)) continue;
    if (field.type === "numbers") body[field.name] = parseNumbers(String(value)) ?? value;
    else if (field.type === "text") body[field.name] = String(value).trim();
    else body[field.name] = value;
  }
  return body;
}

function blankToNull<T>(value: T | undefined | null | ""): T | null {
  return isBlank(value) ? null : (value as T);
}

export function createBody(values: AssetFormValues): AssetCreate {
  return {
    kind: values.kind,
    name: values.name,
    description: values.description ?? "",
    geometry: values.geometry as AssetCreate["geometry"],
    region_code: values.region_code ?? "",
    address: blankToNull(values.address?.trim()),
    status: values.status,
    ready_date: values.ready_date ? values.ready_date.format("YYYY-MM-DD") : null,
    external_id: blankToNull(values.external_id?.trim()),
    capacity: {
      total: values.capacity.total ?? 0,
      free: values.capacity.free ?? 0,
      power_kw: values.capacity.power_kw ?? null,
      power_guarantee: !!values.capacity.power_guarantee,
    },
    attributes: attributesBody(values.kind, values.attributes) as AssetCreate["attributes"],
    sharing: {
      terms: values.sharing.terms ?? "",
      indicative_price_cny: values.sharing.indicative_price_cny ?? null,
      lead_time_days: values.sharing.lead_time_days ?? null,
    },
    visibility: values.visibility,
  };
}

/** Every editable field, with the version read (the API refuses a stale one with 409). */
export function updateBody(values: AssetFormValues, version: number): AssetUpdate {
  const { kind: _kind, attributes, ...rest } = createBody(values);
  const { kind: _attributeKind, ...attributeFields } = attributes as Record<string, unknown>;
  return { ...rest, attributes: attributeFields, version };
}

export function formValuesOf(asset: AssetRead | undefined, kind: AssetKind = "tower"): AssetFormValues {
  if (!asset) {
    return {
      kind,
      name: "",
      status: "available",
      visibility: "public",
      geometryType: GEOMETRY_TYPES[kind][0],
      geometry: null,
      capacity: { power_guarantee: false },
      attributes: kind === "machine_room" ? { access_hours: "24x7" } : {},
      sharing: { terms: "" },
    };
  }
  const attributes: Record<string, unknown> = { ...asset.attributes };
  for (const field of ATTRIBUTE_FIELDS[asset.kind]) {
    const value = attributes[field.name];
    if (field.type === "numbers" && Array.isArray(value)) attributes[field.name] = value.join("; ");
  }
  const geometry = asset.geometry as unknown as PickedGeometry;
  return {
    kind: asset.kind,
    name: asset.name,
    description: asset.description,
    external_id: asset.external_id ?? undefined,
    region_code: asset.region_code,
    address: asset.address ?? undefined,
    status: asset.status,
    ready_date: asset.ready_date ? dayjs(asset.ready_date) : null,
    visibility: asset.visibility,
    geometryType: geometry.type,
    geometry,
    capacity: { ...asset.capacity },
    attributes,
    sharing: { ...asset.sharing },
  };
}

const TOP_FIELDS = ["kind", "name", "description", "external_id", "region_code", "address", "status", "ready_date", "visibility", "geometry"];

/** Every form field an API error can name. */
export function knownFields(kind: AssetKind): FieldPath[] {
  return [
    ...TOP_FIELDS.map((name) => [name]),
    ...["total", "free", "power_kw", "power_guarantee", "unit"].map((name) => ["capacity", name]),
    ...["terms", "indicative_price_cny", "lead_time_days"].map((name) => ["sharing", name]),
    ...ATTRIBUTE_FIELDS[kind].map((field) => ["attributes", field.name]),
    ["capacity"],
    ["attributes"],
    ["sharing"],
  ];
}

/**
 * Pydantic names a field of a discriminated union with its tag (`attributes.tower.height_m`);
 * the form knows it as `attributes.height_m`. `capacity.unit` is decided by the kind: show it on the kind.
 */
export function rewriteField(field: string): string {
  const parts = field.split(".").filter((part) => part !== "body" && part !== "data");
  const index = parts.indexOf("attributes");
  if (index >= 0 && (assetKindValues as readonly string[]).includes(parts[index + 1] ?? "")) parts.splice(index + 1, 1);
  const joined = parts.join(".");
  return joined === "capacity.unit" || joined === "attributes.kind" ? "kind" : joined;
}
