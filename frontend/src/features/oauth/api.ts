// OAuth clients of my organisation, on the generated client.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, data, type Schemas } from "../../api/client";

export type ClientRead = Schemas["ClientRead"];
export type ClientWithSecret = Schemas["ClientWithSecret"];
export type ClientCreate = Schemas["ClientCreate"];

const clientsKey = ["oauth", "clients"] as const;

export function useClients() {
  return useQuery({ queryKey: clientsKey, queryFn: async () => data(await api.GET("/api/v1/oauth/clients")) });
}

/** The scopes this server grants, from its RFC 8414 metadata. */
export function useSupportedScopes() {
  return useQuery({
    queryKey: ["oauth", "metadata"],
    staleTime: Infinity,
    queryFn: async () => {
      const metadata = data(await api.GET("/.well-known/oauth-authorization-server")) as {
        scopes_supported?: unknown;
      };
      return Array.isArray(metadata.scopes_supported) ? metadata.scopes_supported.map(String) : [];
    },
  });
}

export function useRegisterClient() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: ClientCreate) => data(await api.POST("/api/v1/oauth/clients", { body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: clientsKey }),
  });
}

export function useRotateSecret() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (id: string) =>
      data(await api.POST("/api/v1/oauth/clients/{client_id}/rotate-secret", { params: { path: { client_id: id } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: clientsKey }),
  });
}

export function useRevokeClient() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (id: string) =>
      data(await api.POST("/api/v1/oauth/clients/{client_id}/revoke", { params: { path: { client_id: id } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: clientsKey }),
  });
}
