import { EditOutlined, SendOutlined, StopOutlined } from "@ant-design/icons";
import { Alert, App, Button, Card, Col, Descriptions, Empty, Input, Popconfirm, Row, Space, Timeline, Typography } from "antd";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useParams } from "react-router";
import { ErrorState, Loading } from "../../app/states";
import { formatDateTime } from "../../shared/format";
import { PageHeader } from "../../shared/PageHeader";
import { ProblemAlert } from "../../shared/problems";
import { useSession } from "../accounts/session";
import { toCollections } from "../map/geometry";
import { MapView } from "../map/MapView";
import { RequestAccessModal } from "../needs/RequestAccessModal";
import { useRegionsByCode } from "../regions/api";
import { useAsset, useAssetHistory, useRetireAsset, type AssetEvent, type AssetRead } from "./api";
import { changedFields, shortValue } from "./history";
import { ATTRIBUTE_FIELDS } from "./kinds";
import { AssetStatusTag, useAttributeValue, useCapacityText, useOrganisationNames } from "./labels";

function useFieldLabel() {
  const { t, i18n } = useTranslation();
  return (field: string): string => {
    const key = field.startsWith("attributes.")
      ? `assets.attributes.${field.slice("attributes.".length)}`
      : `assets.fields.${field}`;
    return i18n.exists(key) ? t(key as "assets.fields.name") : field;
  };
}

