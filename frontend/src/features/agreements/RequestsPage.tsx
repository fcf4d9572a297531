// Inbox (requests for my organisation's assets) and outbox (requests we sent), filters in the URL.
import { Badge, Empty, Select, Space, Table, Tabs, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { requestStatusValues } from "../../api/schema";
import { ErrorState } from "../../app/states";
import { formatDateTime } from "../../shared/format";
import { PageHeader } from "../../shared/PageHeader";
import { oneOf, positiveParam, toSearchParams, useUrlFilters, type UrlFilterCodec } from "../../shared/useUrlFilters";
import { sideOf, useRequests, type Box, type RequestStatus, type SharingRequest } from "./api";
import { RequestDeadline } from "./Deadline";
import { RequestStatusTag } from "./RequestStatusTag";
import { unitsText } from "./units";

const PAGE_SIZE = 20;

interface RequestListFilters {
  box: Box;
  status: RequestStatus[];
  page: number;
}

/** Box, statuses and page in the address bar, so a filtered list can be shared. */
export const requestListCodec: UrlFilterCodec<RequestListFilters> = {
  parse: (params) => ({
    box: params.get("box") === "outbox" ? "outbox" : "inbox",
    status: params.getAll("status").filter(oneOf(requestStatusValues)),
    page: positiveParam(params.get("page"), 1),
  }),
  toParams: ({ box, status, page }) => toSearchParams({ box, status, page: page > 1 ? page : undefined }),
};

/** Requests waiting for my answer in the inbox (for the tab's badge). */
function useInboxWaiting() {
  return useRequests({ side: "owner", status: ["requested"], pageSize: 1 });
}

export function RequestTable({
  requests,
  loading,
  counterparty,
  pagination,
  emptyText,
}: {
  requests: SharingRequest[];
  loading: boolean;
  counterparty: "owner" | "requester" | "both";
  pagination?: { current: number; total: number; pageSize: number; onChange: (page: number) => void };
  emptyText: string;
}) {
  const { t } = useTranslation();
  const party = (request: SharingRequest) =>
    counterparty === "both" ? `${request.requester.name} → ${request.owner.name}` : request[counterparty].name;
  return (
    <Table<SharingRequest>
      rowKey="id"
      size="middle"
      loading={loading}
      dataSource={requests}
      scroll={{ x: 1000 }}
      pagination={
        pagination
          ? { ...pagination, showSizeChanger: false, hideOnSinglePage: true, showTotal: (total) => t("agreements.total", { total }) }
          : false
      }
      locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={emptyText} /> }}
      rowClassName={(request) => (request.overdue ? "request-overdue" : "")}
      columns={[
        {
          title: t("agreements.asset"),
          key: "asset",
          width: 240,
          render: (_, request) => (
            <Space direction="vertical" size={0}>
              <Link to={`/requests/${request.id}`}>{request.asset.name}</Link>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t(`assets.kinds.${request.asset.kind}`)} · {request.asset.region_code}
              </Typography.Text>
            </Space>
          ),
        },
        {
          title: counterparty === "owner" ? t("agreements.owner") : counterparty === "requester" ? t("agreements.requester") : t("agreements.parties"),
          key: "party",
          width: 220,
          render: (_, request) => party(request),
        },
        {
          title: t("agreements.units"),
          key: "units",
          width: 120,
          render: (_, request) => unitsText(t, request.units, request.asset.capacity_unit),
        },
        {
          title: t("agreements.term"),
          key: "term",
          width: 200,
          render: (_, request) => `${request.start_date} ~ ${request.end_date}`,
        },
        {
          title: t("agreements.statusLabel"),
          dataIndex: "status",
          width: 130,
          render: (status: RequestStatus) => <RequestStatusTag status={status} />,
        },
        {
          title: t("agreements.deadline.title"),
          key: "deadline",
          width: 190,
          render: (_, request) => <RequestDeadline request={request} />,
        },
        { title: t("agreements.changedAt"), dataIndex: "status_changed_at", width: 150, render: formatDateTime },
      ]}
    />
  );
}

export default function RequestsPage() {
  const { t } = useTranslation();
  const {
    filters: { box, status, page },
    change: update,
  } = useUrlFilters(requestListCodec);
  const requests = useRequests({ side: sideOf(box), status, page, pageSize: PAGE_SIZE });
  const waiting = useInboxWaiting();

  const list = (which: Box) =>
    requests.isError ? (
      <ErrorState error={requests.error} onRetry={() => void requests.refetch()} />
    ) : (
      <RequestTable
        requests={which === box ? (requests.data?.items ?? []) : []}
        loading={requests.isFetching}
        counterparty={which === "inbox" ? "requester" : "owner"}
        emptyText={t(which === "inbox" ? "agreements.emptyInbox" : "agreements.emptyOutbox")}
        pagination={{
          current: page,
          pageSize: PAGE_SIZE,
          total: requests.data?.total ?? 0,
          onChange: (next) => update({ page: next }),
        }}
      />
    );

  return (
    <section aria-labelledby="page-title">
      <PageHeader
        title={t("agreements.title")}
        subtitle={t("agreements.intro")}
        extra={
          <Select<RequestStatus[]>
            mode="multiple"
            allowClear
            aria-label={t("agreements.filterStatus")}
            placeholder={t("agreements.filterStatus")}
            value={status}
            onChange={(next) => update({ status: next })}
            options={requestStatusValues.map((value) => ({ value, label: t(`agreements.status.${value}`) }))}
            style={{ minWidth: 220, maxWidth: 420 }}
            maxTagCount="responsive"
          />
        }
      />
      <Tabs
        activeKey={box}
        onChange={(key) => update({ box: key as Box, status })}
        items={[
          {
            key: "inbox",
            label: (
              <span id="tab-inbox">
                {t("agreements.inbox")}{" "}
                <Badge count={waiting.data?.total ?? 0} size="small" color="#cf1322" title={t("agreements.waitingCount", { count: waiting.data?.total ?? 0 })} />
              </span>
            ),
            children: list("inbox"),
          },
          { key: "outbox", label: <span id="tab-outbox">{t("agreements.outbox")}</span>, children: list("outbox") },
        ]}
      />
    </section>
  );
}
