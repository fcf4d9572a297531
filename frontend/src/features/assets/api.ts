// Asset registry queries and mutations, on the generated client.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, data, type Schemas } from "../../api/client";
import { searchQuery, type AssetFilters } from "./filters";

export type AssetRead = Schemas["AssetRead"];
export type AssetCreate = Schemas["AssetCreate"];
export type AssetUpdate = Schemas["AssetUpdate"];
export type AssetHit = Schemas["AssetHit"];
export type AssetSearchPage = Schemas["AssetSearchPage"];
export type ImportJob = Schemas["ImportJobRead"];
export type AssetEvent = Schemas["EventRead"];

export const assetKeys = {
  all: ["assets"] as const,
  search: (filters: AssetFilters) => ["assets", "search", filters] as const,
  one: (id: string) => ["assets", "one", id] as const,
  history: (id: string) => ["assets", "history", id] as const,
  job: (id: string) => ["assets", "imports", id] as const,
};

export function useAssetSearch(filters: AssetFilters) {
  return useQuery({
    queryKey: assetKeys.search(filters),
    placeholderData: keepPreviousData,
    queryFn: async () => data(await api.GET("/api/v1/search/assets", { params: { query: searchQuery(filters) } })),
  });
}

export function useAsset(id: string | undefined) {
  return useQuery({
    queryKey: assetKeys.one(id ?? ""),
    enabled: !!id,
    queryFn: async () =>
      data(await api.GET("/api/v1/assets/{asset_id}", { params: { path: { asset_id: id as string } } })),
  });
}

export function useAssetHistory(id: string, enabled: boolean) {
  return useQuery({
    queryKey: assetKeys.history(id),
    enabled,
    queryFn: async () =>
      data(await api.GET("/api/v1/assets/{asset_id}/history", { params: { path: { asset_id: id } } })),
  });
}

export function useCreateAsset() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: AssetCreate) => data(await api.POST("/api/v1/assets", { body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: assetKeys.all }),
  });
}

export function useUpdateAsset(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: AssetUpdate) =>
      data(await api.PATCH("/api/v1/assets/{asset_id}", { params: { path: { asset_id: id } }, body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: assetKeys.all }),
  });
}

export function useRetireAsset(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: { version: number; reason?: string }) =>
      data(await api.POST("/api/v1/assets/{asset_id}/retire", { params: { path: { asset_id: id } }, body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: assetKeys.all }),
  });
}

export type UploadFormat = "csv" | "geojson";

export function formatOf(filename: string): UploadFormat | null {
  const lower = filename.toLowerCase();
  if (lower.endsWith(".csv")) return "csv";
  if (lower.endsWith(".geojson") || lower.endsWith(".json")) return "geojson";
  return null;
}

/** The file's bytes as they are: the server, not the browser, says when a file is not UTF-8. */
export function readBytes(file: Blob): Promise<ArrayBuffer> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result as ArrayBuffer);
    reader.onerror = () => reject(reader.error);
    reader.readAsArrayBuffer(file);
  });
}

/**
 * Uploads a file as a background job (so the wizard can show real progress); the answer is the
 * queued job, or a 422 problem whose errors name rows and columns when the file cannot be read.
 */
export function useStartImport() {
  return useMutation({
    mutationFn: async ({ file, format }: { file: Blob & { name: string }; format: UploadFormat }) => {
      const body = await readBytes(file);
      const result = await api.POST("/api/v1/assets/imports", {
        params: { query: { format, filename: file.name.slice(0, 200), background: true } },
        body: body as never,
        bodySerializer: (value: unknown) => value as ArrayBuffer,
        headers: { "Content-Type": format === "csv" ? "text/csv" : "application/geo+json" },
      });
      return data(result) as ImportJob;
    },
  });
}

export function isFinished(job: ImportJob | undefined): boolean {
  return job?.status === "succeeded" || job?.status === "failed";
}

/** Polls a job every `intervalMs` until it has finished. */
export function useImportJob(id: string | null, intervalMs = 700) {
  const queryClient = useQueryClient();
  return useQuery({
    queryKey: assetKeys.job(id ?? ""),
    enabled: !!id,
    refetchInterval: (query) => (isFinished(query.state.data) ? false : intervalMs),
    queryFn: async () => {
      const job = data(
        await api.GET("/api/v1/assets/imports/{job_id}", { params: { path: { job_id: id as string } } }),
      );
      if (job.status === "succeeded") void queryClient.invalidateQueries({ queryKey: ["assets", "search"] });
      return job;
    },
  });
}

export function templateHref(kind: string): string {
  return `/api/v1/assets/templates/${encodeURIComponent(kind)}`;
}
