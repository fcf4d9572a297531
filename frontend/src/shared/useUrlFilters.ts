// A list's filters kept in the address bar, so a filtered list can be shared as a link and
// survives a reload. Each list says how its filters are read and written (its codec); this hook
// is the one place that reads the address bar, starts again on page 1 when a filter changes,
// and writes it back.
import { useMemo } from "react";
import { useSearchParams } from "react-router";

/** How one list's filters are read from (ignoring what is malformed) and written to a query string. */
export interface UrlFilterCodec<F> {
  parse: (params: URLSearchParams) => F;
  toParams: (filters: F) => URLSearchParams;
}

export interface UrlFilters<F> {
  filters: F;
  /** A filter changed by the user: a paged list starts again on page 1. */
  change: (patch: Partial<F>) => void;
  /** Exactly these filters (paging, clearing). */
  replace: (filters: F) => void;
}

export function useUrlFilters<F extends object>(codec: UrlFilterCodec<F>): UrlFilters<F> {
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => codec.parse(params), [codec, params]);
  return {
    filters,
    change: (patch) => setParams(codec.toParams({ ...filters, ...("page" in filters ? { page: 1 } : {}), ...patch })),
    replace: (next) => setParams(codec.toParams(next)),
  };
}

// Readers for the values lists keep in the address bar.

export function oneOf<T extends string>(allowed: readonly T[]) {
  return (value: string): value is T => (allowed as readonly string[]).includes(value);
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const REGION = /^\d{6}(\d{3})?$/;

/** A calendar day `YYYY-MM-DD`, or nothing. */
export function dateParam(value: string | null): string | undefined {
  return value && DATE.test(value) ? value : undefined;
}

/** A region code (6 digits, or 9 for a township), or nothing. */
export function regionParam(value: string | null): string | undefined {
  return value && REGION.test(value) ? value : undefined;
}

/** A whole number of at least 1, or the fallback. */
export function positiveParam(value: string | null, fallback: number): number {
  return value && /^\d+$/.test(value) && Number(value) > 0 ? Number(value) : fallback;
}

/** A list filter for a query: nothing when no value is picked. */
export function picked<T>(values: T[]): T[] | undefined {
  return values.length ? values : undefined;
}

/** Typed words for a query: nothing when only spaces. */
export function words(text: string): string | undefined {
  return text.trim() || undefined;
}

/** A query string from named values: lists repeat their name, undefined values are left out. */
export function toSearchParams(query: Record<string, string | readonly string[] | number | boolean | undefined>): URLSearchParams {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined) continue;
    const values: readonly (string | number | boolean)[] = Array.isArray(value) ? value : [value as string | number | boolean];
    for (const item of values) params.append(name, String(item));
  }
  return params;
}
