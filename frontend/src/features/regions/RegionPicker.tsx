import { useQueryClient } from "@tanstack/react-query";
import { Cascader } from "antd";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { fetchRegionChildren, type Region } from "./api";

interface Option {
  value: string;
  label: string;
  isLeaf: boolean;
  children?: Option[];
}

function toOption(region: Region): Option {
  return { value: region.code, label: `${region.name} (${region.code})`, isLeaf: region.level === "street" };
}

/** Province → city → county → street, loaded level by level; any level can be chosen. */
export function RegionPicker({
  onChange,
  id,
}: {
  onChange: (code: string | undefined, path: Region[] | undefined) => void;
  id?: string;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [options, setOptions] = useState<Option[]>([]);
  const [regions] = useState(() => new Map<string, Region>());

  useEffect(() => {
    void fetchRegionChildren(queryClient, null).then((provinces) => {
      provinces.forEach((region) => regions.set(region.code, region));
      setOptions(provinces.map(toOption));
    });
  }, [queryClient, regions]);

  return (
    <Cascader<Option>
      id={id}
      style={{ width: "100%" }}
      options={options}
      changeOnSelect
      showSearch={false}
      placeholder={t("regions.pick")}
      aria-label={t("regions.pick")}
      loadData={async (selected) => {
        const target = selected[selected.length - 1];
        const children = await fetchRegionChildren(queryClient, target.value);
        children.forEach((region) => regions.set(region.code, region));
        target.children = children.map(toOption);
        if (children.length === 0) target.isLeaf = true;
        setOptions((current) => [...current]);
      }}
      onChange={(path) => {
        const codes = (path ?? []) as string[];
        const code = codes[codes.length - 1];
        onChange(code, code ? codes.map((c) => regions.get(c)).filter((r): r is Region => !!r) : undefined);
      }}
    />
  );
}
