import { Card, Col, Empty, List, Row, Typography } from "antd";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { PageHeader } from "../../shared/PageHeader";
import { useSession } from "../accounts/session";
import { MapView } from "../map/MapView";
import { collection, pointFeature, type PointCollection } from "../map/style";
import { useRegionChildren, type Region } from "../regions/api";

/** Shenzhen: the demo city, and where the first assets will be. */
export const SHENZHEN_CODE = "440300";

export function regionPoints(regions: readonly Region[]): PointCollection {
  return collection(
    regions
      .filter((region) => region.lon != null && region.lat != null)
      .map((region) => pointFeature(region.code, region.name, region.lon as number, region.lat as number)),
  );
}

const COMING = ["assetsByStatus", "myNeeds", "waitingForMe", "overdue", "notifications"] as const;

export default function DashboardPage() {
  const { t } = useTranslation();
  const me = useSession();
  const districts = useRegionChildren(SHENZHEN_CODE);
  const points = useMemo(() => regionPoints(districts.data ?? []), [districts.data]);
  const [selected, setSelected] = useState<string | null>(null);

  return (
    <section aria-labelledby="page-title">
      <PageHeader
        title={t("dashboard.title")}
        subtitle={t("dashboard.welcome", { name: me.user?.display_name ?? "", organisation: me.organisation.name })}
      />
      <Row gutter={[16, 16]}>
        {COMING.map((key) => (
          <Col key={key} xs={24} sm={12} xl={8} xxl={4}>
            <Card size="small" title={t(`dashboard.cards.${key}`)}>
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("comingSoon.title")} />
            </Card>
          </Col>
        ))}
        <Col xs={24}>
          <Card size="small" title={t("dashboard.mapTitle")} extra={<Typography.Text type="secondary">{t("dashboard.mapNote")}</Typography.Text>}>
            <Row gutter={[16, 16]}>
              <Col xs={24} lg={16}>
                <MapView
                  points={points}
                  label={t("dashboard.mapTitle")}
                  onSelect={(properties) => setSelected(properties.id)}
                />
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
        </Col>
      </Row>
    </section>
  );
}
