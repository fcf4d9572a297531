import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { fakeApi, json, useLanguage } from "../../test/render";
import { pageOf } from "../../test/pages";
import { me, renderSignedIn } from "../../test/signedIn";
import AssetSearchPage from "./AssetSearchPage";
import { OWNER, sampleAsset as asset } from "./sample";

const ORGANISATIONS = [{ id: OWNER, name: "中国铁塔深圳分公司", industry: "telecom", kind: "operator", is_active: true, jurisdiction: [] }];

function searchApi(result: Record<string, unknown>) {
  return fakeApi({
    "GET /api/v1/search/assets": () =>
      json({
        items: [{ asset: asset(), distance_m: null }],
        total: 1,
        total_exact: true,
        page: 1,
        page_size: 50,
        facets: { kind: { tower: 12, duct: 3 }, status: { available: 15 }, owner_industry: { telecom: 15 }, district_code: { "440305": 15 } },
        degraded: false,
        ...result,
      }),
    "GET /api/v1/organisations": () => json(ORGANISATIONS),
    "GET /api/v1/regions": () => json(pageOf([])),
    "GET /api/v1/regions/440305": () =>
      json({ code: "440305", name: "南山区", short_name: "南山", pinyin: "nanshan", level: "county", parent_code: "440300", lon: 113.93, lat: 22.53, ancestors: [], children: [] }),
  });
}

describe("AssetSearchPage", () => {
  beforeEach(() => useLanguage("zh-CN"));
  afterEach(() => vi.unstubAllGlobals());

  it("shows facet counts, the results with their owners, and puts a picked facet in the address", async () => {
    const server = searchApi({});
    vi.stubGlobal("fetch", server.fetch);
    const user = userEvent.setup({ delay: null });
    renderSignedIn(<AssetSearchPage />, { route: "/assets?status=available", path: "/assets" });

    const link = await screen.findByRole("link", { name: "科技园北区铁塔" });
    const table = link.closest("#asset-results") as HTMLElement;
    expect(link).toHaveAttribute("href", "/assets/00000000-0000-4000-8000-0000000000a1");
    await waitFor(() => expect(table).toHaveTextContent("中国铁塔深圳分公司"));
    expect(table).toHaveTextContent("3 / 6 挂载位");
    expect(screen.getByText("共找到 1 项资源")).toBeInTheDocument();
    const kinds = screen.getByRole("group", { name: "类型" });
    expect(within(kinds).getByRole("checkbox", { name: /铁塔.*12/ })).not.toBeChecked();
    expect(within(screen.getByRole("group", { name: "状态" })).getByRole("checkbox", { name: /可用/ })).toBeChecked();
    expect(await within(screen.getByRole("group", { name: "所在区" })).findByText("南山区")).toBeInTheDocument();

    await user.click(within(kinds).getByRole("checkbox", { name: /管道/ }));
    await waitFor(() => expect(screen.getByTestId("location")).toHaveTextContent("/assets?kind=duct&status=available"));
    await waitFor(() => {
      const last = new URL(server.requests.filter((r) => r.url.includes("/search/assets")).at(-1)?.url ?? "");
      expect(last.searchParams.getAll("kind")).toEqual(["duct"]);
      expect(last.searchParams.getAll("status")).toEqual(["available"]);
    });
  });

  it("says when search is degraded to the database", async () => {
    vi.stubGlobal("fetch", searchApi({ degraded: true, facets: {} }).fetch);
    renderSignedIn(<AssetSearchPage />, { route: "/assets", path: "/assets" });
    expect(await screen.findByText(/搜索服务暂不可用/)).toBeInTheDocument();
  });

  it("says a map search's count is an estimate", async () => {
    vi.stubGlobal("fetch", searchApi({ total: 2084, total_exact: false }).fetch);
    renderSignedIn(<AssetSearchPage />, { route: "/assets?near=114.05,22.55&radius_m=1500", path: "/assets" });
    expect(await screen.findByText("约找到 2084 项资源（按地图范围搜索时为估算）")).toBeInTheDocument();
  });

  it("offers import and creation to operators only", async () => {
    vi.stubGlobal("fetch", searchApi({}).fetch);
    const { unmount } = renderSignedIn(<AssetSearchPage />, { route: "/assets", path: "/assets" });
    expect(await screen.findByRole("button", { name: /新建资源/ })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: /批量导入/ })).toBeInTheDocument();
    unmount();

    renderSignedIn(<AssetSearchPage />, { route: "/assets", path: "/assets", session: me("regulator", "深圳市通信管理局") });
    expect(await screen.findByRole("link", { name: "科技园北区铁塔" })).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: /新建资源/ })).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: /批量导入/ })).not.toBeInTheDocument();
  });
});
