// A shortlist of candidate assets per need, kept in this browser (localStorage).
import { useCallback, useSyncExternalStore } from "react";

export interface ShortlistEntry {
  assetId: string;
  name: string;
  kind: string;
  score: number;
  addedAt: string;
}

type Shortlists = Record<string, ShortlistEntry[]>;

export const SHORTLIST_KEY = "infrashare.shortlist";
const listeners = new Set<() => void>();
let cache: { raw: string | null; value: Shortlists } = { raw: null, value: {} };

function isEntry(value: unknown): value is ShortlistEntry {
  if (typeof value !== "object" || value === null) return false;
  const entry = value as Record<string, unknown>;
  return typeof entry.assetId === "string" && typeof entry.name === "string";
}

function read(): Shortlists {
  let raw: string | null = null;
  try {
    raw = window.localStorage.getItem(SHORTLIST_KEY);
  } catch {
    return cache.value;
  }
  if (raw === cache.raw) return cache.value;
  let value: Shortlists = {};
  try {
    const parsed: unknown = raw ? JSON.parse(raw) : {};
    if (typeof parsed === "object" && parsed !== null) {
      for (const [needId, entries] of Object.entries(parsed)) {
        if (Array.isArray(entries)) value[needId] = entries.filter(isEntry);
      }
    }
  } catch {
    value = {};
  }
  cache = { raw, value };
  return value;
}

function write(value: Shortlists): void {
  const raw = JSON.stringify(value);
  try {
    window.localStorage.setItem(SHORTLIST_KEY, raw);
  } catch {
    // Private mode or full storage: the shortlist lasts for this page only.
  }
  cache = { raw, value };
  listeners.forEach((listener) => listener());
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  const onStorage = (event: StorageEvent) => event.key === SHORTLIST_KEY && listener();
  window.addEventListener("storage", onStorage);
  return () => {
    listeners.delete(listener);
    window.removeEventListener("storage", onStorage);
  };
}

const NONE: ShortlistEntry[] = [];

/** The need's shortlist, and ways to change it; other tabs see the change too. */
export function useShortlist(needId: string) {
  const entries = useSyncExternalStore(subscribe, () => read()[needId] ?? NONE);
  const toggle = useCallback(
    (entry: Omit<ShortlistEntry, "addedAt">) => {
      const all = read();
      const current = all[needId] ?? [];
      const next = current.some((item) => item.assetId === entry.assetId)
        ? current.filter((item) => item.assetId !== entry.assetId)
        : [...current, { ...entry, addedAt: new Date().toISOString() }];
      write({ ...all, [needId]: next });
    },
    [needId],
  );
  const remove = useCallback(
    (assetId: string) => {
      const all = read();
      write({ ...all, [needId]: (all[needId] ?? []).filter((item) => item.assetId !== assetId) });
    },
    [needId],
  );
  const has = useCallback((assetId: string) => entries.some((item) => item.assetId === assetId), [entries]);
  return { entries, toggle, remove, has };
}
