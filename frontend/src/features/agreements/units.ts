// Capacity units in words: `mounting_positions` → 个挂载位 / mounting positions.
import type { TFunction } from "i18next";

export const CAPACITY_UNITS = ["mounting_positions", "sub_ducts", "fibre_cores", "rack_positions", "slots"] as const;
type CapacityUnit = (typeof CAPACITY_UNITS)[number];

function isCapacityUnit(unit: string): unit is CapacityUnit {
  return (CAPACITY_UNITS as readonly string[]).includes(unit);
}

export function unitName(t: TFunction, unit: string): string {
  return isCapacityUnit(unit) ? t(`agreements.capacityUnits.${unit}`) : unit;
}

export function unitsText(t: TFunction, count: number, unit: string): string {
  return t("agreements.unitsCount", { count, unit: unitName(t, unit) });
}
