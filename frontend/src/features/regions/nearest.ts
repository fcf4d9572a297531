// A first guess at a location's region: the division whose seat is nearest (regions carry a point, not a boundary).
import { distanceM, type Position } from "../map/geometry";
import type { Region } from "./api";

export function nearestRegion(position: Position, regions: readonly Region[]): Region | undefined {
  let best: Region | undefined;
  let bestDistance = Infinity;
  for (const region of regions) {
    if (region.lon == null || region.lat == null) continue;
    const distance = distanceM(position, [region.lon, region.lat]);
    if (distance < bestDistance) {
      best = region;
      bestDistance = distance;
    }
  }
  return best;
}
