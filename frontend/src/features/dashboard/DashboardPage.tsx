import { Card, Col, Empty, List, Row, Space, Statistic, Typography } from "antd";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { assetStatusValues, needStatusValues } from "../../api/schema";
import { PageHeader } from "../../shared/PageHeader";
import { useSession } from "../accounts/session";
import { OPEN_STATUSES, useRequests, type SharingRequest } from "../agreements/api";
import { RequestDeadline } from "../agreements/Deadline";
import { RequestStatusTag } from "../agreements/RequestStatusTag";
import { MapView } from "../map/MapView";
import { collection, pointFeature, type PointCollection } from "../map/style";
import { useRegionChildren, type Region } from "../regions/api";
import { useAssetStatusCounts, useNeedCounts } from "./api";
import { NotificationsCard } from "./Notifications";
import { unitsText } from "../agreements/units";

/** Shenzhen: the demo city, and where the first assets will be. */
export const SHENZHEN_CODE = "440300";

/** Answers that are mine to give: the owner's first answer, the requester's answer to a counter. */
const MY_ANSWERS = new Set(["accept", "reject", "counter", "accept_counter", "reject_counter", "approve", "refuse", "uphold", "order_acceptance"]);

export function regionPoints(regions: readonly Region[]): PointCollection {
  return collection(
    regions
      .filter((region) => region.lon != null && region.lat != null)
      .map((region) => pointFeature(region.code, region.name, region.lon as number, region.lat as number)),
  );
}

/** Open requests split into those waiting for my answer and those past a deadline. */
export function triage(requests: readonly SharingRequest[]): { waiting: SharingRequest[]; overdue: SharingRequest[] } {
  return {
    waiting: requests.filter((request) => request.allowed_actions.some((action) => MY_ANSWERS.has(action))),
    overdue: requests.filter((request) => request.overdue),
  };
}

function CountGrid({ items }: { items: { key: string; label: string; value: number; to: string }[] }) {
  return (
    <Row gutter={[8, 8]}>
      {items.map((item) => (
        <Col key={item.key} span={12}>
          <Link to={item.to}>
            <Statistic title={item.label} value={item.value} valueStyle={{ fontSize: 20 }} />
          </Link>
        </Col>
      ))}
    </Row>
  );
}

function AssetsCard({ organisationId }: { organisationId: string }) {
  const { t } = useTranslation();
  const counts = useAssetStatusCounts(organisationId);
  return (
    <Card size="small" title={t("dashboard.cards.assetsByStatus")} loading={counts.isPending} id="card-assets" style={{ height: "100%" }}>
      {counts.data?.degraded ? (
        <Typography.Text type="secondary">{t("dashboard.searchDegraded", { total: counts.data.total })}</Typography.Text>
      ) : counts.data && counts.data.total === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("dashboard.noAssets")} />
      ) : (
        <CountGrid
          items={assetStatusValues.map((status) => ({
            key: status,
            label: t(`assets.statuses.${status}`),
            value: counts.data?.byStatus[status] ?? 0,
            to: `/assets?status=${status}`,
          }))}
        />
      )}
    </Card>
  );
}

function NeedsCard({ organisationId }: { organisationId: string }) {
  const { t } = useTranslation();
  const counts = useNeedCounts(organisationId);
  const shown = needStatusValues.filter((status) => ["draft", "submitted", "returned", "published", "matched", "fulfilled"].includes(status));
  return (
    <Card size="small" title={t("dashboard.cards.myNeeds")} loading={counts.isPending} id="card-needs" style={{ height: "100%" }}>
      {counts.data && counts.data.total === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("dashboard.noNeeds")} />
      ) : (
        <CountGrid
          items={shown.map((status) => ({
            key: status,
            label: t(`needs.statuses.${status}`),
            value: counts.data?.byStatus[status] ?? 0,
            to: `/needs?status=${status}`,
          }))}
        />
      )}
    </Card>
  );
}

