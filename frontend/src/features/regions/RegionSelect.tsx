import { useQuery } from "@tanstack/react-query";
import { Select } from "antd";
import { useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { api, data } from "../../api/client";
import { useRegionChildren, useRegionsByCode, type Region } from "./api";

/** The demo city's districts are offered before anything is typed. */
const DEFAULT_PARENT = "440300";

function label(region: Region): string {
  return `${region.name} (${region.code})`;
}

function useDebounced<T>(value: T, delayMs: number): T {
  const [current, setCurrent] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setCurrent(value), delayMs);
    return () => clearTimeout(timer);
  }, [value, delayMs]);
  return current;
}

/**
 * A controlled region field: the value is a division code. Offers the districts of Shenzhen and
 * finds any division by name, pinyin or code as one types.
 */
export function RegionSelect({
  value,
  onChange,
  id,
  placeholder,
  allowClear = true,
  style,
  ariaLabel,
}: {
  value?: string | null;
  onChange?: (code: string | undefined) => void;
  id?: string;
  placeholder?: string;
  allowClear?: boolean;
  style?: React.CSSProperties;
  ariaLabel?: string;
}) {
  const { t } = useTranslation();
  const [text, setText] = useState("");
  const query = useDebounced(text.trim(), 250);
  const districts = useRegionChildren(DEFAULT_PARENT);
  const found = useQuery({
    queryKey: ["regions", "find", query],
    enabled: query.length > 0,
    staleTime: 60_000,
    queryFn: async () => data(await api.GET("/api/v1/regions", { params: { query: { q: query, page_size: 20 } } })).items,
  });
  const [current] = useRegionsByCode(value ? [value] : []);
  const options = useMemo(() => {
    const regions = new Map<string, Region>();
    for (const region of query ? (found.data ?? []) : (districts.data ?? [])) regions.set(region.code, region);
    if (current?.data && !regions.has(current.data.code)) regions.set(current.data.code, current.data);
    return [...regions.values()].map((region) => ({ value: region.code, label: label(region) }));
  }, [query, found.data, districts.data, current?.data]);

  return (
    <Select
      id={id}
      aria-label={ariaLabel}
      style={{ width: "100%", ...style }}
      value={value ?? undefined}
      onChange={(code: string | undefined) => {
        setText("");
        onChange?.(code ?? undefined);
      }}
      showSearch
      filterOption={false}
      onSearch={setText}
      allowClear={allowClear}
      placeholder={placeholder ?? t("regions.pick")}
      loading={districts.isPending || found.isFetching}
      options={options}
      notFoundContent={null}
    />
  );
}
