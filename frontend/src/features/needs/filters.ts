// The needs list's filters, kept in the address bar (shareable), and the export links.
import type { Schemas } from "../../api/client";
import { assetKindValues, industryValues, needModeValues, needPurposeValues, needStatusValues } from "../../api/schema";
import { dateParam, oneOf, picked, positiveParam, regionParam, toSearchParams, words, type UrlFilterCodec } from "../../shared/useUrlFilters";

export type NeedStatus = Schemas["NeedStatus"];
export type NeedPurpose = Schemas["NeedPurpose"];
export type NeedMode = Schemas["NeedMode"];
export type WantedKind = Schemas["AssetKind"];
export type Industry = Schemas["Industry"];

/** The states a regulator may see: every one but an operator's draft. */
export const REVIEWABLE_STATUSES: readonly NeedStatus[] = needStatusValues.filter((status) => status !== "draft");

export interface NeedFilters {
  q: string;
  region?: string;
  industry: Industry[];
  kind: WantedKind[];
  purpose: NeedPurpose[];
  mode: NeedMode[];
  /** Empty means the API's default: published. */
  status: NeedStatus[];
  organisationId?: string;
  publishedSince?: string;
  publishedUntil?: string;
  page: number;
  pageSize: number;
}

export const NO_NEED_FILTERS: NeedFilters = {
  q: "",
  industry: [],
  kind: [],
  purpose: [],
  mode: [],
  status: [],
  page: 1,
  pageSize: 50,
};

export function parseNeedFilters(params: URLSearchParams): NeedFilters {
  return {
    q: params.get("q")?.slice(0, 100) ?? "",
    region: regionParam(params.get("region")),
    industry: params.getAll("industry").filter(oneOf(industryValues)),
    kind: params.getAll("kind").filter(oneOf(assetKindValues)),
    purpose: params.getAll("purpose").filter(oneOf(needPurposeValues)),
    mode: params.getAll("mode").filter(oneOf(needModeValues)),
    status: params.getAll("status").filter(oneOf(needStatusValues)),
    organisationId: params.get("organisation_id") ?? undefined,
    publishedSince: dateParam(params.get("published_since")),
    publishedUntil: dateParam(params.get("published_until")),
    page: positiveParam(params.get("page"), 1),
    pageSize: Math.min(500, positiveParam(params.get("page_size"), NO_NEED_FILTERS.pageSize)),
  };
}

/** The filters as the API's query (also the address bar's, which uses the same names). */
export function needQuery(filters: NeedFilters) {
  return {
    q: words(filters.q),
    region: filters.region,
    industry: picked(filters.industry),
    kind: picked(filters.kind),
    purpose: picked(filters.purpose),
    mode: picked(filters.mode),
    status: picked(filters.status),
    organisation_id: filters.organisationId,
    published_since: filters.publishedSince,
    published_until: filters.publishedUntil,
  };
}

export function needFiltersToParams(filters: NeedFilters): URLSearchParams {
  return toSearchParams({
    ...needQuery(filters),
    page: filters.page !== 1 ? filters.page : undefined,
    page_size: filters.pageSize !== NO_NEED_FILTERS.pageSize ? filters.pageSize : undefined,
  });
}

/** The export link (CSV or Excel) for exactly the filtered list. */
export function needExportHref(filters: NeedFilters, format: "csv" | "xlsx"): string {
  const params = toSearchParams(needQuery(filters)).toString();
  return `/api/v1/needs/export.${format}${params ? `?${params}` : ""}`;
}

export const needFilterCodec: UrlFilterCodec<NeedFilters> = { parse: parseNeedFilters, toParams: needFiltersToParams };
