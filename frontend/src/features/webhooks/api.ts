// My organisation's webhook subscriptions, test pings and the delivery log.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, data, type Schemas } from "../../api/client";

export type Subscription = Schemas["SubscriptionRead"];
export type SubscriptionCreated = Schemas["SubscriptionCreated"];
export type SubscriptionCreate = Schemas["SubscriptionCreate"];
export type Delivery = Schemas["DeliveryRead"];

const keys = {
  subscriptions: ["webhooks", "subscriptions"] as const,
  events: ["webhooks", "events"] as const,
  deliveries: (id: string) => ["webhooks", "deliveries", id] as const,
};

export function useSubscriptions() {
  return useQuery({ queryKey: keys.subscriptions, queryFn: async () => data(await api.GET("/api/v1/webhooks")) });
}

/** The event names one can subscribe to (their descriptions come from the locale files). */
export function useEventTypes() {
  return useQuery({
    queryKey: keys.events,
    staleTime: Infinity,
    queryFn: async () => Object.keys(data(await api.GET("/api/v1/webhooks/events")) as Record<string, string>),
  });
}

/** The log of one subscription; polled while a delivery is still pending. */
export function useDeliveries(id: string) {
  return useQuery({
    queryKey: keys.deliveries(id),
    queryFn: async () =>
      data(
        await api.GET("/api/v1/webhooks/{subscription_id}/deliveries", {
          params: { path: { subscription_id: id }, query: { page_size: 50 } },
        }),
      ).items,
    refetchInterval: (query) => (query.state.data?.some((delivery) => delivery.status === "pending") ? 2000 : false),
  });
}

export function useSubscribe() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: SubscriptionCreate) => data(await api.POST("/api/v1/webhooks", { body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: keys.subscriptions }),
  });
}

export function usePing() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (id: string) =>
      data(await api.POST("/api/v1/webhooks/{subscription_id}/ping", { params: { path: { subscription_id: id } } })),
    onSuccess: (_, id) => queryClient.invalidateQueries({ queryKey: keys.deliveries(id) }),
  });
}

export function useUnsubscribe() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (id: string) =>
      data(
        await api.POST("/api/v1/webhooks/{subscription_id}/unsubscribe", { params: { path: { subscription_id: id } } }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: keys.subscriptions }),
  });
}
