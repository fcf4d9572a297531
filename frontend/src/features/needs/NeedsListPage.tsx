import { DownloadOutlined } from "@ant-design/icons";
import { Button, Card, Col, DatePicker, Input, Row, Select, Space } from "antd";
import dayjs from "dayjs";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { assetKindValues, industryValues, needModeValues, needPurposeValues } from "../../api/schema";
import { ErrorState } from "../../app/states";
import { PageHeader } from "../../shared/PageHeader";
import { useUrlFilters } from "../../shared/useUrlFilters";
import { MapView } from "../map/MapView";
import { collection, pointFeature } from "../map/style";
import { RegionSelect } from "../regions/RegionSelect";
import { NeedDrawer } from "../review/NeedDrawer";
import { useNeeds, type NeedRead } from "./api";
import { needExportHref, needFilterCodec, NO_NEED_FILTERS, REVIEWABLE_STATUSES } from "./filters";
import { NeedsTable } from "./NeedsTable";

/**
 * The needs list, with exports: for operators the published needs (`/needs/published`); in the
 * regulator's mode (`/needs-list`) every state of the jurisdiction, and a need opens in the review drawer.
 */
export default function NeedsListPage({ regulator = false }: { regulator?: boolean }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { filters, change: set, replace } = useUrlFilters(needFilterCodec);
  const needs = useNeeds(filters);
  const [text, setText] = useState(filters.q);
  const [selected, setSelected] = useState<string | null>(null);
  const [viewing, setViewing] = useState<NeedRead | null>(null);
  const items = needs.data?.items ?? [];
  const points = useMemo(() => collection(items.map((need) => pointFeature(need.id, need.title, need.lon, need.lat))), [items]);

  if (needs.isError && !needs.data) return <ErrorState error={needs.error} onRetry={() => void needs.refetch()} />;
  return (
    <section aria-labelledby="page-title">
      <PageHeader
        title={regulator ? t("nav.needsList") : t("needs.published.title")}
        subtitle={regulator ? t("needs.published.regulatorIntro") : t("needs.published.intro")}
        extra={
          <>
            <Button icon={<DownloadOutlined />} href={needExportHref(filters, "csv")} id="needs-export-csv">
              {t("needs.exportCsv")}
            </Button>
            <Button icon={<DownloadOutlined />} href={needExportHref(filters, "xlsx")} id="needs-export-xlsx">
              {t("needs.exportXlsx")}
            </Button>
          </>
        }
      />
      <Card size="small" style={{ marginBottom: 16 }}>
        <form
          role="search"
          aria-label={t("needs.searchLabel")}
          onSubmit={(event) => {
            event.preventDefault();
            set({ q: text });
          }}
        >
          <Space wrap size={[12, 8]}>
            <Input.Search
              aria-label={t("needs.searchText")}
              placeholder={t("needs.searchPlaceholder")}
              allowClear
              value={text}
              onChange={(event) => setText(event.target.value)}
              onSearch={(q) => set({ q })}
              style={{ width: 220 }}
            />
            <RegionSelect
              ariaLabel={t("needs.fields.region_code")}
              placeholder={t("assets.anyRegion")}
              value={filters.region}
              onChange={(region) => set({ region })}
              style={{ width: 200 }}
            />
            {regulator ? (
              <Select
                mode="multiple"
                allowClear
                aria-label={t("needs.fields.status")}
                placeholder={t("needs.statuses.published")}
                value={filters.status}
                onChange={(status) => set({ status })}
                options={REVIEWABLE_STATUSES.map((value) => ({ value, label: t(`needs.statuses.${value}`) }))}
                style={{ minWidth: 160 }}
                id="needs-status-filter"
              />
            ) : null}
            <Select
              mode="multiple"
              allowClear
              aria-label={t("needs.fields.wanted_kinds")}
              placeholder={t("needs.fields.wanted_kinds")}
              value={filters.kind}
              onChange={(kind) => set({ kind })}
              options={assetKindValues.map((value) => ({ value, label: t(`assets.kinds.${value}`) }))}
              style={{ minWidth: 150 }}
            />
            <Select
              mode="multiple"
              allowClear
              aria-label={t("needs.fields.purpose")}
              placeholder={t("needs.fields.purpose")}
              value={filters.purpose}
              onChange={(purpose) => set({ purpose })}
              options={needPurposeValues.map((value) => ({ value, label: t(`needs.purposes.${value}`) }))}
              style={{ minWidth: 150 }}
            />
            <Select
              mode="multiple"
              allowClear
              aria-label={t("needs.fields.requesting_industry")}
              placeholder={t("needs.fields.requesting_industry")}
              value={filters.industry}
              onChange={(industry) => set({ industry })}
              options={industryValues.map((value) => ({ value, label: t(`industries.${value}`) }))}
              style={{ minWidth: 150 }}
            />
            <Select
              mode="multiple"
              allowClear
              aria-label={t("needs.fields.mode")}
              placeholder={t("needs.fields.mode")}
              value={filters.mode}
              onChange={(mode) => set({ mode })}
              options={needModeValues.map((value) => ({ value, label: t(`needs.modes.${value}`) }))}
              style={{ minWidth: 120 }}
            />
            <DatePicker.RangePicker
              aria-label={t("needs.publishedBetween")}
              placeholder={[t("needs.publishedSince"), t("needs.publishedUntil")]}
              allowEmpty={[true, true]}
              value={[
                filters.publishedSince ? dayjs(filters.publishedSince) : null,
                filters.publishedUntil ? dayjs(filters.publishedUntil) : null,
              ]}
              onChange={(range) =>
                set({
                  publishedSince: range?.[0]?.format("YYYY-MM-DD"),
                  publishedUntil: range?.[1]?.format("YYYY-MM-DD"),
                })
              }
            />
            <Button type="link" onClick={() => replace({ ...NO_NEED_FILTERS, pageSize: filters.pageSize })}>
              {t("assets.clearFilters")}
            </Button>
          </Space>
        </form>
      </Card>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={8}>
          <MapView
            points={points}
            selectedId={selected}
            label={t("needs.published.mapLabel")}
            height={640}
            onSelect={(properties) => setSelected(properties.id)}
          />
        </Col>
        <Col xs={24} xl={16}>
          <NeedsTable
            id="needs-list"
            items={items}
            total={needs.data?.total ?? 0}
            loading={needs.isFetching}
            filters={filters}
            selectedId={selected}
            onSelect={(id) => (id === selected ? navigate(`/needs/${id}`) : setSelected(id))}
            onOpen={regulator ? setViewing : undefined}
            onPage={(page, pageSize) => replace({ ...filters, page, pageSize })}
          />
        </Col>
      </Row>
      {regulator ? <NeedDrawer need={viewing} onClose={() => setViewing(null)} /> : null}
    </section>
  );
}