function HistoryEvent({ event }: { event: AssetEvent }) {
  const { t, i18n } = useTranslation();
  const fieldLabel = useFieldLabel();
  const ownerName = useOrganisationNames();
  const attributeValue = useAttributeValue();
  const changes = event.action === "asset.created" ? [] : changedFields(event.before, event.after);
  const actionKey = `assets.history.actions.${event.action.replace("asset.", "")}`;
  return (
    <div>
      <Typography.Text strong>{i18n.exists(actionKey) ? t(actionKey as "assets.history.title") : event.action}</Typography.Text>{" "}
      <Typography.Text type="secondary">
        {formatDateTime(event.occurred_at)} · {event.actor_client_id ?? ownerName(event.actor_organisation_id)}
      </Typography.Text>
      {event.reason ? <div>{t("assets.history.reason", { reason: event.reason })}</div> : null}
      {changes.length ? (
        <ul style={{ margin: "4px 0 0", paddingInlineStart: 20 }}>
          {changes.map((change) => (
            <li key={change.field}>
              {change.field === "geometry"
                ? t("assets.history.moved", { field: fieldLabel(change.field) })
                : t("assets.history.change", {
                    field: fieldLabel(change.field),
                    before: shortValue(attributeValue(change.field.replace("attributes.", ""), change.before)),
                    after: shortValue(attributeValue(change.field.replace("attributes.", ""), change.after)),
                  })}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

function AssetHistory({ asset, enabled }: { asset: AssetRead; enabled: boolean }) {
  const { t } = useTranslation();
  const history = useAssetHistory(asset.id, enabled);
  if (!enabled) return <Typography.Text type="secondary">{t("assets.history.ownerOnly")}</Typography.Text>;
  if (history.isPending) return <Loading />;
  if (history.isError) return <ProblemAlert error={history.error} />;
  if (!history.data.length) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />;
  return (
    <Timeline
      items={[...history.data].reverse().map((event) => ({ key: event.seq, children: <HistoryEvent event={event} /> }))}
    />
  );
}

function RetireButton({ asset }: { asset: AssetRead }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const retire = useRetireAsset(asset.id);
  const [reason, setReason] = useState("");
  return (
    <>
      <Popconfirm
        title={t("assets.retireConfirm", { name: asset.name })}
        description={
          <Input.TextArea
            aria-label={t("assets.retireReason")}
            placeholder={t("assets.retireReason")}
            value={reason}
            onChange={(event) => setReason(event.target.value)}
            maxLength={2000}
          />
        }
        okText={t("assets.retire")}
        okButtonProps={{ danger: true }}
        cancelText={t("common.cancel")}
        onConfirm={() =>
          retire
            .mutateAsync({ version: asset.version, reason: reason.trim() || undefined })
            .then(() => void message.success(t("assets.retired", { name: asset.name })), () => undefined)
        }
      >
        <Button danger icon={<StopOutlined />} loading={retire.isPending}>
          {t("assets.retire")}
        </Button>
      </Popconfirm>
      <ProblemAlert error={retire.error} />
    </>
  );
}

export default function AssetDetailPage() {
  const { assetId } = useParams();
  const { t } = useTranslation();
  const me = useSession();
  const navigate = useNavigate();
  const asset = useAsset(assetId);
  const ownerName = useOrganisationNames();
  const capacityText = useCapacityText();
  const attributeValue = useAttributeValue();
  const [region] = useRegionsByCode(asset.data ? [asset.data.region_code] : []);
  const [requesting, setRequesting] = useState(false);
  const collections = useMemo(
    () =>
      asset.data
        ? toCollections([{ geometry: asset.data.geometry, properties: { id: asset.data.id, name: asset.data.name } }])
        : undefined,
    [asset.data],
  );

  if (asset.isPending) return <Loading />;
  if (asset.isError) return <ErrorState error={asset.error} onRetry={() => void asset.refetch()} />;
  const item = asset.data;
  const mine = item.owner_organisation_id === me.organisation.id;
  const isOperator = me.role === "operator_admin" || me.role === "operator_member";
  const exact = item.location_precision === "exact";
  const seesHistory = exact && (mine || me.role === "regulator" || me.role === "platform_admin");

  return (
    <section aria-labelledby="page-title">
      <PageHeader
        title={item.name}
        subtitle={
          <Space wrap>
            <AssetStatusTag status={item.status} />
            {t(`assets.kinds.${item.kind}`)} · {ownerName(item.owner_organisation_id)}
          </Space>
        }
        extra={
          <>
            <Link to="/assets">{t("assets.backToSearch")}</Link>
            {mine && isOperator && item.status !== "retired" ? (
              <>
                <Button icon={<EditOutlined />} onClick={() => navigate(`/assets/${item.id}/edit`)}>
                  {t("assets.edit")}
                </Button>
                <RetireButton asset={item} />
              </>
            ) : null}
            {!mine && isOperator && item.status !== "retired" ? (
              <Button type="primary" icon={<SendOutlined />} onClick={() => setRequesting(true)}>
                {t("needs.request.action")}
              </Button>
            ) : null}
          </>
        }
      />
      {!exact ? <Alert type="info" showIcon message={t("assets.approximate")} style={{ marginBottom: 16 }} /> : null}
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={14}>
          <Card size="small" title={t("assets.details")}>
            <Descriptions size="small" column={{ xs: 1, sm: 2, md: 2, lg: 2, xl: 2, xxl: 3 }} bordered>
              <Descriptions.Item label={t("assets.fields.capacity")}>{capacityText(item.capacity)}</Descriptions.Item>
              <Descriptions.Item label={t("assets.fields.power_kw")}>
                {item.capacity.power_kw ?? "—"}
                {item.capacity.power_guarantee ? ` · ${t("assets.powerGuarantee")}` : ""}
              </Descriptions.Item>
              <Descriptions.Item label={t("assets.fields.region_code")}>
                {region?.data ? `${region.data.name} (${item.region_code})` : item.region_code}
              </Descriptions.Item>
              <Descriptions.Item label={t("assets.fields.address")}>{item.address ?? "—"}</Descriptions.Item>
              <Descriptions.Item label={t("assets.fields.external_id")}>{item.external_id ?? "—"}</Descriptions.Item>
              <Descriptions.Item label={t("assets.fields.ready_date")}>{item.ready_date ?? "—"}</Descriptions.Item>
              <Descriptions.Item label={t("assets.fields.visibility")}>{t(`assets.visibilities.${item.visibility}`)}</Descriptions.Item>
              <Descriptions.Item label={t("assets.fields.updated_at")}>
                {formatDateTime(item.updated_at)} · v{item.version}
              </Descriptions.Item>
              {ATTRIBUTE_FIELDS[item.kind].map((field) => (
                <Descriptions.Item key={field.name} label={t(`assets.attributes.${field.name}`)}>
                  {attributeValue(field.name, item.attributes[field.name])}
                </Descriptions.Item>
              ))}
              <Descriptions.Item label={t("assets.fields.indicative_price_cny")}>
                {item.sharing.indicative_price_cny != null ? t("assets.pricePerUnitYear", { price: item.sharing.indicative_price_cny }) : "—"}
              </Descriptions.Item>
              {/* The long texts below each take a whole row, whatever the number of columns: the item before
                  them fills the rest of its row, and each of them fills its own. */}
              <Descriptions.Item label={t("assets.fields.lead_time_days")} span="filled">
                {item.sharing.lead_time_days != null ? t("assets.days", { count: item.sharing.lead_time_days }) : "—"}
              </Descriptions.Item>
              <Descriptions.Item label={t("assets.fields.sharing_terms")} span="filled">
                <Typography.Paragraph style={{ margin: 0, whiteSpace: "pre-wrap" }}>{item.sharing.terms || "—"}</Typography.Paragraph>
              </Descriptions.Item>
              <Descriptions.Item label={t("assets.fields.description")} span="filled">
                <Typography.Paragraph style={{ margin: 0, whiteSpace: "pre-wrap" }}>{item.description || "—"}</Typography.Paragraph>
              </Descriptions.Item>
            </Descriptions>
          </Card>
        </Col>
        <Col xs={24} xl={10}>
          <Card size="small" title={t("assets.location")}>
            <MapView points={collections?.points} lines={collections?.lines} label={t("assets.locationOf", { name: item.name })} height={300} />
          </Card>
        </Col>
        <Col xs={24}>
          <Card size="small" title={t("assets.history.title")} id="asset-history">
            <AssetHistory asset={item} enabled={seesHistory} />
          </Card>
        </Col>
      </Row>
      <RequestAccessModal open={requesting} asset={item} onClose={() => setRequesting(false)} />
    </section>
  );
}
