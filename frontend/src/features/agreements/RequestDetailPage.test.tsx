import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { Route, Routes } from "react-router";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { fakeApi, json, problem, renderWithProviders, useLanguage } from "../../test/render";
import { aRequest } from "./fixtures";
import RequestDetailPage from "./RequestDetailPage";

const TIMELINE = [
  {
    seq: 1,
    occurred_at: "2026-11-25T02:00:00Z",
    action: "sharing_request.created",
    actor_organisation_id: "org-mobile",
    actor_user_id: "u1",
    status: "requested",
    reason_code: null,
    reason: null,
    hash: "h1",
  },
];

function renderDetail() {
  return renderWithProviders(
    <Routes>
      <Route path="/requests/:requestId" element={<RequestDetailPage />} />
    </Routes>,
    { route: "/requests/r1" },
  );
}

describe("RequestDetailPage", () => {
  beforeEach(() => useLanguage("zh-CN"));
  afterEach(() => vi.unstubAllGlobals());

  it("offers only the actions the API allows, with the owner's countdown and the timeline", async () => {
    vi.stubGlobal(
      "fetch",
      fakeApi({
        "GET /api/v1/sharing-requests/r1": () => json(aRequest()),
        "GET /api/v1/sharing-requests/r1/timeline": () => json(TIMELINE),
      }).fetch,
    );
    renderDetail();
    const actions = await screen.findByRole("button", { name: "接受" });
    const bar = actions.closest("#request-actions") as HTMLElement;
    expect(within(bar).getAllByRole("button").map((button) => button.textContent)).toEqual(["接受", "拒绝", "反报价"]);
    expect(screen.getByText("等待资源方答复")).toBeInTheDocument();
    expect(screen.getByText(/剩余 3 天 [45] 小时/)).toBeInTheDocument();
    expect(await screen.findByText("提交申请")).toBeInTheDocument();
    expect(screen.getAllByText(/中国移动深圳分公司/).length).toBeGreaterThan(1);
    expect(screen.getAllByText("2 个挂载位").length).toBeGreaterThan(0);
  });

  it("says so when there is nothing to do", async () => {
    vi.stubGlobal(
      "fetch",
      fakeApi({
        "GET /api/v1/sharing-requests/r1": () => json(aRequest({ status: "withdrawn", allowed_actions: [] })),
        "GET /api/v1/sharing-requests/r1/timeline": () => json(TIMELINE),
      }).fetch,
    );
    renderDetail();
    expect(await screen.findByText("当前状态下您没有可执行的操作。")).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "接受" })).not.toBeInTheDocument();
  });

  it("accepts after a confirmation and shows the new state", async () => {
    let current = aRequest();
    const server = fakeApi({
      "GET /api/v1/sharing-requests/r1": () => json(current),
      "GET /api/v1/sharing-requests/r1/timeline": () => json(TIMELINE),
      "POST /api/v1/sharing-requests/r1/accept": () => {
        current = aRequest({ status: "active", reserved_units: 2, allowed_actions: ["terminate"] });
        return json(current);
      },
    });
    vi.stubGlobal("fetch", server.fetch);
    const user = userEvent.setup({ delay: null });
    renderDetail();
    await user.click(await screen.findByRole("button", { name: "接受" }));
    expect(await screen.findByText("接受此申请并预留 2 个挂载位？")).toBeInTheDocument();
    const confirm = document.querySelector(".ant-popconfirm") as HTMLElement;
    await user.click(within(confirm).getByRole("button", { name: "接受" }));
    expect(await screen.findByRole("button", { name: "终止协议" })).toBeInTheDocument();
    expect(screen.getAllByText("生效中").length).toBeGreaterThan(0);
    expect(server.requests.some((r) => r.method === "POST" && r.url.endsWith("/accept"))).toBe(true);
  });

  it("sends only what the counter-offer changes", async () => {
    const server = fakeApi({
      "GET /api/v1/sharing-requests/r1": () => json(aRequest()),
      "GET /api/v1/sharing-requests/r1/timeline": () => json(TIMELINE),
      "POST /api/v1/sharing-requests/r1/counter": () => json(aRequest({ status: "countered", units: 1, allowed_actions: [] })),
    });
    vi.stubGlobal("fetch", server.fetch);
    const user = userEvent.setup({ delay: null });
    renderDetail();
    await user.click(await screen.findByRole("button", { name: "反报价" }));
    const dialog = await screen.findByRole("dialog");
    const units = within(dialog).getByLabelText(/数量/);
    await user.clear(units);
    await user.type(units, "1");
    await user.type(within(dialog).getByLabelText("说明（可选）"), "只剩一个挂载位");
    await user.click(within(dialog).getByRole("button", { name: "反报价" }));
    await waitFor(() => expect(server.requests.some((r) => r.url.endsWith("/counter"))).toBe(true));
    const body = await server.requests.find((r) => r.url.endsWith("/counter"))?.json();
    expect(body).toEqual({ units: 1, reason: "只剩一个挂载位" });
  });

  it("asks for a reason code and a reason to reject, and shows the server's field error", async () => {
    const server = fakeApi({
      "GET /api/v1/sharing-requests/r1": () => json(aRequest()),
      "GET /api/v1/sharing-requests/r1/timeline": () => json(TIMELINE),
      "POST /api/v1/sharing-requests/r1/reject": () =>
        problem(422, "validation-error", "Invalid input", "reason: too short", [{ field: "reason", message: "say more" }]),
    });
    vi.stubGlobal("fetch", server.fetch);
    const user = userEvent.setup({ delay: null });
    renderDetail();
    await user.click(await screen.findByRole("button", { name: "拒绝" }));
    const dialog = await screen.findByRole("dialog");
    await user.click(within(dialog).getByRole("button", { name: "拒绝" }));
    expect(await within(dialog).findByText("请选择拒绝原因")).toBeInTheDocument();
    expect(within(dialog).getByText("请填写理由")).toBeInTheDocument();
    expect(server.requests.some((r) => r.method === "POST")).toBe(false);

    await user.click(within(dialog).getByLabelText("拒绝原因"));
    await user.click(await screen.findByTitle("容量不足"));
    await user.type(within(dialog).getByLabelText("理由"), "满");
    await user.click(within(dialog).getByRole("button", { name: "拒绝" }));
    expect(await within(dialog).findByText("say more")).toBeInTheDocument();
    const body = await server.requests.find((r) => r.method === "POST")?.json();
    expect(body).toEqual({ reason_code: "no_capacity", reason: "满" });
  });
});
