import { EditOutlined } from "@ant-design/icons";
import { App, Button, Card, Col, Descriptions, Empty, Form, Input, List, Modal, Row, Space, Timeline, Typography } from "antd";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useParams } from "react-router";
import { needActionValues, needStatusValues } from "../../api/schema";
import { ErrorState, Loading } from "../../app/states";
import { formatDateTime } from "../../shared/format";
import { PageHeader } from "../../shared/PageHeader";
import { ProblemAlert } from "../../shared/problems";
import { useSession } from "../accounts/session";
import { useOrganisationNames } from "../assets/labels";
import { MapView } from "../map/MapView";
import { useMatches, useNeed, useNeedTimeline, useNeedVerb, type Match, type NeedRead, type NeedVerb } from "./api";
import { percent } from "./explain";
import type { NeedStatus } from "./filters";
import { NeedStatusTag } from "./NeedStatusTag";
import { MatchesPanel, needArea } from "./MatchesPanel";
import { RequestAccessModal } from "./RequestAccessModal";
import { useShortlist } from "./shortlist";

/** The verbs a person uses, in the lifecycle's order (editing has its own button; expiry is the clock's). */
const VERBS = needActionValues.filter((action): action is NeedVerb => action !== "edit" && action !== "expire");
const REASONED: readonly NeedVerb[] = ["return", "withdraw"];
const MATCHABLE = ["published", "matched"];

function VerbButtons({ need }: { need: NeedRead }) {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const verb = useNeedVerb(need.id);
  const [reasonFor, setReasonFor] = useState<NeedVerb | null>(null);
  const [form] = Form.useForm<{ reason: string }>();
  const allowed = VERBS.filter((name) => need.allowed_actions.includes(name));

  const run = (name: NeedVerb, reason?: string) =>
    verb.mutateAsync({ verb: name, reason }).then(
      () => {
        void message.success(t(`needs.verbs.done.${name}`));
        setReasonFor(null);
      },
      () => undefined,
    );

  return (
    <>
      {allowed.map((name) => (
        <Button
          key={name}
          type={name === "submit" || name === "publish" || name === "resubmit" ? "primary" : "default"}
          danger={name === "withdraw" || name === "return"}
          loading={verb.isPending && verb.variables?.verb === name}
          onClick={() => {
            if (REASONED.includes(name)) {
              form.resetFields();
              setReasonFor(name);
            } else if (name === "publish" || name === "submit" || name === "resubmit") {
              void run(name);
            } else {
              modal.confirm({
                title: t(`needs.verbs.confirm.${name}`, { title: need.title }),
                okText: t(`needs.verbs.${name}`),
                cancelText: t("common.cancel"),
                onOk: () => run(name),
              });
            }
          }}
        >
          {t(`needs.verbs.${name}`)}
        </Button>
      ))}
      <Modal
        open={reasonFor !== null}
        title={reasonFor ? t(`needs.verbs.${reasonFor}`) : ""}
        okText={reasonFor ? t(`needs.verbs.${reasonFor}`) : ""}
        okButtonProps={{ danger: true }}
        cancelText={t("common.cancel")}
        confirmLoading={verb.isPending}
        onCancel={() => setReasonFor(null)}
        onOk={() => form.submit()}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" onFinish={({ reason }) => reasonFor && void run(reasonFor, reason?.trim() || undefined)}>
          <ProblemAlert error={verb.error} />
          <Form.Item
            name="reason"
            label={t("needs.verbs.reason")}
            rules={reasonFor === "return" ? [{ required: true, whitespace: true, message: t("needs.verbs.reasonRequired") }] : []}
          >
            <Input.TextArea autoSize={{ minRows: 3 }} maxLength={2000} />
          </Form.Item>
        </Form>
      </Modal>
      {reasonFor === null ? <ProblemAlert error={verb.error} /> : null}
    </>
  );
}

