// The signed-in shell: side menu by role, header with organisation, role, language and sign-out.
import { LogoutOutlined, UserOutlined } from "@ant-design/icons";
import { App, Button, Layout, Menu, Space, Tag, Typography, type MenuProps } from "antd";
import { Suspense, useState } from "react";
import { useTranslation } from "react-i18next";
import { Outlet, useLocation, useNavigate } from "react-router";
import { useSession, useSignOut } from "../features/accounts/session";
import { LanguageSwitch } from "./LanguageSwitch";
import { navItemsFor } from "./navigation";
import { Loading } from "./states";

export function AppLayout() {
  const { t } = useTranslation();
  const me = useSession();
  const signOut = useSignOut();
  const navigate = useNavigate();
  const location = useLocation();
  const { message } = App.useApp();
  const [collapsed, setCollapsed] = useState(false);

  const items = navItemsFor(me.role);
  const groups: MenuProps["items"] = (["work", "admin"] as const)
    .map((group) => ({
      type: "group" as const,
      key: group,
      label: t(`nav.group.${group}`),
      children: items
        .filter((item) => item.group === group)
        .map((item) => ({ key: item.path, icon: item.icon, label: t(item.label) })),
    }))
    .filter((group) => group.children.length > 0);
  const selected = items
    .map((item) => item.path)
    .filter((path) => location.pathname === path || location.pathname.startsWith(`${path}/`));

  return (
    <Layout style={{ minHeight: "100vh" }}>
      <Layout.Sider
        breakpoint="lg"
        collapsedWidth={0}
        collapsed={collapsed}
        onCollapse={setCollapsed}
        width={216}
        theme="light"
        style={{ borderRight: "1px solid #f0f0f0" }}
      >
        <div style={{ padding: "16px 20px", fontWeight: 600, fontSize: 16 }}>
          <a href="/" onClick={(event) => (event.preventDefault(), navigate("/"))} style={{ color: "inherit" }}>
            InfraShare
          </a>
        </div>
        <nav aria-label={t("nav.main")}>
          <Menu
            mode="inline"
            items={groups}
            selectedKeys={selected}
            onClick={({ key }) => navigate(key)}
            style={{ borderInlineEnd: "none" }}
          />
        </nav>
      </Layout.Sider>
      <Layout>
        <Layout.Header
          style={{
            background: "#fff",
            borderBottom: "1px solid #f0f0f0",
            padding: "0 16px",
            display: "flex",
            alignItems: "center",
            justifyContent: "space-between",
            gap: 12,
            height: "auto",
            minHeight: 56,
            lineHeight: "normal",
            flexWrap: "wrap",
          }}
        >
          <Space id="who-am-i" size="small" wrap style={{ minWidth: 0 }}>
            <Typography.Text strong id="organisation-name">
              {me.organisation.name}
            </Typography.Text>
            <Tag color="blue" id="role">
              {t(`roles.${me.role}`)}
            </Tag>
            {me.user ? (
              <Typography.Text type="secondary" id="user-name">
                <UserOutlined aria-hidden /> {me.user.display_name}
              </Typography.Text>
            ) : null}
          </Space>
          <Space size="middle" wrap>
            <LanguageSwitch />
            <Button
              id="sign-out"
              icon={<LogoutOutlined />}
              loading={signOut.isPending}
              onClick={() =>
                signOut.mutate(undefined, {
                  onSuccess: () => navigate("/sign-in", { replace: true }),
                  onError: (error) => {
                    void message.error(error.message);
                    navigate("/sign-in", { replace: true });
                  },
                })
              }
            >
              {t("auth.signOut")}
            </Button>
          </Space>
        </Layout.Header>
        <Layout.Content style={{ padding: 24, minWidth: 0 }}>
          <main>
            <Suspense fallback={<Loading />}>
              <Outlet />
            </Suspense>
          </main>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
