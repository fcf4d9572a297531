import { AimOutlined, CloudUploadOutlined, DownloadOutlined, PlusOutlined } from "@ant-design/icons";
import {
  Alert,
  Button,
  Card,
  Checkbox,
  Col,
  Dropdown,
  Empty,
  Grid,
  Input,
  Row,
  Select,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
} from "antd";
import { useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router";
import { assetKindValues, assetStatusValues } from "../../api/schema";
import { ErrorState } from "../../app/states";
import { AddonNumber } from "../../shared/AddonNumber";
import { PageHeader } from "../../shared/PageHeader";
import { useUrlFilters } from "../../shared/useUrlFilters";
import { useSession } from "../accounts/session";
import { bboxText, centreText, toCollections } from "../map/geometry";
import { MapView } from "../map/MapView";
import { useRegionsByCode } from "../regions/api";
import { RegionSelect } from "../regions/RegionSelect";
import { useAssetSearch, type AssetHit } from "./api";
import { FacetGroup, facetValues } from "./FacetFilters";
import {
  exportHref,
  assetFilterCodec,
  parseFilters,
  SORT_ORDERS,
  type AssetFilters,
} from "./filters";
import { isAssetKind, isAssetStatus } from "./kinds";
import { AssetStatusTag, formatDistance, useCapacityText, useOrganisationNames } from "./labels";

const MAX_PAGES = 500;

function ExportMenu({ filters }: { filters: AssetFilters }) {
  const { t } = useTranslation();
  const csv = exportHref(filters, "csv");
  const geojson = exportHref(filters, "geojson");
  // The tooltip wraps the button, not the Dropdown: a Dropdown takes no ref, so a Tooltip around
  // it could find the element it points at only through React's deprecated findDOMNode.
  return (
    <Dropdown
      menu={{
        items: [
          { key: "csv", label: <a href={csv.href} download>{t("assets.exportCsv")}</a> },
          { key: "geojson", label: <a href={geojson.href} download>{t("assets.exportGeojson")}</a> },
        ],
      }}
    >
      <Tooltip title={csv.partial ? t("assets.exportPartial") : t("assets.exportHint")}>
        <Button icon={<DownloadOutlined />} id="asset-export">
          {t("assets.export")}
        </Button>
      </Tooltip>
    </Dropdown>
  );
}

export default function AssetSearchPage() {
  const { t } = useTranslation();
  const me = useSession();
  const navigate = useNavigate();
  const { filters, change, replace: setFilters } = useUrlFilters(assetFilterCodec);
  const search = useAssetSearch(filters);
  const ownerName = useOrganisationNames();
  const capacityText = useCapacityText();
  const [selected, setSelected] = useState<string | null>(null);
  const [view, setView] = useState<[number, number, number, number] | null>(null);
  const [text, setText] = useState(filters.q);
  const tableRef = useRef<HTMLDivElement>(null);
  const wide = Grid.useBreakpoint().xl === true;
  const result = search.data;
  const hits = result?.items ?? [];
  const facets = result?.facets ?? {};
  const districtCodes = Object.keys(facets.district_code ?? {});
  const districts = useRegionsByCode(districtCodes);
  const districtName = (code: string) => districts.find((query) => query.data?.code === code)?.data?.name ?? code;
  const isOperator = me.role === "operator_admin" || me.role === "operator_member";

  const { points, lines } = useMemo(
    () => toCollections(hits.map(({ asset }) => ({ geometry: asset.geometry, properties: { id: asset.id, name: asset.name } }))),
    [hits],
  );

  const select = (id: string) => {
    setSelected(id);
    tableRef.current?.querySelector(`[data-row-key="${id}"]`)?.scrollIntoView({ block: "nearest" });
  };

  if (search.isError && !result) return <ErrorState error={search.error} onRetry={() => void search.refetch()} />;

  return (
    <section aria-labelledby="page-title">
      <PageHeader
        title={t("assets.title")}
        subtitle={t("assets.searchIntro")}
        extra={
          <>
            <ExportMenu filters={filters} />
            {isOperator ? (
              <>
                <Button icon={<CloudUploadOutlined />} onClick={() => navigate("/assets/import")}>
                  {t("assets.import.action")}
                </Button>
                <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate("/assets/new")}>
                  {t("assets.create")}
                </Button>
              </>
            ) : null}
          </>
        }
      />
      <Card size="small" style={{ marginBottom: 16 }}>
        <form
          role="search"
          aria-label={t("assets.searchLabel")}
          onSubmit={(event) => {
            event.preventDefault();
            change({ q: text });
          }}
        >
          <Space wrap size={[12, 8]} style={{ width: "100%" }}>
            <Input.Search
              id="asset-search-text"
              aria-label={t("assets.searchText")}
              placeholder={t("assets.searchPlaceholder")}
              allowClear
              value={text}
              onChange={(event) => setText(event.target.value)}
              onSearch={(value) => change({ q: value })}
              style={{ width: 260 }}
            />
            <RegionSelect
              id="asset-search-region"
              ariaLabel={t("assets.region")}
              placeholder={t("assets.anyRegion")}
              value={filters.region}
              onChange={(region) => change({ region })}
              style={{ width: 220 }}
            />
            <AddonNumber
              aria-label={t("assets.minFree")}
              before={t("assets.minFree")}
              min={0}
              value={filters.minFree}
              onChange={(value) => change({ minFree: value ?? undefined })}
              style={{ width: 170 }}
            />
            <Select
              aria-label={t("assets.sort")}
              value={filters.sort}
              onChange={(sort) => change({ sort })}
              style={{ width: 150 }}
              options={SORT_ORDERS.map((sort) => ({
                value: sort,
                label: t(`assets.sorts.${sort}`),
                disabled: sort === "distance" && !filters.near,
              }))}
            />
            <Checkbox
              checked={filters.owner === me.organisation.id}
              onChange={(event) => change({ owner: event.target.checked ? me.organisation.id : undefined })}
            >
              {t("assets.onlyMine")}
            </Checkbox>
            <Checkbox
              checked={!!filters.powerGuarantee}
              onChange={(event) => change({ powerGuarantee: event.target.checked || undefined })}
            >
              {t("assets.powerGuarantee")}
            </Checkbox>
            {filters.bbox ? (
              <Tag closable onClose={() => change({ bbox: undefined, near: undefined, sort: filters.sort === "distance" ? "relevance" : filters.sort })} closeIcon={<span aria-label={t("assets.clearArea")}>×</span>}>
                {t("assets.inMapArea")}
              </Tag>
            ) : null}
            <Button type="link" onClick={() => setFilters({ ...parseFilters(new URLSearchParams()), pageSize: filters.pageSize })}>
              {t("assets.clearFilters")}
            </Button>
          </Space>
        </form>
        <div style={{ display: "grid", gap: 6, marginTop: 12 }}>
          <FacetGroup
            id="facet-kind"
            title={t("assets.kind")}
            values={facetValues(facets.kind, filters.kind, (v) => (isAssetKind(v) ? t(`assets.kinds.${v}`) : v), assetKindValues)}
            selected={filters.kind}
            onChange={(kind) => change({ kind: kind.filter(isAssetKind) })}
          />
          <FacetGroup
            id="facet-status"
            title={t("assets.status")}
            values={facetValues(facets.status, filters.status, (v) => (isAssetStatus(v) ? t(`assets.statuses.${v}`) : v), assetStatusValues)}
            selected={filters.status}
            onChange={(status) => change({ status: status.filter(isAssetStatus) })}
          />
          <FacetGroup
            id="facet-industry"
            title={t("assets.ownerIndustry")}
            values={facetValues(facets.owner_industry, filters.industry, (v) => t(`industries.${v}` as "industries.other"))}
            selected={filters.industry}
            onChange={(industry) => change({ industry })}
          />
          <FacetGroup
            id="facet-district"
            title={t("assets.district")}
            values={facetValues(facets.district_code, filters.region ? [filters.region] : [], districtName)}
            selected={filters.region ? [filters.region] : []}
            onChange={(codes) => change({ region: codes.filter((code) => code !== filters.region)[0] })}
          />
        </div>
      </Card>
      {result?.degraded ? <Alert type="warning" showIcon message={t("assets.degraded")} style={{ marginBottom: 12 }} /> : null}
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={10}>
          <div style={{ display: "flex", justifyContent: "space-between", alignItems: "center", marginBottom: 8, gap: 8 }}>
            <Typography.Text type="secondary">{t("assets.mapShowsPage")}</Typography.Text>
            {/* Shown once the map has a view: a faded disabled button fails the contrast check. */}
            {view ? (
              <Button size="small" icon={<AimOutlined />} onClick={() => change({ bbox: bboxText(view), near: centreText(view) })}>
                {t("assets.searchThisArea")}
              </Button>
            ) : null}
          </div>
          <MapView
            points={points}
            lines={lines}
            selectedId={selected}
            label={t("assets.mapLabel")}
            height={wide ? 584 : 360}
            onSelect={(properties) => select(properties.id)}
            onMoveEnd={setView}
          />
        </Col>
        <Col xs={24} xl={14} ref={tableRef}>
          <Table<AssetHit>
            id="asset-results"
            rowKey={(hit) => hit.asset.id}
            size="small"
            loading={search.isFetching}
            dataSource={hits}
            scroll={{ x: 640, y: 520 }}
            onRow={(hit) => ({
              onClick: () => setSelected(hit.asset.id),
              style: hit.asset.id === selected ? { background: "#e6f4ff" } : undefined,
            })}
            title={() => (
              <Typography.Text strong aria-live="polite">
                {t(result?.total_exact === false ? "assets.foundAbout" : "assets.found", {
                  count: result?.total ?? 0,
                })}
              </Typography.Text>
            )}
            locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("assets.noResults")} /> }}
            pagination={{
              current: filters.page,
              pageSize: filters.pageSize,
              total: Math.min(result?.total ?? 0, MAX_PAGES * filters.pageSize),
              showSizeChanger: true,
              pageSizeOptions: [20, 50, 100, 200],
              size: "small",
              onChange: (page, pageSize) =>
                pageSize !== filters.pageSize ? change({ pageSize }) : setFilters({ ...filters, page }),
            }}
            columns={[
              {
                title: t("assets.name"),
                key: "name",
                render: (_, { asset }) => <Link to={`/assets/${asset.id}`}>{asset.name}</Link>,
              },
              { title: t("assets.kind"), key: "kind", width: 96, render: (_, { asset }) => t(`assets.kinds.${asset.kind}`) },
              { title: t("assets.status"), key: "status", width: 88, render: (_, { asset }) => <AssetStatusTag status={asset.status} /> },
              { title: t("assets.freeCapacity"), key: "free", width: 130, render: (_, { asset }) => capacityText(asset.capacity) },
              { title: t("assets.owner"), key: "owner", ellipsis: true, render: (_, { asset }) => ownerName(asset.owner_organisation_id) },
              ...(filters.near
                ? [{ title: t("assets.distance"), key: "distance", width: 90, render: (_: unknown, hit: AssetHit) => formatDistance(hit.distance_m) }]
                : []),
            ]}
          />
        </Col>
      </Row>
    </section>
  );
}