function RequestList({ id, title, requests, loading, empty }: { id: string; title: string; requests: SharingRequest[]; loading: boolean; empty: string }) {
  const { t } = useTranslation();
  return (
    <Card
      size="small"
      id={id}
      title={
        <Space>
          {title}
          <Typography.Text type="secondary">{requests.length}</Typography.Text>
        </Space>
      }
      extra={<Link to="/requests">{t("dashboard.allRequests")}</Link>}
      style={{ height: "100%" }}
    >
      <List<SharingRequest>
        size="small"
        loading={loading}
        dataSource={requests.slice(0, 6)}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={empty} /> }}
        renderItem={(request) => (
          <List.Item>
            <Space direction="vertical" size={0} style={{ minWidth: 0 }}>
              <Space size={4} wrap>
                <Link to={`/requests/${request.id}`}>{request.asset.name}</Link>
                <RequestStatusTag status={request.status} />
              </Space>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {request.requester.name} → {request.owner.name} · {unitsText(t, request.units, request.asset.capacity_unit)}
              </Typography.Text>
              <RequestDeadline request={request} withParty />
            </Space>
          </List.Item>
        )}
      />
    </Card>
  );
}

function DistrictsCard() {
  const { t } = useTranslation();
  const districts = useRegionChildren(SHENZHEN_CODE);
  const points = useMemo(() => regionPoints(districts.data ?? []), [districts.data]);
  const [selected, setSelected] = useState<string | null>(null);
  return (
    <Card size="small" title={t("dashboard.mapTitle")} extra={<Typography.Text type="secondary">{t("dashboard.mapNote")}</Typography.Text>}>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={16}>
          <MapView points={points} label={t("dashboard.mapTitle")} onSelect={(properties) => setSelected(properties.id)} />
        </Col>
        <Col xs={24} lg={8}>
          <List<Region>
            size="small"
            bordered
            loading={districts.isPending}
            dataSource={districts.data ?? []}
            header={<Typography.Text strong>{t("dashboard.districts", { count: districts.data?.length ?? 0 })}</Typography.Text>}
            style={{ maxHeight: 420, overflow: "auto" }}
            renderItem={(region) => (
              <List.Item style={region.code === selected ? { background: "#e6f4ff" } : undefined}>
                <span>{region.name}</span>
                <Typography.Text type="secondary">{region.code}</Typography.Text>
              </List.Item>
            )}
          />
        </Col>
      </Row>
    </Card>
  );
}

export default function DashboardPage() {
  const { t } = useTranslation();
  const me = useSession();
  const open = useRequests({ status: [...OPEN_STATUSES], pageSize: 100 });
  const { waiting, overdue } = triage(open.data?.items ?? []);

  return (
    <section aria-labelledby="page-title">
      <PageHeader
        title={t("dashboard.title")}
        subtitle={t("dashboard.welcome", { name: me.user?.display_name ?? "", organisation: me.organisation.name })}
      />
      <Row gutter={[16, 16]}>
        <Col xs={24} md={12} xl={6}>
          <AssetsCard organisationId={me.organisation.id} />
        </Col>
        <Col xs={24} md={12} xl={6}>
          <NeedsCard organisationId={me.organisation.id} />
        </Col>
        <Col xs={24} md={12} xl={6}>
          <RequestList
            id="card-waiting"
            title={t("dashboard.cards.waitingForMe")}
            requests={waiting}
            loading={open.isPending}
            empty={t("dashboard.nothingWaiting")}
          />
        </Col>
        <Col xs={24} md={12} xl={6}>
          <RequestList
            id="card-overdue"
            title={t("dashboard.cards.overdue")}
            requests={overdue}
            loading={open.isPending}
            empty={t("dashboard.nothingOverdue")}
          />
        </Col>
        <Col xs={24} xl={8}>
          <NotificationsCard />
        </Col>
        <Col xs={24} xl={16}>
          <DistrictsCard />
        </Col>
      </Row>
    </section>
  );
}
