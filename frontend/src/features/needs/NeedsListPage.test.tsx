import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { fakeApi, json, useLanguage } from "../../test/render";
import { pageOf } from "../../test/pages";
import { me, renderSignedIn } from "../../test/signedIn";
import { aNeed } from "./fixtures";
import NeedsListPage from "./NeedsListPage";

function needsApi(items: unknown[]) {
  return fakeApi({
    "GET /api/v1/needs": () => json({ items, total: items.length, page: 1, page_size: 50 }),
    "GET /api/v1/needs/n1/timeline": () => json([]),
    "GET /api/v1/regions": () => json(pageOf([])),
  });
}

describe("NeedsListPage", () => {
  beforeEach(() => useLanguage("zh-CN"));
  afterEach(() => vi.unstubAllGlobals());

  it("shows an operator the published needs, each linking to its page, without a status filter", async () => {
    const server = needsApi([aNeed({ status: "published" })]);
    vi.stubGlobal("fetch", server.fetch);
    renderSignedIn(<NeedsListPage />, { route: "/needs/published", path: "/needs/published" });
    expect(await screen.findByRole("link", { name: "南山科技园 5G 宏站挂高" })).toHaveAttribute("href", "/needs/n1");
    expect(screen.getByRole("heading", { name: "已发布需求" })).toBeInTheDocument();
    expect(screen.queryByRole("combobox", { name: "状态" })).not.toBeInTheDocument();
  });

  it("in the regulator's mode, filters by status from the address and opens a need in the review drawer", async () => {
    const server = needsApi([aNeed({ status: "returned", last_return_reason: "请补充坐标" })]);
    vi.stubGlobal("fetch", server.fetch);
    const user = userEvent.setup({ delay: null });
    renderSignedIn(<NeedsListPage regulator />, { route: "/needs-list?status=returned", path: "/needs-list", session: me("regulator") });
    expect(await screen.findByRole("heading", { name: "需求清单" })).toBeInTheDocument();
    expect(screen.getByRole("combobox", { name: "状态" })).toBeInTheDocument();
    await waitFor(() => expect(server.requests.some((r) => new URL(r.url).searchParams.getAll("status").join() === "returned")).toBe(true));
    const row = (await screen.findByRole("button", { name: "南山科技园 5G 宏站挂高" })).closest("tr") as HTMLElement;
    expect(within(row).getByText("已退回")).toBeInTheDocument();
    expect(screen.getByRole("link", { name: /导出 CSV/ })).toHaveAttribute("href", "/api/v1/needs/export.csv?status=returned");
    await user.click(within(row).getByRole("button", { name: "南山科技园 5G 宏站挂高" }));
    expect(await screen.findByText("请补充坐标")).toBeInTheDocument();
  });
});
