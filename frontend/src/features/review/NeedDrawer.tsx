// A need as the regulator reviews it: what is wanted, where, by when, who to call, its history.
import { Button, Descriptions, Drawer, Empty, Space, Spin, Tag, Timeline, Typography } from "antd";
import { lazy, Suspense, useMemo, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { formatDateTime } from "../../shared/format";
import { collection, pointFeature } from "../map/style";
import { useNeedTimeline } from "../needs/api";
import { NeedStatusTag } from "../needs/NeedStatusTag";
import type { Need } from "./api";

const MapView = lazy(() => import("../map/MapView").then((module) => ({ default: module.MapView })));

function NeedMap({ need }: { need: Need }) {
  const { t } = useTranslation();
  const geometry = need.geometry as { type?: string; coordinates?: unknown };
  const points = useMemo(() => collection([pointFeature(need.id, need.title, need.lon, need.lat)]), [need]);
  const lines = useMemo(
    () =>
      geometry.type === "LineString"
        ? collection([
            {
              type: "Feature" as const,
              geometry: { type: "LineString" as const, coordinates: geometry.coordinates as [number, number][] },
              properties: { id: need.id, name: need.title },
            },
          ])
        : undefined,
    [geometry, need],
  );
  return (
    <Suspense fallback={<Spin />}>
      <MapView points={points} lines={lines} label={t("review.need.map", { title: need.title })} height={240} />
    </Suspense>
  );
}

function NeedHistory({ need }: { need: Need }) {
  const { t } = useTranslation();
  const timeline = useNeedTimeline(need.id);
  if (timeline.isPending) return <Spin />;
  if (!timeline.data?.length) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />;
  return (
    <Timeline
      items={timeline.data.map((entry) => ({
        key: entry.seq,
        children: (
          <div>
            <Typography.Text strong>
              {entry.status ? t(`needs.statuses.${entry.status as Need["status"]}`, entry.status) : entry.action}
            </Typography.Text>{" "}
            <Typography.Text type="secondary">{formatDateTime(entry.occurred_at)}</Typography.Text>
            {entry.reason ? <div>{entry.reason}</div> : null}
          </div>
        ),
      }))}
    />
  );
}

export function NeedDrawer({ need, onClose, extra }: { need: Need | null; onClose: () => void; extra?: ReactNode }) {
  const { t } = useTranslation();
  return (
    <Drawer
      open={need !== null}
      onClose={onClose}
      width="min(720px, 100vw)"
      title={need?.title}
      extra={extra}
      destroyOnHidden
    >
      {need ? (
        <Space direction="vertical" size="large" style={{ width: "100%" }}>
          <Descriptions
            bordered
            size="small"
            column={1}
            items={[
              { key: "status", label: t("review.need.status"), children: <NeedStatusTag status={need.status} /> },
              { key: "organisation", label: t("review.need.organisation"), children: need.organisation_name },
              { key: "region", label: t("review.need.region"), children: `${need.region_name} (${need.region_code})` },
              { key: "purpose", label: t("review.need.purpose"), children: t(`needs.purposes.${need.purpose}`) },
              { key: "mode", label: t("review.need.mode"), children: t(`needs.modes.${need.mode}`) },
              {
                key: "kinds",
                label: t("review.need.kinds"),
                children: need.wanted_kinds.map((kind) => <Tag key={kind}>{t(`assets.kinds.${kind}`)}</Tag>),
              },
              { key: "quantity", label: t("review.need.quantity"), children: need.quantity },
              {
                key: "where",
                label: t("review.need.where"),
                children:
                  need.radius_m != null
                    ? t("review.need.radius", { lon: need.lon.toFixed(5), lat: need.lat.toFixed(5), radius: need.radius_m })
                    : t("review.need.corridor", { corridor: need.corridor_m ?? 0 }),
              },
              { key: "neededBy", label: t("review.need.neededBy"), children: need.needed_by },
              { key: "submitted", label: t("review.need.submittedAt"), children: formatDateTime(need.last_submitted_at) },
              {
                key: "contact",
                label: t("review.need.contact"),
                children: [need.contact_name, need.contact_phone, need.contact_email].filter(Boolean).join(" · ") || "—",
              },
              {
                key: "description",
                label: t("review.need.description"),
                children: <Typography.Paragraph style={{ whiteSpace: "pre-wrap", margin: 0 }}>{need.description || "—"}</Typography.Paragraph>,
              },
              ...(need.last_return_reason
                ? [{ key: "returned", label: t("review.need.lastReturnReason"), children: need.last_return_reason }]
                : []),
            ]}
          />
          <NeedMap need={need} />
          <div>
            <Typography.Title level={3} style={{ fontSize: 16 }}>
              {t("review.need.history")}
            </Typography.Title>
            <NeedHistory need={need} />
          </div>
        </Space>
      ) : null}
    </Drawer>
  );
}

/** The need's title as the button that opens it in the drawer. */
export function NeedTitleButton({ need, onOpen }: { need: Need; onOpen: (need: Need) => void }) {
  return (
    <Button
      type="link"
      className="need-title"
      onClick={() => onOpen(need)}
      style={{ padding: 0, height: "auto", whiteSpace: "normal", textAlign: "start" }}
    >
      {need.title}
    </Button>
  );
}
