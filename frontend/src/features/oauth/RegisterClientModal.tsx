import { Checkbox, Form, Input, Modal, Radio, Space, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { applyProblemToForm } from "../../shared/formProblems";
import { ProblemAlert } from "../../shared/problems";
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
  const [form] = Form.useForm<RegisterValues>();
  const register = useRegisterClient();
  const scopes = useSupportedScopes();
  const close = () => {
    form.resetFields();
    register.reset();
    onClose();
  };
  return (
    <Modal
      title={t("oauth.register")}
      open={open}
      onCancel={close}
      okText={t("oauth.registerOk")}
      cancelText={t("common.cancel")}
      onOk={() => form.submit()}
      confirmLoading={register.isPending}
      destroyOnHidden
      width={640}
    >
      <Form<RegisterValues>
        form={form}
        id="register-client-form"
        layout="vertical"
        initialValues={{ kind: "confidential", redirect_uris: "", scopes: [] }}
        onFinish={(values) =>
          register.mutate(
            {
              name: values.name,
              kind: values.kind,
              redirect_uris: redirectUris(values.redirect_uris),
              scopes: values.scopes,
            },
            {
              onSuccess: (client) => {
                close();
                onRegistered(client);
              },
              onError: (error) => applyProblemToForm(form, error),
            },
          )
        }
      >
        <ProblemAlert error={register.error} />
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
      </Form>
    </Modal>
  );
}
