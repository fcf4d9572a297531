import { Alert, Button, Descriptions, Modal, Typography } from "antd";
import { useTranslation } from "react-i18next";
import type { ClientWithSecret } from "./api";

/** The client secret, shown once: only its hash is stored on the server. */
export function SecretModal({ client, onClose }: { client: ClientWithSecret | null; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal
      title={t("oauth.secretTitle")}
      open={client !== null}
      onCancel={onClose}
      maskClosable={false}
      destroyOnHidden
      footer={
        <Button type="primary" onClick={onClose}>
          {t("oauth.secretStored")}
        </Button>
      }
    >
      {client ? (
        <>
          <Alert type="warning" showIcon message={t("oauth.secretOnce")} style={{ marginBottom: 16 }} />
          <Descriptions column={1} bordered size="small">
            <Descriptions.Item label={t("oauth.name")}>{client.name}</Descriptions.Item>
            <Descriptions.Item label="client_id">
              <Typography.Text code copyable={{ tooltips: [t("common.copy"), t("common.copied")] }} id="new-client-id">
                {client.client_id}
              </Typography.Text>
            </Descriptions.Item>
            <Descriptions.Item label="client_secret">
              {client.client_secret ? (
                <Typography.Text
                  code
                  copyable={{ tooltips: [t("common.copy"), t("common.copied")] }}
                  id="client-secret"
                  style={{ wordBreak: "break-all" }}
                >
                  {client.client_secret}
                </Typography.Text>
              ) : (
                <Typography.Text type="secondary">{t("oauth.noSecretPublic")}</Typography.Text>
              )}
            </Descriptions.Item>
          </Descriptions>
        </>
      ) : null}
    </Modal>
  );
}
