// Sharing requests and agreements: lists, one request, its timeline, its document and the verbs.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, data, type Schemas } from "../../api/client";

export type SharingRequest = Schemas["RequestRead"];
export type RequestStatus = Schemas["RequestStatus"];
export type RequestAction = Schemas["RequestAction"];
export type RejectionReason = Schemas["RejectionReason"];
export type TimelineEntry = Schemas["RequestTimelineEntry"];
export type Counter = Schemas["Counter"];

/** The inbox holds requests for my assets (I am the owner); the outbox those I sent. */
export type Box = "inbox" | "outbox";

/** Still moving: someone may have to act. */
export const OPEN_STATUSES: readonly RequestStatus[] = ["requested", "countered", "regulator_review", "disputed"];

export const requestKeys = {
  all: ["sharing-requests"] as const,
  list: (filters: object) => ["sharing-requests", "list", filters] as const,
  one: (id: string) => ["sharing-requests", "one", id] as const,
  timeline: (id: string) => ["sharing-requests", "timeline", id] as const,
  document: (id: string) => ["sharing-requests", "document", id] as const,
  overdue: (page: number) => ["sharing-requests", "overdue", page] as const,
};

export interface RequestFilters {
  side?: "owner" | "requester";
  status?: RequestStatus[];
  page?: number;
  pageSize?: number;
}

export function sideOf(box: Box): "owner" | "requester" {
  return box === "inbox" ? "owner" : "requester";
}

export function useRequests(filters: RequestFilters, options: { refetchInterval?: number } = {}) {
  return useQuery({
    queryKey: requestKeys.list(filters),
    placeholderData: keepPreviousData,
    refetchInterval: options.refetchInterval,
    queryFn: async () =>
      data(
        await api.GET("/api/v1/sharing-requests", {
          params: {
            query: {
              side: filters.side,
              status: filters.status?.length ? filters.status : undefined,
              page: filters.page ?? 1,
              page_size: filters.pageSize ?? 20,
            },
          },
        }),
      ),
  });
}

/** Overdue requests, reviews and disputes in a regulator's jurisdiction. */
export function useOverdueRequests(page: number) {
  return useQuery({
    queryKey: requestKeys.overdue(page),
    placeholderData: keepPreviousData,
    queryFn: async () =>
      data(await api.GET("/api/v1/sharing-requests/overdue", { params: { query: { page, page_size: 20 } } })),
  });
}

export function useRequest(id: string) {
  return useQuery({
    queryKey: requestKeys.one(id),
    queryFn: async () =>
      data(await api.GET("/api/v1/sharing-requests/{request_id}", { params: { path: { request_id: id } } })),
  });
}

export function useTimeline(id: string) {
  return useQuery({
    queryKey: requestKeys.timeline(id),
    queryFn: async () =>
      data(
        await api.GET("/api/v1/sharing-requests/{request_id}/timeline", { params: { path: { request_id: id } } }),
      ),
  });
}

/** The printable agreement as the server renders it (HTML). */
export function useAgreementDocument(id: string) {
  return useQuery({
    queryKey: requestKeys.document(id),
    queryFn: async () => {
      const result = await api.GET("/api/v1/sharing-requests/{request_id}/document", {
        params: { path: { request_id: id } },
        parseAs: "text",
      });
      return String(result.data ?? "");
    },
  });
}

export function documentUrl(id: string): string {
  return `/api/v1/sharing-requests/${encodeURIComponent(id)}/document`;
}

/** What one verb sends. Verbs without a body ignore it. */
export interface VerbInput {
  id: string;
  action: RequestAction;
  reason?: string;
  reasonCode?: RejectionReason;
  noticeDate?: string;
  counter?: Counter;
}

async function perform({ id, action, reason, reasonCode, noticeDate, counter }: VerbInput): Promise<SharingRequest> {
  const params = { path: { request_id: id } };
  const optional = { reason: reason || null };
  const required = { reason: reason ?? "" };
  switch (action) {
    case "accept":
      return data(await api.POST("/api/v1/sharing-requests/{request_id}/accept", { params }));
    case "accept_counter":
      return data(await api.POST("/api/v1/sharing-requests/{request_id}/accept-counter", { params }));
    case "reject":
      return data(
        await api.POST("/api/v1/sharing-requests/{request_id}/reject", {
          params,
          body: { reason_code: reasonCode ?? "other", reason: reason ?? "" },
        }),
      );
    case "counter":
      return data(await api.POST("/api/v1/sharing-requests/{request_id}/counter", { params, body: counter ?? {} }));
    case "withdraw":
      return data(await api.POST("/api/v1/sharing-requests/{request_id}/withdraw", { params, body: optional }));
    case "reject_counter":
      return data(
        await api.POST("/api/v1/sharing-requests/{request_id}/reject-counter", { params, body: optional }),
      );
    case "approve":
      return data(await api.POST("/api/v1/sharing-requests/{request_id}/approve", { params, body: optional }));
    case "refuse":
      return data(await api.POST("/api/v1/sharing-requests/{request_id}/refuse", { params, body: required }));
    case "escalate":
      return data(await api.POST("/api/v1/sharing-requests/{request_id}/escalate", { params, body: required }));
    case "uphold":
      return data(await api.POST("/api/v1/sharing-requests/{request_id}/uphold", { params, body: required }));
    case "order_acceptance":
      return data(
        await api.POST("/api/v1/sharing-requests/{request_id}/order-acceptance", { params, body: required }),
      );
    case "terminate":
      return data(
        await api.POST("/api/v1/sharing-requests/{request_id}/terminate", {
          params,
          body: { reason: reason ?? "", notice_date: noticeDate ?? "" },
        }),
      );
    default:
      throw new Error(`${action} is done by the system, not by people`);
  }
}

/** Any verb on a request; on success the request, its timeline and every list are read afresh. */
export function useRequestAction() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: perform,
    onSuccess: (request) => {
      queryClient.setQueryData(requestKeys.one(request.id), request);
      void queryClient.invalidateQueries({ queryKey: requestKeys.all });
      void queryClient.invalidateQueries({ queryKey: ["notifications"] });
    },
  });
}
