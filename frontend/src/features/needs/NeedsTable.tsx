import { Empty, Table, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { formatDateTime } from "../../shared/format";
import type { NeedRead } from "./api";
import type { NeedFilters } from "./filters";
import { NeedTitleButton } from "../review/NeedDrawer";
import { NeedStatusTag } from "./NeedStatusTag";

export function NeedsTable({
  items,
  total,
  loading,
  filters,
  onPage,
  showOrganisation = true,
  selectedId,
  onSelect,
  onOpen,
  id,
}: {
  items: readonly NeedRead[];
  total: number;
  loading: boolean;
  filters: NeedFilters;
  onPage: (page: number, pageSize: number) => void;
  showOrganisation?: boolean;
  selectedId?: string | null;
  onSelect?: (id: string) => void;
  /** Opens a need where it is listed (the regulator's drawer) instead of on its own page. */
  onOpen?: (need: NeedRead) => void;
  id?: string;
}) {
  const { t } = useTranslation();
  return (
    <Table<NeedRead>
      id={id}
      rowKey="id"
      size="small"
      loading={loading}
      dataSource={[...items]}
      scroll={{ x: showOrganisation ? 966 : 796, y: 560 }}
      onRow={(need) => ({
        onClick: () => onSelect?.(need.id),
        style: need.id === selectedId ? { background: "#e6f4ff" } : undefined,
      })}
      title={() => (
        <Typography.Text strong aria-live="polite">
          {t("needs.found", { count: total })}
        </Typography.Text>
      )}
      locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("needs.none")} /> }}
      pagination={{
        current: filters.page,
        pageSize: filters.pageSize,
        total,
        size: "small",
        showSizeChanger: true,
        pageSizeOptions: [20, 50, 100, 200],
        onChange: onPage,
      }}
      columns={[
        {
          title: t("needs.fields.title"),
          key: "title",
          width: 260,
          render: (_, need) => (
            <div>
              {onOpen ? <NeedTitleButton need={need} onOpen={onOpen} /> : <Link to={`/needs/${need.id}`}>{need.title}</Link>}
              <div>
                <Typography.Text type="secondary">
                  {t(`needs.purposes.${need.purpose}`)} · {need.wanted_kinds.map((kind) => t(`assets.kinds.${kind}`)).join("、")}
                </Typography.Text>
              </div>
            </div>
          ),
        },
        ...(showOrganisation
          ? [
              {
                title: t("needs.fields.organisation"),
                key: "organisation",
                width: 170,
                ellipsis: { showTitle: true },
                render: (_: unknown, need: NeedRead) => need.organisation_name,
              },
            ]
          : []),
        { title: t("needs.fields.status"), key: "status", width: 96, render: (_, need) => <NeedStatusTag status={need.status} /> },
        { title: t("needs.fields.quantity"), dataIndex: "quantity", width: 80 },
        { title: t("needs.fields.region_code"), key: "region", width: 100, render: (_, need) => need.region_name },
        { title: t("needs.fields.needed_by"), dataIndex: "needed_by", width: 110 },
        {
          title: t("needs.fields.updated_at"),
          key: "updated",
          width: 150,
          render: (_, need) => formatDateTime(need.published_at ?? need.updated_at),
        },
      ]}
    />
  );
}
