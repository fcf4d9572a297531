import { LockOutlined, MailOutlined } from "@ant-design/icons";
import { Button, Card, Form, Input, Space, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { Navigate, useLocation, useNavigate } from "react-router";
import { LanguageSwitch } from "../../app/LanguageSwitch";
import { homePathFor } from "../../app/navigation";
import { applyProblemToForm } from "../../shared/formProblems";
import { ProblemAlert } from "../../shared/problems";
import { useMe, useSignIn } from "./session";

interface SignInValues {
  email: string;
  password: string;
}

export default function SignInPage() {
  const { t } = useTranslation();
  const [form] = Form.useForm<SignInValues>();
  const me = useMe();
  const signIn = useSignIn();
  const navigate = useNavigate();
  const location = useLocation();
  const from = (location.state as { from?: string } | null)?.from;

  if (me.data) return <Navigate to={from ?? homePathFor(me.data.role)} replace />;

  return (
    <main
      style={{
        minHeight: "100vh",
        display: "flex",
        alignItems: "center",
        justifyContent: "center",
        background: "#f5f7fa",
        padding: 16,
      }}
    >
      <Card style={{ width: "100%", maxWidth: 400 }}>
        <Space direction="vertical" size="middle" style={{ width: "100%" }}>
          <div style={{ display: "flex", justifyContent: "flex-end" }}>
            <LanguageSwitch />
          </div>
          <div>
            <Typography.Title level={1} style={{ fontSize: 24, marginBottom: 4 }}>
              InfraShare
            </Typography.Title>
            <Typography.Text type="secondary">{t("app.tagline")}</Typography.Text>
          </div>
          <Typography.Title level={2} style={{ fontSize: 18, margin: 0 }}>
            {t("auth.signInTitle")}
          </Typography.Title>
          <Form<SignInValues>
            id="sign-in-form"
            form={form}
            layout="vertical"
            requiredMark={false}
            disabled={signIn.isPending}
            onValuesChange={() => signIn.isError && signIn.reset()}
            onFinish={(values) =>
              signIn.mutate(values, {
                onSuccess: (signedIn) => navigate(from ?? homePathFor(signedIn.role), { replace: true }),
                onError: (error) => applyProblemToForm(form, error),
              })
            }
          >
            <Form.Item
              label={t("auth.email")}
              name="email"
              rules={[
                { required: true, message: t("auth.emailRequired") },
                { type: "email", message: t("auth.emailInvalid") },
              ]}
            >
              <Input prefix={<MailOutlined aria-hidden />} type="email" autoComplete="username" autoFocus />
            </Form.Item>
            <Form.Item
              label={t("auth.password")}
              name="password"
              rules={[{ required: true, message: t("auth.passwordRequired") }]}
            >
              <Input.Password prefix={<LockOutlined aria-hidden />} autoComplete="current-password" />
            </Form.Item>
            <div id="sign-in-error" aria-live="polite" style={{ marginBottom: signIn.isError ? 16 : 0 }}>
              <ProblemAlert error={signIn.error} />
            </div>
            <Button type="primary" htmlType="submit" block loading={signIn.isPending}>
              {t("auth.signIn")}
            </Button>
          </Form>
          <Typography.Link href="/api/docs">{t("app.apiDocs")}</Typography.Link>
        </Space>
      </Card>
    </main>
  );
}