function NeedTimeline({ need }: { need: NeedRead }) {
  const { t, i18n } = useTranslation();
  const timeline = useNeedTimeline(need.id);
  const ownerName = useOrganisationNames();
  if (timeline.isPending) return <Loading />;
  if (timeline.isError) return <ProblemAlert error={timeline.error} />;
  return (
    <Timeline
      items={[...timeline.data].reverse().map((entry) => {
        // Events named by what was done (submitted, returned, ...) have their own words; the others
        // (matched, fulfilled, expired) are named by the status they led to, in its one label.
        const key = `needs.timeline.${entry.action.replace("need.", "")}`;
        const status = entry.status as NeedStatus | null;
        const label = i18n.exists(key)
          ? t(key as "needs.timeline.created")
          : status && needStatusValues.includes(status)
            ? t(`needs.statuses.${status}`)
            : entry.action;
        return {
          key: entry.seq,
          children: (
            <div>
              <Typography.Text strong>{label}</Typography.Text>{" "}
              <Typography.Text type="secondary">
                {formatDateTime(entry.occurred_at)} · {ownerName(entry.actor_organisation_id)}
              </Typography.Text>
              {entry.reason ? <div>{t("needs.timeline.reason", { reason: entry.reason })}</div> : null}
            </div>
          ),
        };
      })}
    />
  );
}

function ShortlistCard({ need, onRequest }: { need: NeedRead; onRequest: (assetId: string) => void }) {
  const { t } = useTranslation();
  const shortlist = useShortlist(need.id);
  return (
    <Card size="small" title={t("needs.shortlist.title", { count: shortlist.entries.length })} id="need-shortlist">
      {shortlist.entries.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("needs.shortlist.empty")} />
      ) : (
        <List
          size="small"
          dataSource={shortlist.entries}
          renderItem={(entry) => (
            <List.Item
              actions={[
                <Button key="request" size="small" type="link" onClick={() => onRequest(entry.assetId)}>
                  {t("needs.request.short")}
                </Button>,
                <Button key="remove" size="small" type="link" danger onClick={() => shortlist.remove(entry.assetId)}>
                  {t("needs.shortlist.removeShort")}
                </Button>,
              ]}
            >
              <List.Item.Meta
                title={<Link to={`/assets/${entry.assetId}`}>{entry.name}</Link>}
                description={`${t(`assets.kinds.${entry.kind}` as "assets.kinds.tower")} · ${t("needs.matches.scoreLabel", { score: percent(entry.score) })}`}
              />
            </List.Item>
          )}
        />
      )}
      <Typography.Paragraph type="secondary" style={{ margin: "8px 0 0" }}>
        {t("needs.shortlist.local")}
      </Typography.Paragraph>
    </Card>
  );
}

