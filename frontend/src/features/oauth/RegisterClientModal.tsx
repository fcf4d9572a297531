import { Checkbox, Form, Input, Radio, Space, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { CreateInModal } from "../../shared/CreateInModal";
import { useRegisterClient, useSupportedScopes, type ClientWithSecret } from "./api";
import { ScopeLabel } from "./ScopeLabel";

interface RegisterValues {
  name: string;
  kind: "confidential" | "public";
  redirect_uris: string;
  scopes: string[];
}

function redirectUris(text: string | undefined): string[] {
  return (text ?? "")
    .split(/[\s,]+/)
    .map((uri) => uri.trim())
    .filter(Boolean);
}

export function RegisterClientModal({
  open,
  onClose,
  onRegistered,
}: {
  open: boolean;
  onClose: () => void;
  onRegistered: (client: ClientWithSecret) => void;
}) {
  const { t } = useTranslation();
  const register = useRegisterClient();
  const scopes = useSupportedScopes();
  return (
    <CreateInModal
      title={t("oauth.register")}
      open={open}
      onClose={onClose}
      okText={t("oauth.registerOk")}
      width={640}
      formId="register-client-form"
      initialValues={{ kind: "confidential", redirect_uris: "", scopes: [] }}
      mutation={register}
      toBody={(values: RegisterValues) => ({ ...values, redirect_uris: redirectUris(values.redirect_uris) })}
      onCreated={onRegistered}
    >
      <Form.Item label={t("oauth.name")} name="name" rules={[{ required: true, max: 200 }]}>
        <Input />
      </Form.Item>
      <Form.Item label={t("oauth.kind")} name="kind" extra={t("oauth.kindHint")}>
        <Radio.Group
          options={[
            { value: "confidential", label: t("oauth.kinds.confidential") },
            { value: "public", label: t("oauth.kinds.public") },
          ]}
        />
      </Form.Item>
      <Form.Item label={t("oauth.redirectUris")} name="redirect_uris" extra={t("oauth.redirectUrisHint")}>
        <Input.TextArea rows={3} placeholder="https://gis.example.com/oauth/callback" />
      </Form.Item>
      <Form.Item
        label={t("oauth.scopes")}
        name="scopes"
        rules={[{ required: true, type: "array", min: 1, message: t("oauth.scopesRequired") }]}
      >
        <Checkbox.Group style={{ width: "100%" }}>
          <Space direction="vertical">
            {(scopes.data ?? []).map((scope) => (
              <Checkbox key={scope} value={scope}>
                <ScopeLabel scope={scope} /> <Typography.Text type="secondary" code>{scope}</Typography.Text>
              </Checkbox>
            ))}
          </Space>
        </Checkbox.Group>
      </Form.Item>
    </CreateInModal>
  );
}
