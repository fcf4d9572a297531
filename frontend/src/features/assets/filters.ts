// The asset search's filters, kept in the address bar so a search can be shared as a link.
import { pathsApiV1SearchAssetsGetParametersQuerySortValues } from "../../api/schema";
import { dateParam, oneOf, picked, regionParam, words, type UrlFilterCodec } from "../../shared/useUrlFilters";
import type { AssetKind, AssetStatus } from "./kinds";
import { isAssetKind, isAssetStatus } from "./kinds";

/** The search's sort orders, as the API names them. */
export const SORT_ORDERS = pathsApiV1SearchAssetsGetParametersQuerySortValues;
export type SortOrder = (typeof SORT_ORDERS)[number];
export const PAGE_SIZES = [20, 50, 100, 200] as const;

export interface AssetFilters {
  q: string;
  kind: AssetKind[];
  status: AssetStatus[];
  industry: string[];
  region?: string;
  owner?: string;
  minFree?: number;
  powerGuarantee?: boolean;
  readyBy?: string;
  /** minLon,minLat,maxLon,maxLat */
  bbox?: string;
  /** lon,lat — with radiusM, or for the distance sort */
  near?: string;
  radiusM?: number;
  sort: SortOrder;
  page: number;
  pageSize: number;
}

export const NO_FILTERS: AssetFilters = { q: "", kind: [], status: [], industry: [], sort: "relevance", page: 1, pageSize: 50 };

function positiveInt(text: string | null): number | undefined {
  if (text === null || !/^\d+$/.test(text)) return undefined;
  return Number(text);
}

const BBOX = /^-?\d+(\.\d+)?(,-?\d+(\.\d+)?){3}$/;
const NEAR = /^-?\d+(\.\d+)?,-?\d+(\.\d+)?$/;

/** Reads filters from a query string; anything malformed is ignored rather than sent on. */
export function parseFilters(params: URLSearchParams): AssetFilters {
  const sort = params.get("sort");
  const pageSize = positiveInt(params.get("page_size"));
  const guarantee = params.get("power_guarantee");
  const bbox = params.get("bbox");
  const near = params.get("near");
  return {
    q: params.get("q")?.slice(0, 200) ?? "",
    kind: params.getAll("kind").filter(isAssetKind),
    status: params.getAll("status").filter(isAssetStatus),
    industry: params.getAll("industry").filter((value) => /^[a-z_]+$/.test(value)),
    region: regionParam(params.get("region")),
    owner: params.get("owner") ?? undefined,
    minFree: positiveInt(params.get("min_free")),
    powerGuarantee: guarantee === "true" ? true : undefined,
    readyBy: dateParam(params.get("ready_by")),
    bbox: bbox && BBOX.test(bbox) ? bbox : undefined,
    near: near && NEAR.test(near) ? near : undefined,
    radiusM: positiveInt(params.get("radius_m")),
    sort: sort !== null && oneOf(SORT_ORDERS)(sort) ? sort : "relevance",
    page: Math.min(500, Math.max(1, positiveInt(params.get("page")) ?? 1)),
    pageSize: PAGE_SIZES.includes(pageSize as (typeof PAGE_SIZES)[number]) ? (pageSize as number) : NO_FILTERS.pageSize,
  };
}

/** Writes filters to a query string, leaving out defaults so links stay short. */
export function filtersToParams(filters: AssetFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.q.trim()) params.set("q", filters.q.trim());
  filters.kind.forEach((value) => params.append("kind", value));
  filters.status.forEach((value) => params.append("status", value));
  filters.industry.forEach((value) => params.append("industry", value));
  if (filters.region) params.set("region", filters.region);
  if (filters.owner) params.set("owner", filters.owner);
  if (filters.minFree !== undefined) params.set("min_free", String(filters.minFree));
  if (filters.powerGuarantee) params.set("power_guarantee", "true");
  if (filters.readyBy) params.set("ready_by", filters.readyBy);
  if (filters.bbox) params.set("bbox", filters.bbox);
  if (filters.near) params.set("near", filters.near);
  if (filters.radiusM !== undefined) params.set("radius_m", String(filters.radiusM));
  if (filters.sort !== "relevance") params.set("sort", filters.sort);
  if (filters.page !== 1) params.set("page", String(filters.page));
  if (filters.pageSize !== NO_FILTERS.pageSize) params.set("page_size", String(filters.pageSize));
  return params;
}

/** The search API's query for these filters. */
export function searchQuery(filters: AssetFilters) {
  return {
    q: words(filters.q),
    kind: picked(filters.kind),
    status: picked(filters.status),
    industry: picked(filters.industry),
    region: filters.region,
    owner: filters.owner,
    min_free: filters.minFree,
    power_guarantee: filters.powerGuarantee,
    ready_by: filters.readyBy,
    bbox: filters.bbox,
    near: filters.near,
    radius_m: filters.near ? filters.radiusM : undefined,
    sort: filters.sort === "distance" && !filters.near ? ("relevance" as const) : filters.sort,
    page: filters.page,
    page_size: filters.pageSize,
  };
}

/**
 * The export link for these filters. The export takes kind, status, region, owner and free
 * capacity (not words, industry or map area): `partial` says that some filters are left out.
 */
export function exportHref(filters: AssetFilters, format: "csv" | "geojson"): { href: string; partial: boolean } {
  const params = new URLSearchParams({ format });
  filters.kind.forEach((value) => params.append("kind", value));
  filters.status.forEach((value) => params.append("status", value));
  if (filters.region) params.set("region", filters.region);
  if (filters.owner) params.set("owner", filters.owner);
  if (filters.minFree !== undefined) params.set("min_free", String(filters.minFree));
  const partial =
    !!filters.q.trim() ||
    filters.industry.length > 0 ||
    !!filters.bbox ||
    !!filters.near ||
    !!filters.readyBy ||
    !!filters.powerGuarantee;
  return { href: `/api/v1/assets/export?${params.toString()}`, partial };
}

export const assetFilterCodec: UrlFilterCodec<AssetFilters> = { parse: parseFilters, toParams: filtersToParams };
