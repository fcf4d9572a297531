import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { fakeApi, json, problem, renderWithProviders, uncovered, useLanguage } from "../../test/render";
import { aNeed } from "../needs/fixtures";
import type { Need } from "./api";
import ReviewQueuePage, { blockedTitles } from "./ReviewQueuePage";
import { ProblemError } from "../../api/problem";

function openConfirmation(): Promise<HTMLElement> {
  return waitFor(() => {
    const popup = document.querySelector<HTMLElement>(".ant-popconfirm");
    if (!popup) throw new Error("no confirmation yet");
    return popup;
  });
}

const SECOND = aNeed({ id: "n2", title: "福田华强北 边缘计算机房", wanted_kinds: ["machine_room"] });

function queue(needs: Need[]) {
  return json({ items: needs, total: needs.length, page: 1, page_size: 50 });
}

describe("ReviewQueuePage", () => {
  beforeEach(() => useLanguage("zh-CN"));
  afterEach(() => vi.unstubAllGlobals());

  it("publishes one need after a confirmation", async () => {
    let needs = [aNeed(), SECOND];
    const server = fakeApi({
      "GET /api/v1/needs/review-queue": () => queue(needs),
      "POST /api/v1/needs/n1/publish": () => {
        needs = [SECOND];
        return json(aNeed({ status: "published" }));
      },
    });
    vi.stubGlobal("fetch", server.fetch);
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<ReviewQueuePage />);
    await user.click(await uncovered(await screen.findByRole("button", { name: "发布 南山科技园 5G 宏站挂高" })));
    const confirm = await openConfirmation();
    await user.click(within(confirm).getByRole("button", { name: "发布" }));
    await waitFor(() => expect(screen.queryByText("南山科技园 5G 宏站挂高")).not.toBeInTheDocument());
    expect(screen.getByText("福田华强北 边缘计算机房")).toBeInTheDocument();
  });

  it("returns a need only with a reason, and sends it", async () => {
    const server = fakeApi({
      "GET /api/v1/needs/review-queue": () => queue([aNeed()]),
      "POST /api/v1/needs/n1/return": () => json(aNeed({ status: "returned" })),
    });
    vi.stubGlobal("fetch", server.fetch);
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<ReviewQueuePage />);
    await user.click(await uncovered(await screen.findByRole("button", { name: "退回 南山科技园 5G 宏站挂高" })));
    const dialog = await screen.findByRole("dialog");
    await user.click(within(dialog).getByRole("button", { name: "退回" }));
    expect(await within(dialog).findByText("请填写退回理由")).toBeInTheDocument();
    await user.type(within(dialog).getByLabelText("退回理由"), "请补充坐标");
    await user.click(within(dialog).getByRole("button", { name: "退回" }));
    await waitFor(() => expect(server.requests.some((r) => r.url.endsWith("/return"))).toBe(true));
    expect(await server.requests.find((r) => r.url.endsWith("/return"))?.json()).toEqual({ reason: "请补充坐标" });
  });

  it("publishes the selected needs at once, and names those that block the batch", async () => {
    const server = fakeApi({
      "GET /api/v1/needs/review-queue": () => queue([aNeed(), SECOND]),
      "POST /api/v1/needs/bulk-publish": () =>
        problem(422, "validation-error", "Invalid input", "1 need cannot be published", [
          { field: "ids[1]", message: "outside your jurisdiction" },
        ]),
    });
    vi.stubGlobal("fetch", server.fetch);
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<ReviewQueuePage />);
    await screen.findByText("福田华强北 边缘计算机房");
    await user.click(screen.getByRole("button", { name: "全选本页" }));
    const bulk = await screen.findByRole("button", { name: "批量发布（2）" });
    await waitFor(() => expect(bulk).toBeEnabled());
    await user.click(bulk);
    const confirm = await openConfirmation();
    await user.click(within(confirm).getByRole("button", { name: /批量发布/ }));
    expect(await screen.findByText("福田华强北 边缘计算机房: outside your jurisdiction")).toBeInTheDocument();
    expect(await server.requests.find((r) => r.url.endsWith("/bulk-publish"))?.json()).toEqual({ ids: ["n1", "n2"] });
  });

  it("says when nothing waits for review", async () => {
    vi.stubGlobal("fetch", fakeApi({ "GET /api/v1/needs/review-queue": () => queue([]) }).fetch);
    renderWithProviders(<ReviewQueuePage />);
    expect(await screen.findByText("没有待审核的需求")).toBeInTheDocument();
  });
});

describe("blockedTitles", () => {
  it("ignores errors that are not about one need", () => {
    const error = new ProblemError({ type: "/problems/x", title: "x", status: 422, detail: "x", errors: [{ field: "ids", message: "twice" }] });
    expect(blockedTitles(error, ["n1"], [aNeed()])).toEqual([]);
  });
});
