import { screen } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { fakeApi, json, renderWithProviders, useLanguage } from "../../test/render";
import type { NeedStats } from "./api";
import StatisticsPage, { monthlyRows, pointsOf } from "./StatisticsPage";

const series = (name: string, keys: string[], values: number[], labels = keys) => ({ name, keys, labels, values });

const STATS: NeedStats = {
  generated_at: "2026-11-25T00:00:00Z",
  scope: ["440300"],
  region: null,
  total: 10,
  by_status: series("status", ["submitted", "published"], [3, 7]),
  by_kind: series("kind", ["tower"], [6]),
  by_industry: series("industry", ["telecom"], [10]),
  by_district: series("district", ["440305"], [4], ["南山区"]),
  by_month: series("month", ["2026-10", "2026-11"], [4, 6]),
  published_by_month: series("published", ["2026-11", "2026-12"], [5, 2]),
  awaiting_review: series("age", ["0-3", "4-7", "8-14", "15+"], [1, 1, 0, 1]),
  oldest_awaiting_review_days: 16.4,
  published_count: 7,
  matched_count: 2,
  match_rate: 0.2857,
  median_days_submitted_to_published: 3.5,
  median_days_published_to_matched: null,
  agreements_by_status: series("agreements", ["requested", "active"], [2, 1]),
  overdue_owner_answers: 1,
  overdue_regulator_reviews: 0,
};

const ME = {
  user: { id: "u", email: "r@x", display_name: "审核员", locale: "zh-CN", is_active: true, created_at: "", last_login_at: null, role: "regulator" },
  organisation: { id: "o", name: "深圳市通信管理局", industry: "telecom", kind: "regulator", is_active: true, jurisdiction: ["440300"] },
  role: "regulator",
  csrf_token: "t",
};

describe("statistics", () => {
  beforeEach(() => useLanguage("zh-CN"));
  afterEach(() => vi.unstubAllGlobals());

  it("shows the key figures and names each chart's values for screen readers", async () => {
    vi.stubGlobal(
      "fetch",
      fakeApi({
        "GET /api/v1/stats/needs": () => json(STATS),
        "GET /api/v1/regions/440300": () => json({ code: "440300", name: "深圳市", level: "city" }),
      }).fetch,
    );
    renderWithProviders(<StatisticsPage />, { route: "/statistics", me: ME });
    expect(await screen.findByText("28.6%")).toBeInTheDocument();
    expect(screen.getByText("16.4 天")).toBeInTheDocument();
    expect(screen.getByRole("img", { name: "需求状态: 待审核 3，已发布 7" })).toBeInTheDocument();
    expect(screen.getByRole("img", { name: /需求单位行业: 通信 10/ })).toBeInTheDocument();
    expect(screen.getByRole("link", { name: /导出 CSV/ })).toHaveAttribute("href", "/api/v1/stats/needs.csv");
  });

  it("puts months of submissions and publications on one axis", () => {
    expect(monthlyRows(STATS)).toEqual([
      { month: "2026-10", submitted: 4, published: 0 },
      { month: "2026-11", submitted: 6, published: 5 },
      { month: "2026-12", submitted: 0, published: 2 },
    ]);
  });

  it("keeps the server's labels unless told words for the keys", () => {
    expect(pointsOf(STATS.by_district)).toEqual([{ key: "440305", label: "南山区", value: 4 }]);
    expect(pointsOf(STATS.by_kind, () => "铁塔")).toEqual([{ key: "tower", label: "铁塔", value: 6 }]);
  });
});
