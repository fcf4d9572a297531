// What each role sees in the side menu, and which roles may open each screen.
import {
  ApartmentOutlined,
  AuditOutlined,
  BarChartOutlined,
  DashboardOutlined,
  DatabaseOutlined,
  ApiOutlined,
  KeyOutlined,
  SolutionOutlined,
  WarningOutlined,
  SwapOutlined,
  TeamOutlined,
  UnorderedListOutlined,
} from "@ant-design/icons";
import type { ReactNode } from "react";
import type { Role } from "../api/client";

export type NavLabel =
  | "nav.dashboard"
  | "nav.assets"
  | "nav.needs"
  | "nav.requests"
  | "nav.review"
  | "nav.needsList"
  | "nav.statistics"
  | "nav.users"
  | "nav.oauthClients"
  | "nav.organisations"
  | "review.oversight.menu"
  | "webhooks.menu";

export interface NavItem {
  path: string;
  label: NavLabel;
  icon: ReactNode;
  roles: readonly Role[];
  group: "work" | "admin";
}

const OPERATORS: readonly Role[] = ["operator_admin", "operator_member"];

export const NAV_ITEMS: readonly NavItem[] = [
  { path: "/dashboard", label: "nav.dashboard", icon: <DashboardOutlined />, roles: OPERATORS, group: "work" },
  { path: "/assets", label: "nav.assets", icon: <DatabaseOutlined />, roles: OPERATORS, group: "work" },
  { path: "/needs", label: "nav.needs", icon: <SolutionOutlined />, roles: OPERATORS, group: "work" },
  { path: "/requests", label: "nav.requests", icon: <SwapOutlined />, roles: OPERATORS, group: "work" },
  { path: "/review", label: "nav.review", icon: <AuditOutlined />, roles: ["regulator"], group: "work" },
  {
    path: "/needs-list",
    label: "nav.needsList",
    icon: <UnorderedListOutlined />,
    roles: ["regulator"],
    group: "work",
  },
  { path: "/statistics", label: "nav.statistics", icon: <BarChartOutlined />, roles: ["regulator"], group: "work" },
  { path: "/oversight", label: "review.oversight.menu", icon: <WarningOutlined />, roles: ["regulator"], group: "work" },
  {
    path: "/organisations",
    label: "nav.organisations",
    icon: <ApartmentOutlined />,
    roles: ["platform_admin"],
    group: "admin",
  },
  {
    path: "/admin/users",
    label: "nav.users",
    icon: <TeamOutlined />,
    roles: ["operator_admin", "platform_admin"],
    group: "admin",
  },
  {
    path: "/admin/oauth-clients",
    label: "nav.oauthClients",
    icon: <KeyOutlined />,
    roles: ["operator_admin", "regulator"],
    group: "admin",
  },
  { path: "/admin/webhooks", label: "webhooks.menu", icon: <ApiOutlined />, roles: ["operator_admin", "regulator"], group: "admin" },
];

export function navItemsFor(role: Role): NavItem[] {
  return NAV_ITEMS.filter((item) => item.roles.includes(role));
}

/** Where a role lands after signing in. */
export function homePathFor(role: Role): string {
  return navItemsFor(role)[0]?.path ?? "/dashboard";
}

export function rolesFor(path: string): readonly Role[] {
  return NAV_ITEMS.find((item) => item.path === path)?.roles ?? [];
}
