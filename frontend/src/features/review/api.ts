// The regulator's work: the review queue and statistics (the needs list is the needs feature's, in its regulator mode).
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, data, type Schemas } from "../../api/client";
import type { NeedRead } from "../needs/api";

export type Need = NeedRead;
export type NeedStats = Schemas["NeedStats"];
export type Series = Schemas["Series"];

export const reviewKeys = {
  queue: (page: number) => ["needs", "review-queue", page] as const,
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

export function useNeedStats(region?: string) {
  return useQuery({
    queryKey: reviewKeys.stats(region),
    queryFn: async () => data(await api.GET("/api/v1/stats/needs", { params: { query: { region } } })),
  });
}

export function statsCsvUrl(region?: string): string {
  return `/api/v1/stats/needs.csv${region ? `?region=${encodeURIComponent(region)}` : ""}`;
}
