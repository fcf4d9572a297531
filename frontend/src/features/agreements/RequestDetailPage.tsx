// One request or agreement: the facts, what I may do now, the running deadline and the timeline.
import { PrinterOutlined } from "@ant-design/icons";
import { Alert, Card, Col, Descriptions, Empty, Row, Space, Timeline, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { ErrorState, Loading } from "../../app/states";
import { formatDateTime } from "../../shared/format";
import { PageHeader } from "../../shared/PageHeader";
import { useRequest, useTimeline, type SharingRequest, type TimelineEntry } from "./api";
import { Countdown, currentDeadline } from "./Deadline";
import { RequestActions } from "./RequestActions";
import { RequestStatusTag } from "./RequestStatusTag";
import { unitsText } from "./units";

type Translate = ReturnType<typeof useTranslation>["t"];

/** `sharing_request.accept` → the localised verb; unknown actions are shown as they are. */
export function timelineAction(t: Translate, action: string): string {
  const verb = action.split(".").pop() ?? action;
  const key = `agreements.timelineActions.${verb}`;
  // A key built at run time: a plain signature keeps the type checker off the whole key union.
  const text = (t as unknown as (key: string) => string)(key);
  return text === key ? action : text;
}

/** Who acted: one of the two parties by name, a regulator, or the system. */
export function actorName(t: Translate, request: SharingRequest, entry: TimelineEntry): string {
  const say = t as unknown as (key: string) => string; // see timelineAction
  if (!entry.actor_organisation_id) return say("agreements.actors.system");
  if (entry.actor_organisation_id === request.requester.id) return request.requester.name;
  if (entry.actor_organisation_id === request.owner.id) return request.owner.name;
  return say("agreements.actors.regulator");
}

function RequestTimeline({ request }: { request: SharingRequest }) {
  const { t } = useTranslation();
  const timeline = useTimeline(request.id);
  if (timeline.isPending) return <Loading />;
  if (timeline.isError) return <ErrorState error={timeline.error} onRetry={() => void timeline.refetch()} />;
  if (timeline.data.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />;
  return (
    <div id="request-timeline">
    <Timeline
      items={timeline.data.map((entry) => ({
        key: entry.seq,
        color: entry.status === "rejected" || entry.status === "disputed" ? "red" : entry.status === "active" ? "green" : "blue",
        children: (
          <div className="timeline-entry">
            <Typography.Text strong>{timelineAction(t, entry.action)}</Typography.Text>
            {entry.status ? (
              <Typography.Text type="secondary"> → {t(`agreements.status.${entry.status as SharingRequest["status"]}`, entry.status)}</Typography.Text>
            ) : null}
            <div>
              <Typography.Text type="secondary">
                {formatDateTime(entry.occurred_at)} · {actorName(t, request, entry)}
              </Typography.Text>
            </div>
            {entry.reason_code ? (
              <div>{t(`agreements.rejectionReasons.${entry.reason_code as "other"}`, entry.reason_code)}</div>
            ) : null}
            {entry.reason ? <Typography.Paragraph style={{ margin: 0 }}>{entry.reason}</Typography.Paragraph> : null}
          </div>
        ),
      }))}
    />
    </div>
  );
}

function Facts({ request }: { request: SharingRequest }) {
  const { t } = useTranslation();
  const unit = request.asset.capacity_unit;
  return (
    <Descriptions
      bordered
      size="small"
      // One column beside the timeline on laptop screens, two where there is room.
      column={{ xs: 1, sm: 1, md: 2, lg: 2, xl: 1, xxl: 2 }}
      id="request-facts"
      items={[
        { key: "requester", label: t("agreements.requester"), children: request.requester.name },
        { key: "owner", label: t("agreements.owner"), children: request.owner.name },
        {
          key: "asset",
          label: t("agreements.asset"),
          children: t("agreements.assetLine", {
            name: request.asset.name,
            kind: t(`assets.kinds.${request.asset.kind}`),
            region: request.asset.region_code,
          }),
        },
        { key: "units", label: t("agreements.units"), children: unitsText(t, request.units, unit) },
        { key: "reserved", label: t("agreements.reservedUnits"), children: unitsText(t, request.reserved_units, unit) },
        { key: "term", label: t("agreements.term"), children: `${request.start_date} ~ ${request.end_date}` },
        {
          key: "fee",
          label: t("agreements.annualFee"),
          children: request.annual_fee_cny == null ? "—" : `${request.annual_fee_cny.toLocaleString()} ${t("agreements.cny")}`,
        },
        { key: "created", label: t("agreements.createdAt"), children: formatDateTime(request.created_at) },
        { key: "ownerDue", label: t("agreements.ownerDueAt"), children: formatDateTime(request.owner_due_at) },
        { key: "reviewDue", label: t("agreements.reviewDueAt"), children: formatDateTime(request.review_due_at) },
        ...(request.activated_at
          ? [{ key: "activated", label: t("agreements.activatedAt"), children: formatDateTime(request.activated_at) }]
          : []),
        ...(request.notice_date ? [{ key: "notice", label: t("agreements.noticeDate"), children: request.notice_date }] : []),
        {
          key: "terms",
          label: t("agreements.terms"),
          span: "filled" as const,
          children: request.terms ? (
            <Typography.Paragraph style={{ whiteSpace: "pre-wrap", margin: 0 }}>{request.terms}</Typography.Paragraph>
          ) : (
            "—"
          ),
        },
        ...(request.last_reason
          ? [{ key: "reason", label: t("agreements.lastReason"), span: "filled" as const, children: request.last_reason }]
          : []),
      ]}
    />
  );
}

export default function RequestDetailPage() {
  const { t } = useTranslation();
  const { requestId = "" } = useParams();
  const request = useRequest(requestId);
  if (request.isPending) return <Loading />;
  if (request.isError) return <ErrorState error={request.error} onRetry={() => void request.refetch()} />;
  const r = request.data;
  const deadline = currentDeadline(r);

  return (
    <section aria-labelledby="page-title">
      <PageHeader
        title={
          <Space wrap>
            <span>{r.asset.name}</span>
            <RequestStatusTag status={r.status} />
          </Space>
        }
        subtitle={`${r.requester.name} → ${r.owner.name}`}
        extra={
          <Link to={`/requests/${r.id}/print`} id="print-view">
            <PrinterOutlined aria-hidden /> {t("agreements.printView")}
          </Link>
        }
      />
      {deadline ? (
        <Alert
          type={r.overdue ? "error" : "info"}
          showIcon
          style={{ marginBottom: 16 }}
          message={
            <Space wrap>
              <span>{t(`agreements.deadline.waitingFor.${deadline.party}`)}</span>
              <Countdown due={deadline.due} />
            </Space>
          }
        />
      ) : null}
      <Card size="small" title={t("agreements.whatYouCanDo")} style={{ marginBottom: 16 }}>
        {r.allowed_actions.some((action) => !["refer", "activate", "expire"].includes(action)) ? (
          <RequestActions request={r} />
        ) : (
          <Typography.Text type="secondary" id="no-actions">
            {t("agreements.nothingToDo")}
          </Typography.Text>
        )}
      </Card>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={14}>
          <Card size="small" title={t("agreements.details")}>
            <Facts request={r} />
          </Card>
        </Col>
        <Col xs={24} xl={10}>
          <Card size="small" title={t("agreements.timeline")}>
            <RequestTimeline request={r} />
          </Card>
        </Col>
      </Row>
    </section>
  );
}
