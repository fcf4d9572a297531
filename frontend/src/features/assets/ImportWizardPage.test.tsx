import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { fakeApi, json, problem, useLanguage } from "../../test/render";
import { renderSignedIn } from "../../test/signedIn";
import ImportWizardPage, { progressPercent } from "./ImportWizardPage";
import type { ImportJob } from "./api";

const CSV = "external_id,kind,name\nSZ-TWR-0001,tower,科技园北区铁塔\n";

function job(overrides: Partial<ImportJob>): ImportJob {
  return {
    id: "00000000-0000-4000-8000-00000000j0b1",
    status: "queued",
    format: "csv",
    filename: "assets.csv",
    content_digest: "x",
    rows_total: 8,
    rows_validated: 0,
    rows_written: 0,
    created_count: 0,
    updated_count: 0,
    unchanged_count: 0,
    error_count: 0,
    detail: null,
    created_at: "2026-11-25T00:00:00Z",
    finished_at: null,
    errors: [],
    ...overrides,
  };
}

async function upload(user: ReturnType<typeof userEvent.setup>, name = "assets.csv") {
  const input = document.querySelector("input[type=file]") as HTMLInputElement;
  await user.upload(input, new File([CSV], name, { type: "text/csv" }));
  expect(await screen.findByText(name)).toBeInTheDocument();
  await user.click(screen.getByRole("button", { name: "开始导入" }));
}

describe("ImportWizardPage", () => {
  beforeEach(() => useLanguage("zh-CN"));
  afterEach(() => vi.unstubAllGlobals());

  it("uploads the file as a background job, polls its progress and shows the outcome", async () => {
    const polls = [
      job({ status: "validating", rows_validated: 4 }),
      job({ status: "writing", rows_validated: 8, rows_written: 4 }),
      job({ status: "succeeded", rows_validated: 8, rows_written: 8, created_count: 7, unchanged_count: 1, finished_at: "2026-11-25T00:01:00Z" }),
    ];
    const server = fakeApi({
      "POST /api/v1/assets/imports": () => json(job({}), 202),
      "GET /api/v1/assets/imports/00000000-0000-4000-8000-00000000j0b1": () => json(polls.length > 1 ? polls.shift() : polls[0]),
    });
    vi.stubGlobal("fetch", server.fetch);
    const user = userEvent.setup({ delay: null });
    renderSignedIn(<ImportWizardPage />);

    expect(screen.getByRole("link", { name: /铁塔/ })).toHaveAttribute("href", "/api/v1/assets/templates/tower");
    await upload(user);
    const counts = await screen.findByText("新增", {}, { timeout: 10_000 });
    const statistics = counts.closest("#import-counts") as HTMLElement;
    expect(within(statistics).getByText("7")).toBeInTheDocument();
    expect(screen.getByText("导入完成，共 8 行")).toBeInTheDocument();

    const post = server.requests.find((request) => request.method === "POST");
    const url = new URL(post?.url ?? "");
    expect(url.searchParams.get("background")).toBe("true");
    expect(url.searchParams.get("format")).toBe("csv");
    expect(post?.headers.get("Content-Type")).toBe("text/csv");
    expect(post?.headers.get("X-CSRF-Token")).toBe("csrf");
    expect(await post?.text()).toBe(CSV);
    expect(server.requests.filter((request) => request.url.includes("/imports/")).length).toBeGreaterThanOrEqual(3);
  });

  it("lists every row error of a file that cannot be read", async () => {
    vi.stubGlobal(
      "fetch",
      fakeApi({
        "POST /api/v1/assets/imports": () =>
          problem(422, "validation-error", "Invalid input", "The upload has 2 errors.", [
            { field: "capacity_free", message: "must be at most capacity_total", row: 3 },
            { field: "lat", message: "must be between -90 and 90", row: 2 },
          ]),
      }).fetch,
    );
    const user = userEvent.setup({ delay: null });
    renderSignedIn(<ImportWizardPage />);
    await upload(user);
    expect(await screen.findByText("2 处错误")).toBeInTheDocument();
    const rows = document.querySelectorAll("#import-row-errors tbody tr.ant-table-row");
    expect([...rows].map((row) => row.textContent)).toEqual([
      "2latmust be between -90 and 90",
      "3capacity_freemust be at most capacity_total",
    ]);
  });

  it("shows the errors of a job that failed validation", async () => {
    vi.stubGlobal(
      "fetch",
      fakeApi({
        "POST /api/v1/assets/imports": () => json(job({}), 202),
        "GET /api/v1/assets/imports/00000000-0000-4000-8000-00000000j0b1": () =>
          json(
            job({
              status: "failed",
              error_count: 1,
              detail: "The upload has errors; nothing was written.",
              errors: [{ row: 5, column: "region_code", message: "unknown region 449999" }],
              finished_at: "2026-11-25T00:01:00Z",
            }),
          ),
      }).fetch,
    );
    const user = userEvent.setup({ delay: null });
    renderSignedIn(<ImportWizardPage />);
    await upload(user);
    expect(await screen.findByText("unknown region 449999", {}, { timeout: 5_000 })).toBeInTheDocument();
    expect(screen.getByText("The upload has errors; nothing was written.")).toBeInTheDocument();
  });

  it("refuses files it cannot read", async () => {
    const user = userEvent.setup({ delay: null, applyAccept: false });
    renderSignedIn(<ImportWizardPage />);
    const input = document.querySelector("input[type=file]") as HTMLInputElement;
    await user.upload(input, new File(["x"], "assets.xlsx"));
    expect(await screen.findByText(/无法识别的文件类型/)).toBeInTheDocument();
    await waitFor(() => expect(screen.getByRole("button", { name: "开始导入" })).toBeDisabled());
  });
});

describe("progressPercent", () => {
  it("counts checking as the first half and writing as the second", () => {
    expect(progressPercent(job({ rows_validated: 4 }))).toBe(25);
    expect(progressPercent(job({ rows_validated: 8, rows_written: 8 }))).toBe(99);
    expect(progressPercent(job({ status: "succeeded" }))).toBe(100);
    expect(progressPercent(undefined)).toBe(0);
  });
});
