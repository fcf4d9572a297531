// Facet counts from the search as checkboxes: pick values, see how many assets each has.
import { Checkbox, Typography } from "antd";
import type { ReactNode } from "react";

export interface FacetValue {
  value: string;
  label: ReactNode;
  count?: number;
}

/** Facet values with counts; selected values stay listed even when the search returns none. */
export function facetValues(
  counts: Record<string, number> | undefined,
  selected: readonly string[],
  label: (value: string) => ReactNode,
  order?: readonly string[],
): FacetValue[] {
  const values = new Set([...Object.keys(counts ?? {}), ...selected]);
  const sorted = [...values].sort((a, b) => {
    if (order) return (order.indexOf(a) + 1 || 999) - (order.indexOf(b) + 1 || 999);
    return (counts?.[b] ?? 0) - (counts?.[a] ?? 0);
  });
  return sorted.map((value) => ({ value, label: label(value), count: counts?.[value] }));
}

export function FacetGroup({
  title,
  values,
  selected,
  onChange,
  id,
}: {
  title: string;
  values: readonly FacetValue[];
  selected: readonly string[];
  onChange: (selected: string[]) => void;
  id: string;
}) {
  if (values.length === 0) return null;
  return (
    <div role="group" aria-labelledby={`${id}-title`} style={{ display: "flex", gap: 8, alignItems: "baseline" }}>
      <Typography.Text id={`${id}-title`} strong style={{ flex: "0 0 auto", minWidth: 64 }}>
        {title}
      </Typography.Text>
      <div style={{ display: "flex", flexWrap: "wrap", columnGap: 4, rowGap: 4 }}>
        {values.map((item) => (
          <Checkbox
            key={item.value}
            checked={selected.includes(item.value)}
            onChange={(event) =>
              onChange(
                event.target.checked ? [...selected, item.value] : selected.filter((value) => value !== item.value),
              )
            }
          >
            {item.label}
            {item.count !== undefined ? <Typography.Text type="secondary"> ({item.count})</Typography.Text> : null}
          </Checkbox>
        ))}
      </div>
    </div>
  );
}
