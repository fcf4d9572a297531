// Queries and mutations for organisations and their users, on the generated client.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, data, type Role, type Schemas } from "../../api/client";

export type OrganisationKind = Schemas["OrganisationKind"];
export type Industry = Schemas["Industry"];

/** The roles a user of an organisation of this kind may have (mirrors the accounts service). */
export const ROLES_BY_KIND: Record<OrganisationKind, readonly Role[]> = {
  operator: ["operator_admin", "operator_member"],
  regulator: ["regulator"],
  platform: ["platform_admin"],
};

const keys = {
  organisations: ["organisations"] as const,
  organisation: (id: string) => ["organisations", id] as const,
  users: (organisationId: string) => ["organisations", organisationId, "users"] as const,
};

export function useOrganisations() {
  return useQuery({
    queryKey: keys.organisations,
    queryFn: async () => data(await api.GET("/api/v1/organisations")),
  });
}

export function useOrganisation(id: string) {
  return useQuery({
    queryKey: keys.organisation(id),
    queryFn: async () =>
      data(await api.GET("/api/v1/organisations/{organisation_id}", { params: { path: { organisation_id: id } } })),
  });
}

export function useCreateOrganisation() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: Schemas["OrganisationCreate"]) =>
      data(await api.POST("/api/v1/organisations", { body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: keys.organisations }),
  });
}

export function useSetJurisdiction() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ organisationId, regionCodes }: { organisationId: string; regionCodes: string[] }) =>
      data(
        await api.PUT("/api/v1/organisations/{organisation_id}/jurisdiction", {
          params: { path: { organisation_id: organisationId } },
          body: { region_codes: regionCodes },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: keys.organisations }),
  });
}

export function useUsers(organisationId: string) {
  return useQuery({
    queryKey: keys.users(organisationId),
    queryFn: async () =>
      data(
        await api.GET("/api/v1/organisations/{organisation_id}/users", {
          params: { path: { organisation_id: organisationId } },
        }),
      ),
  });
}

export function useCreateUser(organisationId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: Schemas["UserCreate"]) =>
      data(
        await api.POST("/api/v1/organisations/{organisation_id}/users", {
          params: { path: { organisation_id: organisationId } },
          body,
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: keys.users(organisationId) }),
  });
}

export function useSetUserActive(organisationId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ userId, active }: { userId: string; active: boolean }) => {
      const params = { path: { organisation_id: organisationId, user_id: userId } };
      return data(
        active
          ? await api.POST("/api/v1/organisations/{organisation_id}/users/{user_id}/activate", { params })
          : await api.POST("/api/v1/organisations/{organisation_id}/users/{user_id}/deactivate", { params }),
      );
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: keys.users(organisationId) }),
  });
}
