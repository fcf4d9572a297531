// Each score factor of a match, explained in the reader's language from the match's own data.
import dayjs from "dayjs";
import type { TFunction } from "i18next";
import { isCapacityUnit } from "../assets/kinds";
import { formatDistance } from "../assets/labels";
import type { Match, NeedRead, ScoreFactor } from "./api";

export const DEFAULT_REACH_M = 1000;

export function reachOf(need: Pick<NeedRead, "radius_m" | "corridor_m">): number {
  return need.radius_m || need.corridor_m || DEFAULT_REACH_M;
}

type NeedFacts = Pick<NeedRead, "radius_m" | "corridor_m" | "quantity" | "needed_by" | "wanted_kinds">;

export function explainFactor(t: TFunction, factor: ScoreFactor, match: Match, need: NeedFacts): string {
  const { asset } = match;
  switch (factor.factor) {
    case "distance":
      return t("needs.matches.explain.distance", { distance: formatDistance(match.distance_m), reach: formatDistance(reachOf(need)) });
    case "capacity":
      return t("needs.matches.explain.capacity", {
        free: asset.capacity.free,
        unit: isCapacityUnit(asset.capacity.unit) ? t(`assets.units.${asset.capacity.unit}`) : asset.capacity.unit,
        quantity: need.quantity,
      });
    case "readiness": {
      if (asset.status === "available") return t("needs.matches.explain.availableNow", { neededBy: need.needed_by });
      if (!asset.ready_date) return factor.explanation;
      const late = dayjs(asset.ready_date).diff(dayjs(need.needed_by), "day");
      return late > 0
        ? t("needs.matches.explain.late", { ready: asset.ready_date, late, neededBy: need.needed_by })
        : t("needs.matches.explain.readyInTime", { ready: asset.ready_date, neededBy: need.needed_by });
    }
    case "kind":
      return factor.score >= 1
        ? t("needs.matches.explain.kindWanted", { kind: t(`assets.kinds.${asset.kind}`) })
        : t("needs.matches.explain.kindOther", { kind: t(`assets.kinds.${asset.kind}`) });
    case "text":
      return factor.explanation.includes("unavailable")
        ? t("needs.matches.explain.textUnavailable")
        : t("needs.matches.explain.text");
  }
}

/** A score in [0, 1] as a whole percentage. */
export function percent(score: number): number {
  return Math.round(score * 100);
}
