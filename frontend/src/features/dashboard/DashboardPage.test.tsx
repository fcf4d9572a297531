import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { fakeApi, json, renderWithProviders, useLanguage } from "../../test/render";
import { pageOf } from "../../test/pages";
import { aRequest } from "../agreements/fixtures";
import DashboardPage, { triage } from "./DashboardPage";

const ME = {
  user: { id: "u", email: "a@tower.example", display_name: "管理员", locale: "zh-CN", is_active: true, created_at: "", last_login_at: null, role: "operator_admin" },
  organisation: { id: "org-tower", name: "中国铁塔深圳分公司", industry: "telecom", kind: "operator", is_active: true, jurisdiction: [] },
  role: "operator_admin",
  csrf_token: "t",
};

const NOTIFICATION = {
  id: "n1",
  request_id: "r1",
  need_id: null,
  asset_id: null,
  event: "sharing_request.created",
  params: { asset_name: "福田站旁铁塔", units: 2, capacity_unit: "mounting_positions" },
  status: "requested" as const,
  created_at: "2026-11-25T02:00:00Z",
  read_at: null,
};

describe("dashboard", () => {
  beforeEach(() => useLanguage("zh-CN"));
  afterEach(() => vi.unstubAllGlobals());

  it("shows my assets by status, my needs, what waits for me, and marks notifications read", async () => {
    let readAt: string | null = null;
    const server = fakeApi({
      "GET /api/v1/search/assets": () =>
        json({ items: [], total: 7, page: 1, page_size: 1, facets: { status: { available: 5, full: 2 } }, degraded: false }),
      "GET /api/v1/needs": () =>
        json({ items: [{ status: "published" }, { status: "published" }, { status: "draft" }], total: 3, page: 1, page_size: 500 }),
      "GET /api/v1/sharing-requests": () =>
        json({
          items: [aRequest(), aRequest({ id: "r2", overdue: true, overdue_party: "owner", allowed_actions: ["withdraw"] })],
          total: 2,
          page: 1,
          page_size: 100,
        }),
      "GET /api/v1/notifications": () => json(pageOf([{ ...NOTIFICATION, read_at: readAt }], { unread: readAt ? 0 : 1 })),
      "POST /api/v1/notifications/n1/read": () => {
        readAt = "2026-11-25T03:00:00Z";
        return json({ marked: 1 });
      },
      "GET /api/v1/regions": () => json(pageOf([])),
    });
    vi.stubGlobal("fetch", server.fetch);
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<DashboardPage />, { route: "/dashboard", me: ME });

    const assets = document.getElementById("card-assets") as HTMLElement;
    await waitFor(() => expect(within(assets).getByRole("link", { name: /可用\s*5/ })).toHaveAttribute("href", "/assets?status=available"));
    const needs = document.getElementById("card-needs") as HTMLElement;
    await waitFor(() => expect(within(needs).getByRole("link", { name: /已发布\s*2/ })).toBeInTheDocument());
    const waiting = document.getElementById("card-waiting") as HTMLElement;
    await waitFor(() => expect(within(waiting).getAllByRole("link", { name: "福田站旁铁塔" })).toHaveLength(1));
    const overdue = document.getElementById("card-overdue") as HTMLElement;
    expect(within(overdue).getByRole("link", { name: "福田站旁铁塔" })).toHaveAttribute("href", "/requests/r2");

    const note = await screen.findByRole("link", { name: "收到共享申请：福田站旁铁塔 × 2 个挂载位" });
    expect(note).toHaveAttribute("href", "/requests/r1");
    await user.click(screen.getByRole("button", { name: "标为已读：收到共享申请：福田站旁铁塔 × 2 个挂载位" }));
    await waitFor(() => expect(screen.queryByRole("button", { name: /^标为已读/ })).not.toBeInTheDocument());
    expect(server.requests.some((r) => r.method === "POST" && r.url.endsWith("/notifications/n1/read"))).toBe(true);
  });

  it("counts only my answers as waiting, and anything past a deadline as overdue", () => {
    const mine = aRequest();
    const theirs = aRequest({ id: "r2", allowed_actions: ["withdraw"], overdue: true });
    expect(triage([mine, theirs])).toEqual({ waiting: [mine], overdue: [theirs] });
  });

});
