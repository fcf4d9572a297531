import { PlusOutlined } from "@ant-design/icons";
import { App, Button, Empty, Popconfirm, Space, Table, Tag, Tooltip, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ErrorState } from "../../app/states";
import { formatDateTime } from "../../shared/format";
import { PageHeader } from "../../shared/PageHeader";
import { StatusTag } from "../../shared/StatusTag";
import { ProblemAlert } from "../../shared/problems";
import { useClients, useRevokeClient, useRotateSecret, type ClientRead, type ClientWithSecret } from "./api";
import { RegisterClientModal } from "./RegisterClientModal";
import { ScopeLabel } from "./ScopeLabel";
import { SecretModal } from "./SecretModal";

export default function ClientsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const clients = useClients();
  const rotate = useRotateSecret();
  const revoke = useRevokeClient();
  const [registering, setRegistering] = useState(false);
  const [secret, setSecret] = useState<ClientWithSecret | null>(null);

  if (clients.isError) return <ErrorState error={clients.error} onRetry={() => void clients.refetch()} />;

  return (
    <section aria-labelledby="page-title">
      <PageHeader
        title={t("oauth.title")}
        subtitle={t("oauth.intro")}
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setRegistering(true)}>
            {t("oauth.register")}
          </Button>
        }
      />
      <ProblemAlert error={rotate.error ?? revoke.error} />
      <Table<ClientRead>
        rowKey="id"
        size="middle"
        loading={clients.isPending}
        dataSource={clients.data}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        scroll={{ x: 1250 }}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("oauth.empty")} /> }}
        columns={[
          { title: t("oauth.name"), dataIndex: "name", width: 180 },
          {
            title: "client_id",
            dataIndex: "client_id",
            render: (id: string) => (
              <Typography.Text code copyable={{ tooltips: [t("common.copy"), t("common.copied")] }}>
                {id}
              </Typography.Text>
            ),
          },
          {
            title: t("oauth.kind"),
            dataIndex: "kind",
            render: (kind: ClientRead["kind"]) => t(`oauth.kinds.${kind}`),
          },
          {
            title: t("oauth.scopes"),
            dataIndex: "scope",
            render: (scope: string) => (
              <Space size={[0, 4]} wrap>
                {scope
                  .split(" ")
                  .filter(Boolean)
                  .map((name) => (
                    <Tooltip key={name} title={name}>
                      <Tag>
                        <ScopeLabel scope={name} />
                      </Tag>
                    </Tooltip>
                  ))}
              </Space>
            ),
          },
          {
            title: t("oauth.redirectUris"),
            dataIndex: "redirect_uris",
            render: (uris: string[]) =>
              uris.length ? uris.map((uri) => <div key={uri}>{uri}</div>) : <Typography.Text type="secondary">—</Typography.Text>,
          },
          { title: t("oauth.createdAt"), dataIndex: "created_at", render: formatDateTime },
          { title: t("oauth.secretRotatedAt"), dataIndex: "secret_rotated_at", render: formatDateTime },
          {
            title: t("oauth.status"),
            dataIndex: "revoked_at",
            render: (revokedAt: string | null) =>
              revokedAt ? (
                <StatusTag tone="bad">{t("oauth.revokedAt", { when: formatDateTime(revokedAt) })}</StatusTag>
              ) : (
                <StatusTag tone="good">{t("oauth.active")}</StatusTag>
              ),
          },
          {
            title: t("common.actions"),
            key: "actions",
            render: (_, client) =>
              client.revoked_at ? null : (
                <Space size="small">
                  {client.kind === "confidential" ? (
                    <Popconfirm
                      title={t("oauth.confirmRotate", { name: client.name })}
                      okText={t("oauth.rotate")}
                      cancelText={t("common.cancel")}
                      onConfirm={() => rotate.mutateAsync(client.id).then(setSecret, () => undefined)}
                    >
                      <Button size="small">{t("oauth.rotate")}</Button>
                    </Popconfirm>
                  ) : null}
                  <Popconfirm
                    title={t("oauth.confirmRevoke", { name: client.name })}
                    okText={t("oauth.revoke")}
                    okButtonProps={{ danger: true }}
                    cancelText={t("common.cancel")}
                    onConfirm={() =>
                      revoke
                        .mutateAsync(client.id)
                        .then(() => void message.success(t("oauth.revoked", { name: client.name })), () => undefined)
                    }
                  >
                    <Button size="small" danger>
                      {t("oauth.revoke")}
                    </Button>
                  </Popconfirm>
                </Space>
              ),
          },
        ]}
      />
      <RegisterClientModal open={registering} onClose={() => setRegistering(false)} onRegistered={setSecret} />
      <SecretModal client={secret} onClose={() => setSecret(null)} />
    </section>
  );
}
