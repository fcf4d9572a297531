// Webhook subscriptions of my organisation: subscribe, ping, read the delivery log, unsubscribe.
import { PlusOutlined, SendOutlined } from "@ant-design/icons";
import { Alert, App, Button, Descriptions, Empty, Modal, Popconfirm, Space, Table, Tag, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ErrorState } from "../../app/states";
import { formatDateTime } from "../../shared/format";
import { PageHeader } from "../../shared/PageHeader";
import { ProblemAlert } from "../../shared/problems";
import { StatusTag } from "../../shared/StatusTag";
import { useDeliveries, usePing, useSubscriptions, useUnsubscribe, type Delivery, type Subscription, type SubscriptionCreated } from "./api";
import { SubscribeModal } from "./SubscribeModal";

const DELIVERY_TONES = { pending: "neutral", succeeded: "good", gave_up: "bad" } as const;

export function DeliveryLog({ subscription }: { subscription: Subscription }) {
  const { t } = useTranslation();
  const deliveries = useDeliveries(subscription.id);
  if (deliveries.isError) return <ErrorState error={deliveries.error} onRetry={() => void deliveries.refetch()} />;
  return (
    <Table<Delivery>
      rowKey="id"
      size="small"
      className="delivery-log"
      aria-label={t("webhooks.deliveriesOf", { url: subscription.url })}
      loading={deliveries.isPending}
      dataSource={deliveries.data ?? []}
      pagination={false}
      scroll={{ x: 760 }}
      locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("webhooks.noDeliveries")} /> }}
      columns={[
        { title: t("webhooks.event"), dataIndex: "event_type", width: 190, render: (name: string) => <Typography.Text code>{name}</Typography.Text> },
        {
          title: t("webhooks.deliveryStatus"),
          dataIndex: "status",
          width: 110,
          render: (status: Delivery["status"]) => <StatusTag tone={DELIVERY_TONES[status]}>{t(`webhooks.deliveryStatuses.${status}`)}</StatusTag>,
        },
        { title: t("webhooks.attempts"), dataIndex: "attempts", width: 80 },
        { title: t("webhooks.httpStatus"), dataIndex: "last_status_code", width: 90, render: (code: number | null) => code ?? "—" },
        {
          title: t("webhooks.lastError"),
          dataIndex: "last_error",
          render: (error: string | null) => (error ? <Typography.Text type="danger">{error}</Typography.Text> : "—"),
        },
        { title: t("webhooks.queuedAt"), dataIndex: "created_at", width: 150, render: formatDateTime },
        { title: t("webhooks.deliveredAt"), dataIndex: "delivered_at", width: 150, render: formatDateTime },
      ]}
    />
  );
}

function SecretModal({ subscription, onClose }: { subscription: SubscriptionCreated | null; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal
      title={t("webhooks.secretTitle")}
      open={subscription !== null}
      onCancel={onClose}
      maskClosable={false}
      destroyOnHidden
      footer={
        <Button type="primary" onClick={onClose}>
          {t("webhooks.secretStored")}
        </Button>
      }
    >
      {subscription ? (
        <>
          <Alert type="warning" showIcon message={t("webhooks.secretOnce")} style={{ marginBottom: 16 }} />
          <Descriptions column={1} bordered size="small">
            <Descriptions.Item label={t("webhooks.url")}>{subscription.url}</Descriptions.Item>
            <Descriptions.Item label={t("webhooks.secret")}>
              <Typography.Text
                code
                copyable={{ tooltips: [t("common.copy"), t("common.copied")] }}
                id="webhook-secret"
                style={{ wordBreak: "break-all" }}
              >
                {subscription.secret}
              </Typography.Text>
            </Descriptions.Item>
          </Descriptions>
        </>
      ) : null}
    </Modal>
  );
}

