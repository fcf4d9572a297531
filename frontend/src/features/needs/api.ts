// Needs, their matches and sharing requests, on the generated client.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, data, type Schemas } from "../../api/client";
import { needQuery, type NeedFilters } from "./filters";

/** As the client returns it (openapi-fetch reads the bbox tuple as an array). */
export type NeedRead = Omit<Schemas["NeedRead"], "bbox"> & { bbox: number[] };
export type NeedCreate = Schemas["NeedCreate"];
export type NeedUpdate = Schemas["NeedUpdate"];
export type NeedAction = Schemas["NeedAction"];
export type Match = Schemas["Match"];
export type ScoreFactor = Schemas["ScoreFactor"];
export type RequestCreate = Schemas["RequestCreate"];
export type RequestRead = Schemas["RequestRead"];
export type NeedTimelineEntry = Schemas["NeedTimelineEntry"];

export const needKeys = {
  all: ["needs"] as const,
  list: (filters: NeedFilters) => ["needs", "list", filters] as const,
  one: (id: string) => ["needs", "one", id] as const,
  timeline: (id: string) => ["needs", "timeline", id] as const,
  matches: (id: string) => ["needs", "matches", id] as const,
};

export function useNeeds(filters: NeedFilters) {
  return useQuery({
    queryKey: needKeys.list(filters),
    placeholderData: keepPreviousData,
    queryFn: async () =>
      data(
        await api.GET("/api/v1/needs", {
          params: { query: { ...needQuery(filters), page: filters.page, page_size: filters.pageSize } },
        }),
      ),
  });
}

export function useNeed(id: string | undefined) {
  return useQuery({
    queryKey: needKeys.one(id ?? ""),
    enabled: !!id,
    queryFn: async () => data(await api.GET("/api/v1/needs/{need_id}", { params: { path: { need_id: id as string } } })),
  });
}

export function useNeedTimeline(id: string) {
  return useQuery({
    queryKey: needKeys.timeline(id),
    queryFn: async () =>
      data(await api.GET("/api/v1/needs/{need_id}/timeline", { params: { path: { need_id: id } } })),
  });
}

export function useMatches(id: string, enabled: boolean) {
  return useQuery({
    queryKey: needKeys.matches(id),
    enabled,
    queryFn: async () =>
      data(await api.GET("/api/v1/needs/{need_id}/matches", { params: { path: { need_id: id }, query: { limit: 20 } } })),
  });
}

export function useCreateNeed() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: NeedCreate) => data(await api.POST("/api/v1/needs", { body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: needKeys.all }),
  });
}

export function useUpdateNeed(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: NeedUpdate) =>
      data(await api.PATCH("/api/v1/needs/{need_id}", { params: { path: { need_id: id } }, body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: needKeys.all }),
  });
}

/** The verbs on a need's page; `return` needs a reason, `withdraw` may have one. */
export type NeedVerb = Exclude<NeedAction, "edit" | "expire">;

export async function performNeedVerb(id: string, verb: NeedVerb, reason?: string): Promise<NeedRead> {
  const path = { params: { path: { need_id: id } } };
  switch (verb) {
    case "submit":
      return data(await api.POST("/api/v1/needs/{need_id}/submit", path));
    case "resubmit":
      return data(await api.POST("/api/v1/needs/{need_id}/resubmit", path));
    case "publish":
      return data(await api.POST("/api/v1/needs/{need_id}/publish", path));
    case "return":
      return data(await api.POST("/api/v1/needs/{need_id}/return", { ...path, body: { reason: reason ?? "" } }));
    case "withdraw":
      return data(
        await api.POST("/api/v1/needs/{need_id}/withdraw", { ...path, body: reason ? { reason } : null }),
      );
    case "match":
      return data(await api.POST("/api/v1/needs/{need_id}/match", path));
    case "fulfil":
      return data(await api.POST("/api/v1/needs/{need_id}/fulfil", path));
  }
}

export function useNeedVerb(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ verb, reason }: { verb: NeedVerb; reason?: string }) => performNeedVerb(id, verb, reason),
    onSuccess: (need) => {
      queryClient.setQueryData(needKeys.one(id), need);
      void queryClient.invalidateQueries({ queryKey: needKeys.all });
    },
  });
}

export function useCreateRequest() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: RequestCreate) => data(await api.POST("/api/v1/sharing-requests", { body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["requests"] }),
  });
}
