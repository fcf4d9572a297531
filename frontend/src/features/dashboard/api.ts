// What the dashboard reads: my assets by status, my needs, and my organisation's notifications.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, data, type Schemas } from "../../api/client";
import { assetStatusValues, needStatusValues } from "../../api/schema";

export type Notification = Schemas["NotificationRead"];
export type AssetStatus = Schemas["AssetStatus"];
export type NeedStatus = Schemas["NeedStatus"];

/** Counts of my organisation's assets per status, from the search facets (none when degraded). */
export function useAssetStatusCounts(organisationId: string) {
  return useQuery({
    queryKey: ["assets", "status-counts", organisationId],
    queryFn: async () => {
      const result = data(
        await api.GET("/api/v1/search/assets", {
          params: { query: { owner: organisationId, status: [...assetStatusValues], page_size: 1 } },
        }),
      );
      return { total: result.total, byStatus: result.facets.status ?? {}, degraded: result.degraded };
    },
  });
}

/** My organisation's needs in every status, counted per status. */
export function useNeedCounts(organisationId: string) {
  return useQuery({
    queryKey: ["needs", "mine", "counts", organisationId],
    queryFn: async () => {
      const page = data(
        await api.GET("/api/v1/needs", {
          params: { query: { organisation_id: organisationId, status: [...needStatusValues], page_size: 500 } },
        }),
      );
      const byStatus: Partial<Record<NeedStatus, number>> = {};
      for (const need of page.items) byStatus[need.status] = (byStatus[need.status] ?? 0) + 1;
      return { total: page.total, byStatus };
    },
  });
}

const notificationsKey = ["notifications"] as const;

export function useNotifications(pageSize = 20) {
  return useQuery({
    queryKey: [...notificationsKey, pageSize],
    refetchInterval: 60_000,
    queryFn: async () => data(await api.GET("/api/v1/notifications", { params: { query: { page_size: pageSize } } })),
  });
}

export function useMarkRead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (id: string | null) =>
      data(
        id
          ? await api.POST("/api/v1/notifications/{notification_id}/read", { params: { path: { notification_id: id } } })
          : await api.POST("/api/v1/notifications/read-all"),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: notificationsKey }),
  });
}
