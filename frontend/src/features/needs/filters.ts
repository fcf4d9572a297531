// The needs list's filters, kept in the address bar (shareable), and the export links.
import type { Schemas } from "../../api/client";

export type NeedStatus = Schemas["NeedStatus"];
export type NeedPurpose = Schemas["NeedPurpose"];
export type NeedMode = Schemas["NeedMode"];
export type WantedKind = Schemas["AssetKind"];
export type Industry = Schemas["Industry"];

export const NEED_STATUSES: readonly NeedStatus[] = [
  "draft",
  "submitted",
  "returned",
  "published",
  "matched",
  "fulfilled",
  "withdrawn",
  "expired",
];
export const NEED_PURPOSES: readonly NeedPurpose[] = [
  "macro_site",
  "small_cell",
  "fibre_route",
  "edge_computing_room",
  "power_supply",
  "other",
];
export const NEED_MODES: readonly NeedMode[] = ["share", "co_build"];
export const WANTED_KINDS: readonly WantedKind[] = ["tower", "pole", "duct", "cable", "machine_room", "reserved_space"];
const INDUSTRIES: readonly Industry[] = [
  "telecom",
  "power",
  "rail_metro",
  "highway",
  "water",
  "gas",
  "heating",
  "drainage",
  "public_security",
  "broadcasting",
  "other",
];

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

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const REGION = /^\d{6}(\d{3})?$/;

function oneOf<T extends string>(allowed: readonly T[]) {
  return (value: string): value is T => (allowed as readonly string[]).includes(value);
}

function date(value: string | null): string | undefined {
  return value && DATE.test(value) ? value : undefined;
}

function positive(value: string | null, fallback: number): number {
  return value && /^\d+$/.test(value) && Number(value) > 0 ? Number(value) : fallback;
}

export function parseNeedFilters(params: URLSearchParams): NeedFilters {
  const region = params.get("region");
  return {
    q: params.get("q")?.slice(0, 100) ?? "",
    region: region && REGION.test(region) ? region : undefined,
    industry: params.getAll("industry").filter(oneOf(INDUSTRIES)),
    kind: params.getAll("kind").filter(oneOf(WANTED_KINDS)),
    purpose: params.getAll("purpose").filter(oneOf(NEED_PURPOSES)),
    mode: params.getAll("mode").filter(oneOf(NEED_MODES)),
    status: params.getAll("status").filter(oneOf(NEED_STATUSES)),
    organisationId: params.get("organisation_id") ?? undefined,
    publishedSince: date(params.get("published_since")),
    publishedUntil: date(params.get("published_until")),
    page: positive(params.get("page"), 1),
    pageSize: Math.min(500, positive(params.get("page_size"), NO_NEED_FILTERS.pageSize)),
  };
}

/** The filters as the API's query (also the address bar's, which uses the same names). */
export function needQuery(filters: NeedFilters) {
  return {
    q: filters.q.trim() || undefined,
    region: filters.region,
    industry: filters.industry.length ? filters.industry : undefined,
    kind: filters.kind.length ? filters.kind : undefined,
    purpose: filters.purpose.length ? filters.purpose : undefined,
    mode: filters.mode.length ? filters.mode : undefined,
    status: filters.status.length ? filters.status : undefined,
    organisation_id: filters.organisationId,
    published_since: filters.publishedSince,
    published_until: filters.publishedUntil,
  };
}

function toParams(query: Record<string, string | string[] | number | undefined>): URLSearchParams {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) params.append(name, String(item));
  }
  return params;
}

export function needFiltersToParams(filters: NeedFilters): URLSearchParams {
  return toParams({
    ...needQuery(filters),
    page: filters.page !== 1 ? filters.page : undefined,
    page_size: filters.pageSize !== NO_NEED_FILTERS.pageSize ? filters.pageSize : undefined,
  });
}

/** The export link (CSV or Excel) for exactly the filtered list. */
export function needExportHref(filters: NeedFilters, format: "csv" | "xlsx"): string {
  const params = toParams(needQuery(filters)).toString();
  return `/api/v1/needs/export.${format}${params ? `?${params}` : ""}`;
}
