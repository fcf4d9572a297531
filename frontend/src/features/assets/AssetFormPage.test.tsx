import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { fakeApi, json, problem, useLanguage } from "../../test/render";
import { pageOf } from "../../test/pages";
import { renderSignedIn } from "../../test/signedIn";
import AssetFormPage from "./AssetFormPage";
import { sampleAsset } from "./sample";

const NANSHAN = { code: "440305", name: "南山区", short_name: "南山", pinyin: "nanshan", level: "county", parent_code: "440300", lon: 113.93, lat: 22.53 };
const FUTIAN = { ...NANSHAN, code: "440304", name: "福田区", pinyin: "futian", lon: 114.05, lat: 22.52 };

function formItem(label: string): HTMLElement {
  return screen.getAllByLabelText(label)[0].closest(".ant-form-item") as HTMLElement;
}

async function choose(user: ReturnType<typeof userEvent.setup>, label: string, option: string) {
  await user.click(screen.getByLabelText(label));
  const options = await screen.findAllByTitle(option);
  await user.click(options[options.length - 1]);
}

describe("AssetFormPage", () => {
  beforeEach(() => useLanguage("zh-CN"));
  afterEach(() => vi.unstubAllGlobals());

  it("creates a tower: the kind's attributes, the point typed in, the nearest district suggested", async () => {
    const server = fakeApi({
      "GET /api/v1/regions": () => json(pageOf([NANSHAN, FUTIAN])),
      "GET /api/v1/regions/440305": () => json({ ...NANSHAN, ancestors: [], children: [] }),
      "POST /api/v1/assets": async (request) => json(sampleAsset({ name: (await request.json()).name }), 201),
    });
    vi.stubGlobal("fetch", server.fetch);
    const user = userEvent.setup({ delay: null });
    renderSignedIn(<AssetFormPage />, { route: "/assets/new", path: "/assets/new" });

    await user.type(await screen.findByLabelText("名称"), "科技园北区铁塔");
    await user.type(screen.getByLabelText("总容量"), "6");
    await user.type(screen.getByLabelText("空闲容量"), "3");
    await user.type(screen.getByLabelText("高度（米）"), "35");
    await choose(user, "结构类型", "角钢塔");
    await user.type(screen.getByLabelText("挂载高度（米）"), "30; 33");
    await user.type(screen.getByLabelText("经度"), "113.9437");
    await user.type(screen.getByLabelText("纬度"), "22.5461");
    await user.tab();
    await waitFor(() => expect(formItem("行政区划")).toHaveTextContent("南山区 (440305)"));
    await user.click(screen.getByRole("button", { name: "创建资源" }));

    await waitFor(() => expect(screen.getByTestId("location")).toHaveTextContent("/assets/00000000-0000-4000-8000-0000000000a1"));
    const body = await server.requests.find((r) => r.method === "POST")?.json();
    expect(body).toMatchObject({
      kind: "tower",
      name: "科技园北区铁塔",
      geometry: { type: "Point", coordinates: [113.9437, 22.5461] },
      region_code: "440305",
      capacity: { total: 6, free: 3, power_guarantee: false },
      attributes: { kind: "tower", height_m: 35, structure_type: "lattice", mounting_heights_m: [30, 33] },
      visibility: "public",
      status: "available",
    });
  });

  it("puts the API's field errors on the fields, the kind's attributes included", async () => {
    const asset = sampleAsset();
    const server = fakeApi({
      "GET /api/v1/regions": () => json(pageOf([NANSHAN])),
      "GET /api/v1/regions/440305": () => json({ ...NANSHAN, ancestors: [], children: [] }),
      [`GET /api/v1/assets/${asset.id}`]: () => json(asset),
      [`PATCH /api/v1/assets/${asset.id}`]: () =>
        problem(422, "validation-error", "Invalid input", "2 errors", [
          { field: "body.attributes.tower.height_m", message: "Input should be less than or equal to 400" },
          { field: "capacity.free", message: "at most capacity.total" },
          { field: "version", message: "stale" },
        ]),
    });
    vi.stubGlobal("fetch", server.fetch);
    const user = userEvent.setup({ delay: null });
    renderSignedIn(<AssetFormPage />, { route: `/assets/${asset.id}/edit`, path: "/assets/:assetId/edit" });

    expect(await screen.findByRole("heading", { name: "编辑资源：科技园北区铁塔" })).toBeInTheDocument();
    expect(screen.getByLabelText("类型")).toBeDisabled();
    await user.click(screen.getByRole("button", { name: "保存" }));

    expect(await within(formItem("高度（米）")).findByText("Input should be less than or equal to 400")).toBeInTheDocument();
    expect(within(formItem("空闲容量")).getByText("at most capacity.total")).toBeInTheDocument();
    expect(screen.getByText("version: stale")).toBeInTheDocument();
    const body = await server.requests.find((r) => r.method === "PATCH")?.json();
    expect(body).toMatchObject({ version: 1, attributes: { height_m: 35, structure_type: "lattice" } });
    expect(body).not.toHaveProperty("kind");
  });
});
