// Words for asset values, in the reader's language.
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { useOrganisations } from "../accounts/api";
import { StatusTag } from "../../shared/StatusTag";
import type { AssetRead } from "./api";
import { isCapacityUnit, statusTone, type AssetStatus, type AttributeName } from "./kinds";

export function AssetStatusTag({ status }: { status: AssetStatus }) {
  const { t } = useTranslation();
  return <StatusTag tone={statusTone(status)}>{t(`assets.statuses.${status}`)}</StatusTag>;
}

/** "3 / 6 挂载位" — free of total, in the kind's unit. */
export function useCapacityText() {
  const { t } = useTranslation();
  return (capacity: AssetRead["capacity"]) =>
    t("assets.capacityFreeOfTotal", {
      free: capacity.free,
      total: capacity.total,
      unit: isCapacityUnit(capacity.unit) ? t(`assets.units.${capacity.unit}`) : capacity.unit,
    });
}

/** Organisation names by id, from the directory (for owners and actors). */
export function useOrganisationNames(): (id: string | null | undefined) => string {
  const organisations = useOrganisations();
  const names = useMemo(
    () => new Map((organisations.data ?? []).map((organisation) => [organisation.id, organisation.name])),
    [organisations.data],
  );
  return (id) => (id ? (names.get(id) ?? "—") : "—");
}

/** An attribute value as text: choices in words, lists joined, booleans as yes / no. */
export function useAttributeValue() {
  const { t, i18n } = useTranslation();
  return (name: AttributeName | string, value: unknown): string => {
    if (value === null || value === undefined || value === "") return "—";
    if (Array.isArray(value)) return value.join(", ");
    if (typeof value === "boolean") return value ? t("assets.yes") : t("assets.no");
    const key = `assets.options.${name}.${String(value)}`;
    return i18n.exists(key) ? t(key as "assets.yes") : String(value);
  };
}

/** "1.2 km" or "350 m". */
export function formatDistance(metres: number | null | undefined): string {
  if (metres === null || metres === undefined) return "—";
  return metres >= 1000 ? `${(metres / 1000).toFixed(1)} km` : `${Math.round(metres)} m`;
}
