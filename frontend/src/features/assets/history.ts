// What changed in one event of an asset's history: the fields whose value differs.

export interface FieldChange {
  /** A snapshot key (`capacity_free`) or `attributes.<name>` for a kind's attribute. */
  field: string;
  before: unknown;
  after: unknown;
}

type Snapshot = Record<string, unknown> | null | undefined;

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The fields that differ between two snapshots; the kind's attributes one by one. */
export function changedFields(before: Snapshot, after: Snapshot): FieldChange[] {
  const changes: FieldChange[] = [];
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  for (const key of keys) {
    const old = before?.[key];
    const now = after?.[key];
    if (same(old, now)) continue;
    if (key === "attributes" && (isRecord(old) || isRecord(now))) {
      const inner = changedFields(isRecord(old) ? old : {}, isRecord(now) ? now : {});
      changes.push(...inner.map((change) => ({ ...change, field: `attributes.${change.field}` })));
    } else {
      changes.push({ field: key, before: old, after: now });
    }
  }
  return changes;
}

/** A value as short text for the history list. */
export function shortValue(value: unknown): string {
  if (value === null || value === undefined || value === "") return "—";
  if (typeof value === "object") return JSON.stringify(value).slice(0, 80);
  return String(value);
}
