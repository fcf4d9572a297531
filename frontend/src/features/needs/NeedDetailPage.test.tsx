import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { fakeApi, json, problem, useLanguage } from "../../test/render";
import { me, ORGANISATION_ID, renderSignedIn } from "../../test/signedIn";
import { sampleAsset as asset } from "../assets/sample";
import NeedDetailPage from "./NeedDetailPage";
import { SHORTLIST_KEY } from "./shortlist";

const NEED_ID = "00000000-0000-4000-8000-0000000000n1";
const TOWER_ID = "00000000-0000-4000-8000-0000000000a1";

function need(overrides: Record<string, unknown> = {}) {
  return {
    id: NEED_ID,
    organisation_id: ORGANISATION_ID,
    organisation_name: "中国移动深圳分公司（演示）",
    requesting_industry: "telecom",
    title: "科技园北区 5G 宏站挂载需求",
    purpose: "macro_site",
    mode: "share",
    wanted_kinds: ["tower"],
    geometry: { type: "Point", coordinates: [113.9437, 22.5461] },
    radius_m: 500,
    corridor_m: null,
    lon: 113.9437,
    lat: 22.5461,
    bbox: [113.9437, 22.5461, 113.9437, 22.5461],
    region_code: "440305",
    region_name: "南山区",
    quantity: 2,
    needed_by: "2027-02-25",
    description: "",
    contact_name: "",
    contact_phone: "",
    contact_email: "",
    status: "published",
    status_changed_at: "2026-11-25T00:00:00Z",
    submitted_at: "2026-11-25T00:00:00Z",
    last_submitted_at: "2026-11-25T00:00:00Z",
    published_at: "2026-11-25T00:00:00Z",
    returned_at: null,
    matched_at: null,
    closed_at: null,
    last_return_reason: null,
    reviewed_by_organisation_id: null,
    created_at: "2026-11-25T00:00:00Z",
    updated_at: "2026-11-25T00:00:00Z",
    allowed_actions: ["withdraw", "match"],
    ...overrides,
  };
}

const FACTORS = [
  { factor: "distance", score: 0.9, weight: 0.35, explanation: "50 m from the need (reach 500 m)" },
  { factor: "capacity", score: 1, weight: 0.25, explanation: "3 mounting_positions free of 2 needed" },
  { factor: "readiness", score: 1, weight: 0.2, explanation: "available now" },
  { factor: "kind", score: 1, weight: 0.1, explanation: "tower" },
  { factor: "text", score: 0.4, weight: 0.1, explanation: "relevance" },
];

function routes(extra: Record<string, (request: Request) => Response | Promise<Response>> = {}) {
  return fakeApi({
    [`GET /api/v1/needs/${NEED_ID}`]: () => json(need()),
    [`GET /api/v1/needs/${NEED_ID}/timeline`]: () =>
      json([{ seq: 1, occurred_at: "2026-11-25T00:00:00Z", action: "need.published", actor_user_id: null, actor_organisation_id: null, status: "published", reason: null }]),
    [`GET /api/v1/needs/${NEED_ID}/matches`]: () =>
      json({
        need_id: NEED_ID,
        degraded: false,
        matches: [
          { asset: asset(), score: 0.93, distance_m: 50, factors: FACTORS },
          { asset: asset({ id: "00000000-0000-4000-8000-0000000000a2", name: "高新中站旁铁塔" }), score: 0.71, distance_m: 420, factors: FACTORS },
        ],
      }),
    "GET /api/v1/organisations": () => json([]),
    ...extra,
  });
}

