// Administrative divisions (GB/T 2260) from /api/v1/regions.
import { useQueries, useQuery, type QueryClient } from "@tanstack/react-query";
import { api, data, type Schemas } from "../../api/client";

export type Region = Schemas["RegionRead"];

export function regionChildrenQuery(parent: string | null) {
  return {
    queryKey: ["regions", "children", parent ?? "root"] as const,
    staleTime: Infinity,
    // One page holds them: no division has more than a few dozen children (the page size's maximum is 500).
    queryFn: async (): Promise<Region[]> =>
      data(
        await api.GET("/api/v1/regions", {
          params: { query: parent ? { parent, page_size: 500 } : { level: "province", page_size: 500 } },
        }),
      ).items,
  };
}

/** The children of a region (the provinces for null). */
export function useRegionChildren(parent: string | null) {
  return useQuery(regionChildrenQuery(parent));
}

export function fetchRegionChildren(queryClient: QueryClient, parent: string | null): Promise<Region[]> {
  return queryClient.fetchQuery(regionChildrenQuery(parent));
}

/** Looks up each code (for showing names next to codes). */
export function useRegionsByCode(codes: readonly string[]) {
  return useQueries({
    queries: codes.map((code) => ({
      queryKey: ["regions", "one", code] as const,
      staleTime: Infinity,
      queryFn: async () => data(await api.GET("/api/v1/regions/{code}", { params: { path: { code } } })),
    })),
  });
}
