import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { Route, Routes } from "react-router";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { fakeApi, json, problem, renderWithProviders, useLanguage } from "../../test/render";
import SignInPage from "./SignInPage";

const ME = {
  user: { id: "u1", email: "admin@tower.example", display_name: "管理员", locale: "zh-CN", is_active: true, role: "operator_admin", created_at: "2026-11-25T00:00:00Z", last_login_at: null },
  organisation: { id: "o1", name: "中国铁塔", industry: "telecom", kind: "operator", is_active: true, jurisdiction: [] },
  role: "operator_admin",
  csrf_token: "csrf",
};

function renderSignIn() {
  return renderWithProviders(
    <Routes>
      <Route path="/sign-in" element={<SignInPage />} />
      <Route path="/dashboard" element={<p>dashboard page</p>} />
    </Routes>,
    { route: "/sign-in" },
  );
}

async function submit(email: string, password: string) {
  const user = userEvent.setup({ delay: null });
  await user.type(await screen.findByLabelText("邮箱"), email);
  await user.type(screen.getByLabelText("密码"), password);
  await user.click(screen.getByRole("button", { name: "登录" }));
}

describe("SignInPage", () => {
  beforeEach(() => useLanguage("zh-CN"));
  afterEach(() => vi.unstubAllGlobals());

  it("shows the problem's detail when the password is wrong", async () => {
    vi.stubGlobal(
      "fetch",
      fakeApi({
        "GET /api/v1/me": () => problem(401, "not-authenticated", "Not signed in", "Sign in first."),
        "POST /api/v1/auth/login": () =>
          problem(401, "not-authenticated", "Not signed in", "Wrong e-mail or password."),
      }).fetch,
    );
    renderSignIn();
    await submit("admin@tower.example", "wrong-password");
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("未登录");
    expect(alert).toHaveTextContent("Wrong e-mail or password.");
  });

  it("puts the API's field errors on the form fields", async () => {
    vi.stubGlobal(
      "fetch",
      fakeApi({
        "GET /api/v1/me": () => problem(401, "not-authenticated", "Not signed in", "Sign in first."),
        "POST /api/v1/auth/login": () =>
          problem(422, "validation-error", "Invalid input", "email: not a deliverable address", [
            { field: "email", message: "not a deliverable address" },
          ]),
      }).fetch,
    );
    renderSignIn();
    await submit("someone@example.invalid", "password-123");
    expect(await screen.findByText("not a deliverable address")).toBeInTheDocument();
  });

  it("goes to the role's home page once signed in", async () => {
    const server = fakeApi({
      "GET /api/v1/me": () => problem(401, "not-authenticated", "Not signed in", "Sign in first."),
      "POST /api/v1/auth/login": () => json(ME),
    });
    vi.stubGlobal("fetch", server.fetch);
    renderSignIn();
    await submit("admin@tower.example", "InfraShare-demo-2026");
    expect(await screen.findByText("dashboard page")).toBeInTheDocument();
    const login = server.requests.find((r) => r.url.endsWith("/api/v1/auth/login"));
    await waitFor(async () =>
      expect(await login?.json()).toEqual({ email: "admin@tower.example", password: "InfraShare-demo-2026" }),
    );
  });

  it("speaks English when asked", async () => {
    await useLanguage("en");
    vi.stubGlobal(
      "fetch",
      fakeApi({ "GET /api/v1/me": () => problem(401, "not-authenticated", "Not signed in", "Sign in first.") }).fetch,
    );
    renderSignIn();
    expect(await screen.findByLabelText("E-mail")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Sign in" })).toBeInTheDocument();
  });
});
