import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { fakeApi, json, renderWithProviders, useLanguage } from "../../test/render";
import { aRequest } from "./fixtures";
import RequestsPage from "./RequestsPage";

function page(items: unknown[]) {
  return json({ items, total: items.length, page: 1, page_size: 20 });
}

describe("RequestsPage", () => {
  beforeEach(() => useLanguage("zh-CN"));
  afterEach(() => vi.unstubAllGlobals());

  it("lists the inbox as owner, then the outbox as requester", async () => {
    const server = fakeApi({
      "GET /api/v1/sharing-requests": (request) => {
        const side = new URL(request.url).searchParams.get("side");
        return side === "owner" ? page([aRequest()]) : page([aRequest({ id: "r2", status: "active", allowed_actions: [] })]);
      },
    });
    vi.stubGlobal("fetch", server.fetch);
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<RequestsPage />, { route: "/requests" });
    const link = await screen.findByRole("link", { name: "福田站旁铁塔" });
    expect(link).toHaveAttribute("href", "/requests/r1");
    expect(screen.getByText("待答复")).toBeInTheDocument();
    expect(screen.getByText("中国移动深圳分公司")).toBeInTheDocument();
    expect(screen.getByText(/剩余 3 天/)).toBeInTheDocument();

    await user.click(screen.getByRole("tab", { name: "发件箱" }));
    expect(await screen.findByText("生效中")).toBeInTheDocument();
    expect(screen.getByText("中国铁塔深圳分公司")).toBeInTheDocument();
    await waitFor(() =>
      expect(server.requests.some((r) => new URL(r.url).searchParams.get("side") === "requester")).toBe(true),
    );
  });

  it("says when the inbox is empty", async () => {
    vi.stubGlobal("fetch", fakeApi({ "GET /api/v1/sharing-requests": () => page([]) }).fetch);
    renderWithProviders(<RequestsPage />, { route: "/requests" });
    expect(await screen.findByText("暂无收到的申请")).toBeInTheDocument();
  });
});
