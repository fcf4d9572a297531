import { screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { notificationEventValues } from "../../api/schema";
import { i18n } from "../../i18n";
import { fakeApi, json, renderWithProviders, useLanguage } from "../../test/render";
import type { Notification } from "./api";
import { NotificationsCard, eventKey } from "./Notifications";

const BASE = { need_id: null, asset_id: null, status: null, created_at: "2026-11-25T02:00:00Z", read_at: null };

const REQUEST: Notification = {
  ...BASE,
  id: "n1",
  request_id: "r1",
  event: "sharing_request.accept_counter",
  params: { asset_name: "福田站旁铁塔", units: 2, capacity_unit: "mounting_positions" },
  status: "accepted",
};
const NEAR: Notification = {
  ...BASE,
  id: "n2",
  request_id: null,
  need_id: "need-1",
  asset_id: "asset-1",
  event: "match.new",
  params: { need_title: "南山宏站", asset_name: "自有铁塔", distance_m: 250, location_precision: "exact" },
};
const APPROX: Notification = {
  ...NEAR,
  id: "n3",
  params: { need_title: "南山宏站", asset_name: "附近机房", distance_m: null, location_precision: "approx_1km" },
};
// Written before notifications carried data: shown as it was written.
const OLD: Notification = { ...REQUEST, id: "n4", event: "sharing_request.expire", params: { text: "旧的通知 old sentence" }, read_at: "2026-11-25T03:00:00Z" };

function showNotifications() {
  const server = fakeApi({ "GET /api/v1/notifications": () => json({ items: [REQUEST, NEAR, APPROX, OLD], unread: 3 }) });
  vi.stubGlobal("fetch", server.fetch);
  renderWithProviders(<NotificationsCard />, { route: "/dashboard" });
}

describe("notifications", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("words each event and its parameters in Chinese, linking to what it is about", async () => {
    await useLanguage("zh-CN");
    showNotifications();
    const request = await screen.findByRole("link", { name: "反报价已被接受：福田站旁铁塔 × 2 个挂载位" });
    expect(request).toHaveAttribute("href", "/requests/r1");
    expect(screen.getByRole("link", { name: "新的匹配资产：南山宏站 ← 自有铁塔（250 米）" })).toHaveAttribute("href", "/needs/need-1");
    expect(screen.getByRole("link", { name: "新的匹配资产：南山宏站 ← 附近机房（位置约 1 km 精度）" })).toHaveAttribute("href", "/needs/need-1");
    expect(screen.getByRole("link", { name: "协议已到期：旧的通知 old sentence" })).toHaveAttribute("href", "/requests/r1");
    const card = document.getElementById("notifications") as HTMLElement;
    expect(within(card).getAllByRole("button", { name: /^标为已读：/ })).toHaveLength(3); // the old one was read
  });

  it("words the same notifications in English", async () => {
    await useLanguage("en");
    showNotifications();
    expect(await screen.findByRole("link", { name: "Counter-offer accepted: 福田站旁铁塔 × 2 mounting positions" })).toHaveAttribute("href", "/requests/r1");
    expect(screen.getByRole("link", { name: "New match for your need: 南山宏站 ← 自有铁塔 (250 m)" })).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "New match for your need: 南山宏站 ← 附近机房 (location to about 1 km)" })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Mark all read" })).toBeInTheDocument();
  });

  it("has a label for every event the API can send, in both languages", () => {
    for (const language of ["zh-CN", "en"]) {
      // Each language's own file, without falling back on the other.
      const missing = notificationEventValues.filter((event) => typeof i18n.getResource(language, "translation", eventKey(event)) !== "string");
      expect(missing, language).toEqual([]);
    }
  });
});