export default function NeedDetailPage() {
  const { needId } = useParams();
  const { t } = useTranslation();
  const me = useSession();
  const navigate = useNavigate();
  const need = useNeed(needId);
  const [requesting, setRequesting] = useState<Match | null>(null);
  const area = useMemo(() => (need.data ? needArea(need.data) : {}), [need.data]);
  const showMatches =
    !!need.data && need.data.organisation_id === me.organisation.id && MATCHABLE.includes(need.data.status);
  const matches = useMatches(needId ?? "", showMatches);

  if (need.isPending) return <Loading />;
  if (need.isError) return <ErrorState error={need.error} onRetry={() => void need.refetch()} />;
  const item = need.data;
  const mine = item.organisation_id === me.organisation.id;

  return (
    <section aria-labelledby="page-title">
      <PageHeader
        title={item.title}
        subtitle={
          <Space wrap>
            <NeedStatusTag status={item.status} />
            {item.organisation_name} · {t(`needs.purposes.${item.purpose}`)} · {t(`needs.modes.${item.mode}`)}
          </Space>
        }
        extra={
          <>
            <Link to={mine ? "/needs" : me.role === "regulator" ? "/needs-list" : "/needs/published"}>{t("needs.back")}</Link>
            {item.allowed_actions.includes("edit") ? (
              <Button icon={<EditOutlined />} onClick={() => navigate(`/needs/${item.id}/edit`)}>
                {t("needs.edit")}
              </Button>
            ) : null}
            <VerbButtons need={item} />
          </>
        }
      />
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={14}>
          <Card size="small" title={t("needs.details")}>
            <Descriptions size="small" column={{ xs: 1, sm: 2, md: 2, lg: 2, xl: 2, xxl: 3 }} bordered>
              <Descriptions.Item label={t("needs.fields.wanted_kinds")}>
                {item.wanted_kinds.map((kind) => t(`assets.kinds.${kind}`)).join("、")}
              </Descriptions.Item>
              <Descriptions.Item label={t("needs.fields.quantity")}>{item.quantity}</Descriptions.Item>
              <Descriptions.Item label={t("needs.fields.needed_by")}>{item.needed_by}</Descriptions.Item>
              <Descriptions.Item label={t("needs.fields.region_code")}>
                {item.region_name} ({item.region_code})
              </Descriptions.Item>
              <Descriptions.Item label={t("needs.fields.area")}>
                {item.radius_m != null
                  ? t("needs.pointArea", { radius: item.radius_m })
                  : t("needs.routeArea", { corridor: item.corridor_m ?? 0 })}
              </Descriptions.Item>
              <Descriptions.Item label={t("needs.fields.requesting_industry")}>
                {t(`industries.${item.requesting_industry}`)}
              </Descriptions.Item>
              <Descriptions.Item label={t("needs.fields.contact")}>
                {[item.contact_name, item.contact_phone, item.contact_email].filter(Boolean).join(" · ") || "—"}
              </Descriptions.Item>
              {/* The long texts below each take a whole row, whatever the number of columns: the item before
                  them fills the rest of its row, and each of them fills its own. */}
              <Descriptions.Item label={t("needs.fields.published_at")} span="filled">
                {formatDateTime(item.published_at)}
              </Descriptions.Item>
              {item.last_return_reason ? (
                <Descriptions.Item label={t("needs.fields.last_return_reason")} span="filled">
                  {item.last_return_reason}
                </Descriptions.Item>
              ) : null}
              <Descriptions.Item label={t("needs.fields.description")} span="filled">
                <Typography.Paragraph style={{ margin: 0, whiteSpace: "pre-wrap" }}>{item.description || "—"}</Typography.Paragraph>
              </Descriptions.Item>
            </Descriptions>
          </Card>
        </Col>
        <Col xs={24} xl={10}>
          {showMatches ? (
            <ShortlistCard
              need={item}
              onRequest={(assetId) => {
                const match = matches.data?.matches.find((candidate) => candidate.asset.id === assetId);
                if (match) setRequesting(match);
                else navigate(`/assets/${assetId}`);
              }}
            />
          ) : (
            <Card size="small" title={t("needs.location")}>
              <MapView areas={area.areas} corridors={area.corridors} lines={area.route} label={t("needs.locationOf", { title: item.title })} height={280} />
            </Card>
          )}
        </Col>
        {showMatches ? (
          <Col xs={24}>
            <Card size="small" title={t("needs.matches.title")}>
              <Typography.Paragraph type="secondary">{t("needs.matches.intro")}</Typography.Paragraph>
              <MatchesPanel need={item} onRequest={setRequesting} />
            </Card>
          </Col>
        ) : mine ? (
          <Col xs={24}>
            <Card size="small" title={t("needs.matches.title")}>
              <Typography.Text type="secondary">{t("needs.matches.afterPublication")}</Typography.Text>
            </Card>
          </Col>
        ) : null}
        <Col xs={24}>
          <Card size="small" title={t("needs.timeline.title")}>
            <NeedTimeline need={item} />
          </Card>
        </Col>
      </Row>
      <RequestAccessModal
        open={requesting !== null}
        asset={requesting?.asset ?? null}
        need={item}
        onClose={() => setRequesting(null)}
      />
    </section>
  );
}
