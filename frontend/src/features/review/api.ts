// The regulator's work: the review queue, the needs list of the jurisdiction, statistics.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, data, type Schemas } from "../../api/client";

/** A need as the client returns it (openapi-fetch reads the bbox tuple as an array). */
export type Need = Awaited<ReturnType<typeof fetchReviewQueue>>["items"][number];
export type NeedStatus = Schemas["NeedStatus"];
export type WantedKind = Schemas["AssetKind"];
export type NeedPurpose = Schemas["NeedPurpose"];
export type NeedStats = Schemas["NeedStats"];
export type Series = Schemas["Series"];
export type NeedTimelineEntry = Schemas["NeedTimelineEntry"];

export const NEED_STATUSES: readonly NeedStatus[] = [
  "submitted",
  "returned",
  "published",
  "matched",
  "fulfilled",
  "withdrawn",
  "expired",
];
export const WANTED_KINDS: readonly WantedKind[] = ["tower", "pole", "duct", "cable", "machine_room", "reserved_space"];

export const reviewKeys = {
  queue: (page: number) => ["needs", "review-queue", page] as const,
  list: (filters: NeedListFilters) => ["needs", "list", filters] as const,
  timeline: (id: string) => ["needs", "timeline", id] as const,
  stats: (region: string | undefined) => ["stats", "needs", region ?? "all"] as const,
};

async function fetchReviewQueue(page: number, pageSize: number) {
  return data(await api.GET("/api/v1/needs/review-queue", { params: { query: { page, page_size: pageSize } } }));
}

export function useReviewQueue(page: number, pageSize = 50) {
  return useQuery({
    queryKey: reviewKeys.queue(page),
    placeholderData: keepPreviousData,
    queryFn: () => fetchReviewQueue(page, pageSize),
  });
}

export function useNeedTimeline(id: string | null) {
  return useQuery({
    queryKey: reviewKeys.timeline(id ?? ""),
    enabled: Boolean(id),
    queryFn: async () =>
      data(await api.GET("/api/v1/needs/{need_id}/timeline", { params: { path: { need_id: id ?? "" } } })),
  });
}

function useNeedsChanged() {
  const queryClient = useQueryClient();
  return () => {
    void queryClient.invalidateQueries({ queryKey: ["needs"] });
    void queryClient.invalidateQueries({ queryKey: ["stats"] });
  };
}

export function usePublishNeed() {
  const changed = useNeedsChanged();
  return useMutation({
    mutationFn: async (id: string) =>
      data(await api.POST("/api/v1/needs/{need_id}/publish", { params: { path: { need_id: id } } })),
    onSuccess: changed,
  });
}

export function useReturnNeed() {
  const changed = useNeedsChanged();
  return useMutation({
    mutationFn: async ({ id, reason }: { id: string; reason: string }) =>
      data(await api.POST("/api/v1/needs/{need_id}/return", { params: { path: { need_id: id } }, body: { reason } })),
    onSuccess: changed,
  });
}

/** All or nothing: when one need cannot be published, none is, and the problem names it as ids[i]. */
export function useBulkPublish() {
  const changed = useNeedsChanged();
  return useMutation({
    mutationFn: async (ids: string[]) => data(await api.POST("/api/v1/needs/bulk-publish", { body: { ids } })),
    onSuccess: changed,
  });
}

export interface NeedListFilters {
  status: NeedStatus[];
  kind: WantedKind[];
  region?: string;
  q?: string;
  page: number;
}

function listQuery(filters: Omit<NeedListFilters, "page">) {
  return {
    status: filters.status.length ? filters.status : undefined,
    kind: filters.kind.length ? filters.kind : undefined,
    region: filters.region || undefined,
    q: filters.q || undefined,
  };
}

export function useJurisdictionNeeds(filters: NeedListFilters, pageSize = 20) {
  return useQuery({
    queryKey: reviewKeys.list(filters),
    placeholderData: keepPreviousData,
    queryFn: async () =>
      data(
        await api.GET("/api/v1/needs", {
          params: { query: { ...listQuery(filters), page: filters.page, page_size: pageSize } },
        }),
      ),
  });
}

/** The export links carry the list's filters, so the file holds what the screen shows. */
export function needsExportUrl(format: "csv" | "xlsx", filters: Omit<NeedListFilters, "page">): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(listQuery(filters))) {
    if (Array.isArray(value)) value.forEach((item) => search.append(key, item));
    else if (value) search.set(key, value);
  }
  const query = search.toString();
  return `/api/v1/needs/export.${format}${query ? `?${query}` : ""}`;
}

export function useNeedStats(region?: string) {
  return useQuery({
    queryKey: reviewKeys.stats(region),
    queryFn: async () => data(await api.GET("/api/v1/stats/needs", { params: { query: { region } } })),
  });
}

export function statsCsvUrl(region?: string): string {
  return `/api/v1/stats/needs.csv${region ? `?region=${encodeURIComponent(region)}` : ""}`;
}
