// The needs list of my jurisdiction: filters in the URL, any status a regulator may see, exports.
import { DownloadOutlined } from "@ant-design/icons";
import { Button, Empty, Input, Select, Space, Table, Tag } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router";
import { ErrorState } from "../../app/states";
import { formatDateTime } from "../../shared/format";
import { PageHeader } from "../../shared/PageHeader";
import { useSession } from "../accounts/session";
import { useRegionsByCode } from "../regions/api";
import {
  NEED_STATUSES,
  needsExportUrl,
  useJurisdictionNeeds,
  WANTED_KINDS,
  type Need,
  type NeedListFilters,
  type NeedStatus,
  type WantedKind,
} from "./api";
import { NeedDrawer, NeedTitleButton } from "./NeedDrawer";
import { NeedStatusTag } from "../needs/NeedStatusTag";

const PAGE_SIZE = 20;

function oneOf<T extends string>(allowed: readonly T[]) {
  return (value: string): value is T => (allowed as readonly string[]).includes(value);
}

/** Filters from the address bar; the region defaults to the first of my jurisdiction. */
export function filtersFrom(params: URLSearchParams, jurisdiction: readonly string[]): NeedListFilters {
  return {
    status: params.getAll("status").filter(oneOf(NEED_STATUSES)),
    kind: params.getAll("kind").filter(oneOf(WANTED_KINDS)),
    region: params.get("region") ?? jurisdiction[0],
    q: params.get("q") ?? undefined,
    page: Math.max(1, Number(params.get("page")) || 1),
  };
}

export function searchOf(filters: NeedListFilters): URLSearchParams {
  const search = new URLSearchParams();
  filters.status.forEach((value) => search.append("status", value));
  filters.kind.forEach((value) => search.append("kind", value));
  if (filters.region) search.set("region", filters.region);
  if (filters.q) search.set("q", filters.q);
  if (filters.page > 1) search.set("page", String(filters.page));
  return search;
}

export default function NeedsListPage() {
  const { t } = useTranslation();
  const me = useSession();
  const jurisdiction = me.organisation.jurisdiction ?? [];
  const regions = useRegionsByCode(jurisdiction);
  const [params, setParams] = useSearchParams();
  const filters = filtersFrom(params, jurisdiction);
  const needs = useJurisdictionNeeds(filters, PAGE_SIZE);
  const [viewing, setViewing] = useState<Need | null>(null);
  const [text, setText] = useState(filters.q ?? "");
  const update = (next: Partial<NeedListFilters>) => setParams(searchOf({ ...filters, page: 1, ...next }));

  return (
    <section aria-labelledby="page-title">
      <PageHeader
        title={t("review.list.title")}
        subtitle={t("review.list.intro")}
        extra={
          <>
            <Button icon={<DownloadOutlined />} href={needsExportUrl("csv", filters)}>
              {t("review.list.exportCsv")}
            </Button>
            <Button icon={<DownloadOutlined />} href={needsExportUrl("xlsx", filters)}>
              {t("review.list.exportXlsx")}
            </Button>
          </>
        }
      />
      <Space wrap style={{ marginBottom: 16 }} id="needs-filters">
        <Select<string>
          aria-label={t("review.list.region")}
          value={filters.region}
          onChange={(region) => update({ region })}
          style={{ minWidth: 200 }}
          options={jurisdiction.map((code, index) => ({
            value: code,
            label: regions[index]?.data ? `${regions[index].data.name} (${code})` : code,
          }))}
        />
        <Select<NeedStatus[]>
          mode="multiple"
          allowClear
          aria-label={t("review.list.status")}
          placeholder={t("review.list.statusDefault")}
          value={filters.status}
          onChange={(status) => update({ status })}
          options={NEED_STATUSES.map((value) => ({ value, label: t(`needs.statuses.${value}`) }))}
          style={{ minWidth: 220 }}
          maxTagCount="responsive"
        />
        <Select<WantedKind[]>
          mode="multiple"
          allowClear
          aria-label={t("review.list.kind")}
          placeholder={t("review.list.kind")}
          value={filters.kind}
          onChange={(kind) => update({ kind })}
          options={WANTED_KINDS.map((value) => ({ value, label: t(`agreements.assetKinds.${value}`) }))}
          style={{ minWidth: 180 }}
          maxTagCount="responsive"
        />
        <Input.Search
          aria-label={t("review.list.search")}
          placeholder={t("review.list.search")}
          value={text}
          onChange={(event) => setText(event.target.value)}
          onSearch={(q) => update({ q: q.trim() || undefined })}
          allowClear
          style={{ width: 220 }}
        />
      </Space>
      {needs.isError ? (
        <ErrorState error={needs.error} onRetry={() => void needs.refetch()} />
      ) : (
        <Table<Need>
          rowKey="id"
          size="middle"
          loading={needs.isFetching}
          dataSource={needs.data?.items ?? []}
          scroll={{ x: 1100 }}
          pagination={{
            current: filters.page,
            pageSize: PAGE_SIZE,
            total: needs.data?.total ?? 0,
            onChange: (page) => setParams(searchOf({ ...filters, page })),
            hideOnSinglePage: true,
            showSizeChanger: false,
            showTotal: (total) => t("review.list.total", { total }),
          }}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("review.list.empty")} /> }}
          columns={[
            {
              title: t("review.need.title"),
              key: "title",
              width: 260,
              render: (_, need) => <NeedTitleButton need={need} onOpen={setViewing} />,
            },
            { title: t("review.need.organisation"), dataIndex: "organisation_name", width: 200 },
            { title: t("review.need.region"), dataIndex: "region_name", width: 110 },
            {
              title: t("review.need.kinds"),
              key: "kinds",
              width: 160,
              render: (_, need) => need.wanted_kinds.map((kind) => <Tag key={kind}>{t(`agreements.assetKinds.${kind}`)}</Tag>),
            },
            { title: t("review.need.purpose"), dataIndex: "purpose", width: 130, render: (purpose: Need["purpose"]) => t(`review.purposes.${purpose}`) },
            { title: t("review.need.quantity"), dataIndex: "quantity", width: 70 },
            { title: t("review.need.neededBy"), dataIndex: "needed_by", width: 110 },
            { title: t("review.need.status"), dataIndex: "status", width: 100, render: (status: NeedStatus) => <NeedStatusTag status={status} /> },
            { title: t("review.need.publishedAt"), dataIndex: "published_at", width: 150, render: formatDateTime },
          ]}
        />
      )}
      <NeedDrawer need={viewing} onClose={() => setViewing(null)} />
    </section>
  );
}
