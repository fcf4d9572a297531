import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { fakeApi, json, renderWithProviders, useLanguage } from "../../test/render";
import { pageOf } from "../../test/pages";
import WebhooksPage from "./WebhooksPage";

const SUBSCRIPTION = {
  id: "s1",
  url: "https://gis.example.com/hook",
  events: ["ping", "request.received"],
  region_codes: [],
  asset_kinds: [],
  is_active: true,
  created_at: "2026-11-25T00:00:00Z",
};
const EVENTS = { "request.received": "…", ping: "…" };

describe("WebhooksPage", () => {
  beforeEach(() => useLanguage("zh-CN"));
  afterEach(() => vi.unstubAllGlobals());

  it("subscribes a URL to events and shows the signing secret once", async () => {
    let subscriptions: unknown[] = [];
    const server = fakeApi({
      "GET /api/v1/webhooks": () => json(subscriptions),
      "GET /api/v1/webhooks/events": () => json(EVENTS),
      "GET /api/v1/regions": () => json(pageOf([{ code: "440000", name: "广东省", level: "province", parent_code: null }])),
      "POST /api/v1/webhooks": () => {
        subscriptions = [SUBSCRIPTION];
        return json({ ...SUBSCRIPTION, secret: "a".repeat(64) }, 201);
      },
    });
    vi.stubGlobal("fetch", server.fetch);
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<WebhooksPage />);
    expect(await screen.findByText("本单位还没有 Webhook 订阅")).toBeInTheDocument();

    await user.click(screen.getByRole("button", { name: /新建订阅/ }));
    const dialog = await screen.findByRole("dialog");
    await user.type(within(dialog).getByLabelText("接收地址"), "https://gis.example.com/hook");
    await user.click(await within(dialog).findByRole("checkbox", { name: /ping/ }));
    await user.click(within(dialog).getByRole("button", { name: "订阅" }));

    expect(await screen.findByText("a".repeat(64))).toBeInTheDocument();
    const body = await server.requests.find((r) => r.method === "POST")?.json();
    expect(body).toEqual({ url: "https://gis.example.com/hook", events: ["ping"], region_codes: [], asset_kinds: [] });
    await user.click(screen.getByRole("button", { name: "我已保存密钥" }));
    await waitFor(() => expect(screen.queryByText("a".repeat(64))).not.toBeInTheDocument());
    expect(await screen.findByText("https://gis.example.com/hook")).toBeInTheDocument();
  });

  it("queues a ping and opens the delivery log with its result", async () => {
    let deliveries: unknown[] = [];
    const server = fakeApi({
      "GET /api/v1/webhooks": () => json([SUBSCRIPTION]),
      "GET /api/v1/webhooks/events": () => json(EVENTS),
      "POST /api/v1/webhooks/s1/ping": () => {
        deliveries = [
          {
            id: "d1",
            event_type: "ping",
            status: "succeeded",
            attempts: 1,
            last_status_code: 204,
            last_error: null,
            created_at: "2026-11-25T00:00:00Z",
            delivered_at: "2026-11-25T00:00:01Z",
          },
        ];
        return json(deliveries[0], 202);
      },
      "GET /api/v1/webhooks/s1/deliveries": () => json(pageOf(deliveries)),
    });
    vi.stubGlobal("fetch", server.fetch);
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<WebhooksPage />);
    await user.click(await screen.findByRole("button", { name: /测试投递/ }));
    const log = await screen.findByRole("table", { name: "https://gis.example.com/hook 的投递记录" });
    expect(await within(log).findByText("成功")).toBeInTheDocument();
    expect(within(log).getByText("204")).toBeInTheDocument();
  });
});