describe("NeedDetailPage", () => {
  beforeEach(async () => {
    await useLanguage("zh-CN");
    window.localStorage.clear();
  });
  afterEach(() => vi.unstubAllGlobals());

  it("ranks the matches, explains a score, and keeps a shortlist", async () => {
    vi.stubGlobal("fetch", routes().fetch);
    const user = userEvent.setup({ delay: null });
    renderSignedIn(<NeedDetailPage />, { route: `/needs/${NEED_ID}`, path: "/needs/:needId" });

    const first = await screen.findByRole("link", { name: "科技园北区铁塔" });
    const row = first.closest("tr") as HTMLElement;
    expect(row).toHaveTextContent("1");
    expect(within(row).getByRole("progressbar", { name: "得分 93" })).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "高新中站旁铁塔" })).toBeInTheDocument();

    await user.click(within(row).getByRole("button", { name: "展开行" }));
    const explanation = await screen.findByTestId("score-explanation");
    expect(explanation).toHaveTextContent("距需求位置 50 m（范围 500 m）");
    expect(explanation).toHaveTextContent("空闲 3 挂载位，需求 2");
    expect(explanation).toHaveTextContent("（权重 35%）");

    await user.click(within(row).getByRole("button", { name: "将 科技园北区铁塔 加入备选" }));
    const shortlist = document.getElementById("need-shortlist") as HTMLElement;
    expect(within(shortlist).getByText("备选清单（1）")).toBeInTheDocument();
    expect(within(shortlist).getByRole("link", { name: "科技园北区铁塔" })).toBeInTheDocument();
    expect(JSON.parse(window.localStorage.getItem(SHORTLIST_KEY) ?? "{}")[NEED_ID]).toHaveLength(1);
    expect(within(row).getByRole("button", { name: "将 科技园北区铁塔 移出备选" })).toHaveAttribute("aria-pressed", "true");
  });

  it("requests access for the need, and puts the API's field error on the field", async () => {
    let attempts = 0;
    const server = routes({
      "POST /api/v1/sharing-requests": () => {
        attempts += 1;
        return attempts === 1
          ? problem(422, "validation-error", "Invalid input", "units: the asset has 6 in total", [
              { field: "units", message: "the asset has 6 mounting_positions in total" },
            ])
          : json({ id: "r1", status: "requested" }, 201);
      },
    });
    vi.stubGlobal("fetch", server.fetch);
    const user = userEvent.setup({ delay: null });
    renderSignedIn(<NeedDetailPage />, { route: `/needs/${NEED_ID}`, path: "/needs/:needId" });

    await user.click(await screen.findByRole("button", { name: "申请使用 科技园北区铁塔" }));
    const dialog = await screen.findByRole("dialog", { name: "申请使用：科技园北区铁塔" });
    const units = within(dialog).getByLabelText("申请数量（挂载位）");
    expect(units).toHaveValue("2");
    expect(within(dialog).getByLabelText("开始日期")).toHaveValue("2027-02-25");
    expect(within(dialog).getByLabelText("结束日期")).toHaveValue("2030-02-24");
    expect(within(dialog).getByLabelText("年费（元，可选）")).toHaveValue("7200");
    await user.clear(units);
    await user.type(units, "9");
    await user.click(within(dialog).getByRole("button", { name: "提交申请" }));
    expect(await within(dialog).findByText("the asset has 6 mounting_positions in total")).toBeInTheDocument();

    await user.clear(units);
    await user.type(units, "1");
    await user.click(within(dialog).getByRole("button", { name: "提交申请" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    const bodies = await Promise.all(server.requests.filter((r) => r.method === "POST").map((r) => r.json()));
    expect(bodies[1]).toEqual({
      asset_id: TOWER_ID,
      need_id: NEED_ID,
      units: 1,
      start_date: "2027-02-25",
      end_date: "2030-02-24",
      annual_fee_cny: 7200,
      terms: "",
    });
  });

  it("offers a regulator the review verbs and no matches", async () => {
    const server = routes({
      [`GET /api/v1/needs/${NEED_ID}`]: () => json(need({ status: "submitted", allowed_actions: ["publish", "return"] })),
      [`POST /api/v1/needs/${NEED_ID}/return`]: () => json(need({ status: "returned", allowed_actions: [] })),
    });
    vi.stubGlobal("fetch", server.fetch);
    const user = userEvent.setup({ delay: null });
    renderSignedIn(<NeedDetailPage />, {
      route: `/needs/${NEED_ID}`,
      path: "/needs/:needId",
      session: { ...me("regulator", "深圳市通信管理局"), organisation: { ...me().organisation, id: "reg" } },
    });
    expect(await screen.findByRole("button", { name: "审核发布" })).toBeInTheDocument();
    expect(screen.queryByText("匹配资源")).not.toBeInTheDocument();

    await user.click(screen.getByRole("button", { name: "退回" }));
    const dialog = await screen.findByRole("dialog");
    await user.click(within(dialog).getByRole("button", { name: "退回" }));
    expect(await within(dialog).findByText("请填写退回原因")).toBeInTheDocument();
    await user.type(within(dialog).getByLabelText("原因"), "请补充天线挂高");
    await user.click(within(dialog).getByRole("button", { name: "退回" }));
    await waitFor(() => expect(server.requests.some((r) => r.url.endsWith("/return"))).toBe(true));
    const sent = await server.requests.find((r) => r.url.endsWith("/return"))?.json();
    expect(sent).toEqual({ reason: "请补充天线挂高" });
  });
});
