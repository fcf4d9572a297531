// What the asset registry knows per kind: geometry, capacity unit, and the attribute fields.
import type { Schemas } from "../../api/client";
import {
  assetKindValues,
  assetStatusValues,
  cableAttributesFibre_typeValues,
  ductAttributesMaterialValues,
  machineRoomAttributesCoolingValues,
  poleAttributesStructure_typeValues,
  reservedSpaceAttributesHost_structureValues,
  towerAttributesStructure_typeValues,
} from "../../api/schema";

export type AssetKind = Schemas["AssetKind"];
export type AssetStatus = Schemas["AssetStatus"];
export type Visibility = Schemas["Visibility"];

export type GeometryType = "Point" | "LineString";

/** Mirrors GEOMETRY_TYPES in backend/infrashare/assets/schemas.py. */
export const GEOMETRY_TYPES: Record<AssetKind, readonly GeometryType[]> = {
  tower: ["Point"],
  pole: ["Point"],
  machine_room: ["Point"],
  duct: ["LineString"],
  cable: ["LineString"],
  reserved_space: ["Point", "LineString"],
};

export type CapacityUnit = "mounting_positions" | "sub_ducts" | "fibre_cores" | "rack_positions" | "slots";

/** Mirrors CAPACITY_UNITS in backend/infrashare/assets/schemas.py. */
export const CAPACITY_UNITS: Record<AssetKind, CapacityUnit> = {
  tower: "mounting_positions",
  pole: "mounting_positions",
  duct: "sub_ducts",
  cable: "fibre_cores",
  machine_room: "rack_positions",
  reserved_space: "slots",
};

export function isCapacityUnit(value: string): value is CapacityUnit {
  return Object.values(CAPACITY_UNITS).includes(value as CapacityUnit);
}

export type AttributeName =
  | "height_m"
  | "structure_type"
  | "wind_load_class"
  | "mounting_heights_m"
  | "diameter_mm"
  | "material"
  | "bores"
  | "fibre_type"
  | "length_km"
  | "laying"
  | "floor_area_m2"
  | "cooling"
  | "access_hours"
  | "host_structure"
  | "host_name"
  | "section";

/** How a form shows an attribute: a number (with range), a choice, free text, or a list of numbers. */
export type AttributeField =
  | { name: AttributeName; type: "number"; required?: boolean; min?: number; max: number; integer?: boolean }
  | { name: AttributeName; type: "choice"; required?: boolean; options: readonly string[] }
  | { name: AttributeName; type: "text"; required?: boolean; max: number }
  | { name: AttributeName; type: "numbers"; max: number };

/** Mirrors the *Attributes models in backend/infrashare/assets/schemas.py. */
export const ATTRIBUTE_FIELDS: Record<AssetKind, readonly AttributeField[]> = {
  tower: [
    { name: "height_m", type: "number", required: true, max: 400 },
    { name: "structure_type", type: "choice", required: true, options: towerAttributesStructure_typeValues },
    { name: "wind_load_class", type: "text", max: 100 },
    { name: "mounting_heights_m", type: "numbers", max: 400 },
  ],
  pole: [
    { name: "height_m", type: "number", required: true, max: 60 },
    { name: "structure_type", type: "choice", required: true, options: poleAttributesStructure_typeValues },
    { name: "wind_load_class", type: "text", max: 100 },
    { name: "mounting_heights_m", type: "numbers", max: 60 },
  ],
  duct: [
    { name: "diameter_mm", type: "number", required: true, max: 2000, integer: true },
    { name: "material", type: "choice", required: true, options: ductAttributesMaterialValues },
    { name: "bores", type: "number", min: 1, max: 100, integer: true },
  ],
  cable: [
    {
      name: "fibre_type",
      type: "choice",
      required: true,
      options: cableAttributesFibre_typeValues,
    },
    { name: "length_km", type: "number", required: true, max: 5000 },
    { name: "laying", type: "choice", options: ["duct", "aerial", "direct_buried", "tunnel"] },
  ],
  machine_room: [
    { name: "floor_area_m2", type: "number", required: true, max: 100_000 },
    { name: "cooling", type: "choice", required: true, options: machineRoomAttributesCoolingValues },
    { name: "access_hours", type: "text", max: 100 },
  ],
  reserved_space: [
    { name: "host_structure", type: "choice", required: true, options: reservedSpaceAttributesHost_structureValues },
    { name: "host_name", type: "text", required: true, max: 200 },
    { name: "section", type: "text", max: 100 },
  ],
};

export function isAssetKind(value: string): value is AssetKind {
  return (assetKindValues as readonly string[]).includes(value);
}

export function isAssetStatus(value: string): value is AssetStatus {
  return (assetStatusValues as readonly string[]).includes(value);
}

export function statusTone(status: AssetStatus): "good" | "neutral" | "bad" {
  if (status === "available") return "good";
  if (status === "retired") return "bad";
  return "neutral";
}