export default function WebhooksPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const subscriptions = useSubscriptions();
  const ping = usePing();
  const unsubscribe = useUnsubscribe();
  const [creating, setCreating] = useState(false);
  const [secret, setSecret] = useState<SubscriptionCreated | null>(null);
  const [expanded, setExpanded] = useState<string[]>([]);

  if (subscriptions.isError) return <ErrorState error={subscriptions.error} onRetry={() => void subscriptions.refetch()} />;

  const showLog = (id: string) => setExpanded((ids) => (ids.includes(id) ? ids : [...ids, id]));

  return (
    <section aria-labelledby="page-title">
      <PageHeader
        title={t("webhooks.title")}
        subtitle={t("webhooks.intro")}
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
            {t("webhooks.create")}
          </Button>
        }
      />
      <ProblemAlert error={ping.error ?? unsubscribe.error} />
      <Table<Subscription>
        rowKey="id"
        size="middle"
        loading={subscriptions.isPending}
        dataSource={subscriptions.data}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        scroll={{ x: 980 }}
        expandable={{
          expandedRowKeys: expanded,
          onExpandedRowsChange: (keys) => setExpanded(keys.map(String)),
          expandedRowRender: (subscription) => <DeliveryLog subscription={subscription} />,
        }}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("webhooks.empty")} /> }}
        columns={[
          { title: t("webhooks.url"), dataIndex: "url", width: 240, render: (url: string) => <Typography.Text style={{ wordBreak: "break-all" }}>{url}</Typography.Text> },
          {
            title: t("webhooks.events"),
            dataIndex: "events",
            render: (events: string[]) => (
              <Space size={[0, 4]} wrap>
                {events.map((name) => (
                  <Tag key={name}>{name}</Tag>
                ))}
              </Space>
            ),
          },
          {
            title: t("webhooks.filters"),
            key: "filters",
            width: 130,
            render: (_, subscription) =>
              [...subscription.region_codes, ...subscription.asset_kinds.map((kind) => t(`assets.kinds.${kind as "tower"}`, kind))].join("、") ||
              t("webhooks.noFilters"),
          },
          {
            title: t("webhooks.status"),
            dataIndex: "is_active",
            width: 90,
            render: (active: boolean) =>
              active ? <StatusTag tone="good">{t("webhooks.active")}</StatusTag> : <StatusTag tone="neutral">{t("webhooks.stopped")}</StatusTag>,
          },
          { title: t("webhooks.createdAt"), dataIndex: "created_at", width: 140, render: formatDateTime },
          {
            title: t("common.actions"),
            key: "actions",
            width: 200,
            render: (_, subscription) => (
              <Space size="small" wrap>
                {subscription.is_active ? (
                  <Button
                    size="small"
                    icon={<SendOutlined />}
                    loading={ping.isPending && ping.variables === subscription.id}
                    onClick={() =>
                      ping.mutateAsync(subscription.id).then(() => {
                        showLog(subscription.id);
                        void message.success(t("webhooks.pinged"));
                      }, () => undefined)
                    }
                  >
                    {t("webhooks.ping")}
                  </Button>
                ) : null}
                {subscription.is_active ? (
                  <Popconfirm
                    title={t("webhooks.confirmUnsubscribe", { url: subscription.url })}
                    okText={t("webhooks.unsubscribe")}
                    okButtonProps={{ danger: true }}
                    cancelText={t("common.cancel")}
                    onConfirm={() =>
                      unsubscribe
                        .mutateAsync(subscription.id)
                        .then(() => void message.success(t("webhooks.unsubscribed")), () => undefined)
                    }
                  >
                    <Button size="small" danger>
                      {t("webhooks.unsubscribe")}
                    </Button>
                  </Popconfirm>
                ) : null}
              </Space>
            ),
          },
        ]}
      />
      <SubscribeModal open={creating} onClose={() => setCreating(false)} onSubscribed={setSecret} />
      <SecretModal subscription={secret} onClose={() => setSecret(null)} />
    </section>
  );
}
