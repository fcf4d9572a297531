import { screen } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { fakeApi, json, problem, renderWithProviders, useLanguage } from "../test/render";
import { AppRoutes } from "./App";

const ORGANISATION = { id: "o1", name: "中国铁塔深圳分公司", industry: "telecom", kind: "operator", is_active: true, jurisdiction: [] };
const USER = { id: "u1", email: "e@tower.example", display_name: "工程师", locale: "zh-CN", is_active: true, created_at: "2026-11-25T00:00:00Z", last_login_at: null };

function signedInAs(role: string) {
  return fakeApi({
    "GET /api/v1/me": () => json({ user: { ...USER, role }, organisation: ORGANISATION, role, csrf_token: "t" }),
    "GET /api/v1/needs": () => json({ items: [], total: 0, page: 1, page_size: 50 }),
  }).fetch;
}

describe("app routes", () => {
  beforeEach(() => useLanguage("zh-CN"));
  afterEach(() => vi.unstubAllGlobals());

  it("sends visitors who are not signed in to the sign-in page", async () => {
    vi.stubGlobal(
      "fetch",
      fakeApi({ "GET /api/v1/me": () => problem(401, "not-authenticated", "Not signed in", "Sign in first.") }).fetch,
    );
    renderWithProviders(<AppRoutes />, { route: "/admin/users" });
    expect(await screen.findByRole("button", { name: "登录" })).toBeInTheDocument();
  });

  it("shows the header and the menu of the role", async () => {
    vi.stubGlobal("fetch", signedInAs("operator_member"));
    // A desktop window: the side menu rather than the phone's drawer.
    const matchMedia = window.matchMedia;
    vi.stubGlobal("matchMedia", (query: string) => ({ ...matchMedia(query), matches: query.includes("min-width") }));
    renderWithProviders(<AppRoutes />, { route: "/needs" });
    // The screen is its own chunk: the first import takes a while in a cold test run.
    expect(await screen.findByRole("heading", { name: "本单位需求" }, { timeout: 15_000 })).toBeInTheDocument();
    expect(screen.getByText("中国铁塔深圳分公司")).toBeInTheDocument();
    expect(screen.getByText("运营单位成员")).toBeInTheDocument();
    expect(screen.getByRole("menuitem", { name: /共享申请/ })).toBeInTheDocument();
    expect(screen.queryByRole("menuitem", { name: /用户管理/ })).not.toBeInTheDocument();
  });

  it("refuses screens the role may not open", async () => {
    vi.stubGlobal("fetch", signedInAs("operator_member"));
    renderWithProviders(<AppRoutes />, { route: "/admin/oauth-clients" });
    expect(await screen.findByText("无权访问")).toBeInTheDocument();
  });

  it("answers unknown addresses with a not-found page", async () => {
    vi.stubGlobal("fetch", signedInAs("regulator"));
    renderWithProviders(<AppRoutes />, { route: "/no/such/page" });
    expect(await screen.findByText("页面不存在")).toBeInTheDocument();
  });
});
