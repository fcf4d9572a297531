// The signed-in shell: side menu by role, header with organisation, role, language and sign-out.
import { LogoutOutlined, MenuOutlined, UserOutlined } from "@ant-design/icons";
import { App, Button, Drawer, Grid, Layout, Menu, Space, Tag, Typography, type MenuProps } from "antd";
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
  const screens = Grid.useBreakpoint();
  // Phones and narrow windows get the menu in a drawer instead of the side bar.
  const narrow = screens.lg === false;
  const [drawerOpen, setDrawerOpen] = useState(false);

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

  const navigation = (
    <nav aria-label={t("nav.main")}>
      <Menu
        mode="inline"
        items={groups}
        selectedKeys={selected}
        onClick={({ key }) => {
          setDrawerOpen(false);
          navigate(key);
        }}
        style={{ borderInlineEnd: "none" }}
      />
    </nav>
  );

  return (
    <Layout style={{ minHeight: "100vh" }}>
      {narrow ? (
        <Drawer
          placement="left"
          open={drawerOpen}
          onClose={() => setDrawerOpen(false)}
          width={240}
          title="InfraShare"
          styles={{ body: { padding: 0 } }}
        >
          {navigation}
        </Drawer>
      ) : (
        <Layout.Sider width={216} theme="light" style={{ borderRight: "1px solid #f0f0f0" }}>
          <div style={{ padding: "16px 20px", fontWeight: 600, fontSize: 16 }}>
            <a href="/" onClick={(event) => (event.preventDefault(), navigate("/"))} style={{ color: "inherit" }}>
              InfraShare
            </a>
          </div>
          {navigation}
        </Layout.Sider>
      )}
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
            {narrow ? (
              <Button
                type="text"
                icon={<MenuOutlined />}
                aria-label={t("nav.open")}
                aria-expanded={drawerOpen}
                onClick={() => setDrawerOpen(true)}
              />
            ) : null}
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
        <Layout.Content style={{ padding: narrow ? 12 : 24, minWidth: 0 }}>
          {/* Layout.Content is the page's <main> already. */}
          <Suspense fallback={<Loading />}>
            <Outlet />
          </Suspense>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
