import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { fakeApi, json, useLanguage } from "../../test/render";
import { pageOf } from "../../test/pages";
import { renderSignedIn } from "../../test/signedIn";
import NeedFormPage from "./NeedFormPage";

const NANSHAN = { code: "440305", name: "南山区", short_name: "南山", pinyin: "nanshan", level: "county", parent_code: "440300", lon: 113.93, lat: 22.53 };
const NEED_ID = "00000000-0000-4000-8000-0000000000n1";

describe("NeedFormPage", () => {
  beforeEach(() => useLanguage("zh-CN"));
  afterEach(() => vi.unstubAllGlobals());

  it("posts a route with its corridor and submits it for review", async () => {
    const server = fakeApi({
      "GET /api/v1/regions": () => json(pageOf([NANSHAN])),
      "GET /api/v1/regions/440305": () => json({ ...NANSHAN, ancestors: [], children: [] }),
      "POST /api/v1/needs": () => json({ id: NEED_ID, status: "draft", title: "科苑路光缆路由" }),
      [`POST /api/v1/needs/${NEED_ID}/submit`]: () => json({ id: NEED_ID, status: "submitted", title: "科苑路光缆路由" }),
    });
    vi.stubGlobal("fetch", server.fetch);
    const user = userEvent.setup({ delay: null });
    renderSignedIn(<NeedFormPage />, { route: "/needs/new", path: "/needs/new" });

    await user.type(await screen.findByLabelText("需求标题"), "科苑路光缆路由");
    await user.click(screen.getByLabelText("管道"));
    await user.click(screen.getByText("路由 + 宽度"));
    const route = await screen.findByLabelText("路由坐标");
    await user.type(route, "113.95 22.53, 113.96 22.54");
    await user.tab();
    expect(await screen.findByText(/2 个拐点/)).toBeInTheDocument();
    await waitFor(() => expect(screen.getAllByLabelText("行政区划")[0].closest(".ant-form-item")).toHaveTextContent("南山区"));
    await user.click(screen.getByRole("button", { name: "保存并提交审核" }));

    await waitFor(() => expect(screen.getByTestId("location")).toHaveTextContent(`/needs/${NEED_ID}`));
    const posts = server.requests.filter((request) => request.method === "POST");
    expect(posts.map((request) => new URL(request.url).pathname)).toEqual(["/api/v1/needs", `/api/v1/needs/${NEED_ID}/submit`]);
    expect(await posts[0].json()).toMatchObject({
      title: "科苑路光缆路由",
      purpose: "macro_site",
      mode: "share",
      wanted_kinds: ["tower", "duct"],
      geometry: { type: "LineString", coordinates: [[113.95, 22.53], [113.96, 22.54]] },
      radius_m: null,
      corridor_m: 50,
      region_code: "440305",
      quantity: 1,
    });
  });
});
