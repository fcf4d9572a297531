import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { fakeApi, json, problem, renderWithProviders, useLanguage } from "../../test/render";
import ClientsPage from "./ClientsPage";

const CLIENT = {
  id: "c1",
  client_id: "gis-123",
  name: "GIS",
  kind: "confidential",
  redirect_uris: [],
  scope: "assets:read",
  created_at: "2026-11-25T00:00:00Z",
  secret_rotated_at: null,
  revoked_at: null,
};
const METADATA = { scopes_supported: ["assets:read", "needs:read"] };

describe("ClientsPage", () => {
  beforeEach(() => useLanguage("zh-CN"));
  afterEach(() => vi.unstubAllGlobals());

  it("lists the clients with their scopes in words", async () => {
    vi.stubGlobal(
      "fetch",
      fakeApi({
        "GET /api/v1/oauth/clients": () => json([CLIENT]),
        "GET /.well-known/oauth-authorization-server": () => json(METADATA),
      }).fetch,
    );
    renderWithProviders(<ClientsPage />);
    const row = (await screen.findByText("gis-123")).closest("tr") as HTMLElement;
    expect(within(row).getByText("GIS")).toBeInTheDocument();
    expect(within(row).getByText("读取资产")).toBeInTheDocument();
    expect(within(row).getByText("机密客户端")).toBeInTheDocument();
  });

  it("registers a client and shows its secret once", async () => {
    let clients: unknown[] = [];
    const server = fakeApi({
      "GET /api/v1/oauth/clients": () => json(clients),
      "GET /.well-known/oauth-authorization-server": () => json(METADATA),
      "POST /api/v1/oauth/clients": () => {
        clients = [CLIENT];
        return json({ ...CLIENT, client_secret: "s3cret-shown-once" }, 201);
      },
    });
    vi.stubGlobal("fetch", server.fetch);
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<ClientsPage />);
    expect(await screen.findByText("本单位还没有 OAuth 客户端")).toBeInTheDocument();

    await user.click(screen.getByRole("button", { name: /注册客户端/ }));
    const dialog = await screen.findByRole("dialog");
    await user.type(within(dialog).getByLabelText("名称"), "GIS");
    await user.click(await within(dialog).findByRole("checkbox", { name: /读取资产/ }));
    await user.click(within(dialog).getByRole("button", { name: "注册" }));

    expect(await screen.findByText("s3cret-shown-once")).toBeInTheDocument();
    const body = await server.requests.find((r) => r.method === "POST")?.json();
    expect(body).toEqual({ name: "GIS", kind: "confidential", redirect_uris: [], scopes: ["assets:read"] });

    await user.click(screen.getByRole("button", { name: "我已保存密钥" }));
    await waitFor(() => expect(screen.queryByText("s3cret-shown-once")).not.toBeInTheDocument());
    await waitFor(() => expect(screen.getByRole("table")).toHaveTextContent("gis-123"));
  });

  it("shows the server's field error on the redirect URIs", async () => {
    vi.stubGlobal(
      "fetch",
      fakeApi({
        "GET /api/v1/oauth/clients": () => json([]),
        "GET /.well-known/oauth-authorization-server": () => json(METADATA),
        "POST /api/v1/oauth/clients": () =>
          problem(422, "validation-error", "Invalid input", "redirect_uris: must use https", [
            { field: "redirect_uris", message: "http://gis.example/cb must use https" },
          ]),
      }).fetch,
    );
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<ClientsPage />);
    await user.click(await screen.findByRole("button", { name: /注册客户端/ }));
    const dialog = await screen.findByRole("dialog");
    await user.type(within(dialog).getByLabelText("名称"), "GIS");
    await user.type(within(dialog).getByLabelText("回调地址"), "http://gis.example/cb");
    await user.click(await within(dialog).findByRole("checkbox", { name: /读取资产/ }));
    await user.click(within(dialog).getByRole("button", { name: "注册" }));
    expect(await within(dialog).findByText("http://gis.example/cb must use https")).toBeInTheDocument();
  });
});
