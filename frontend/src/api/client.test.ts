import { describe, expect, it } from "vitest";
import { fakeApi, json, problem } from "../test/render";
import { createApiClient, setCsrfToken } from "./client";
import { ProblemError } from "./problem";

const ME = { role: "operator_admin", csrf_token: "token-1" };

describe("CSRF middleware", () => {
  it("sends the session's token on writes and never on reads", async () => {
    const server = fakeApi({
      "GET /api/v1/me": () => json(ME),
      "POST /api/v1/auth/logout": () => new Response(null, { status: 204 }),
    });
    const api = createApiClient({ baseUrl: "http://test", fetch: server.fetch });
    setCsrfToken("token-1");
    await api.GET("/api/v1/me");
    await api.POST("/api/v1/auth/logout");
    expect(server.requests.map((r) => [r.method, r.headers.get("X-CSRF-Token")])).toEqual([
      ["GET", null],
      ["POST", "token-1"],
    ]);
  });

  it("sends nothing when signed out", async () => {
    const server = fakeApi({ "POST /api/v1/auth/login": () => json(ME) });
    const api = createApiClient({ baseUrl: "http://test", fetch: server.fetch });
    setCsrfToken(null);
    await api.POST("/api/v1/auth/login", { body: { email: "a@b.example", password: "x" } });
    expect(server.requests[0]?.headers.has("X-CSRF-Token")).toBe(false);
  });
});

describe("problem middleware", () => {
  it("throws a ProblemError with the detail and the field errors", async () => {
    const server = fakeApi({
      "POST /api/v1/oauth/clients": () =>
        problem(422, "validation-error", "Invalid input", "redirect_uris.0: must use https", [
          { field: "redirect_uris.0", message: "must use https" },
        ]),
    });
    const api = createApiClient({ baseUrl: "http://test", fetch: server.fetch });
    const call = api.POST("/api/v1/oauth/clients", { body: { name: "GIS", scopes: ["assets:read"] } });
    const error = await call.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProblemError);
    const problemError = error as ProblemError;
    expect(problemError.status).toBe(422);
    expect(problemError.slug).toBe("validation-error");
    expect(problemError.message).toBe("redirect_uris.0: must use https");
    expect(problemError.fieldErrors).toEqual([{ field: "redirect_uris.0", message: "must use https" }]);
  });

  it("reads a conflict's top-level field as a field error", async () => {
    const api = createApiClient({
      baseUrl: "http://test",
      fetch: async () =>
        new Response(
          JSON.stringify({ type: "/problems/conflict", title: "Conflict", status: 409, detail: "Taken.", field: "email" }),
          { status: 409, headers: { "Content-Type": "application/problem+json" } },
        ),
    });
    const error = (await api.GET("/api/v1/me").catch((e: unknown) => e)) as ProblemError;
    expect(error.fieldErrors).toEqual([{ field: "email", message: "Taken." }]);
  });

  it("turns an answer that is not a problem into a generic one", async () => {
    const api = createApiClient({
      baseUrl: "http://test",
      fetch: async () => new Response("<h1>Bad gateway</h1>", { status: 502, statusText: "Bad Gateway" }),
    });
    const error = (await api.GET("/api/v1/me").catch((e: unknown) => e)) as ProblemError;
    expect(error).toBeInstanceOf(ProblemError);
    expect(error.problem).toMatchObject({ status: 502, title: "Bad Gateway", detail: "Bad Gateway" });
  });

  it("passes successful answers through", async () => {
    const api = createApiClient({ baseUrl: "http://test", fetch: fakeApi({ "GET /api/v1/me": () => json(ME) }).fetch });
    expect((await api.GET("/api/v1/me")).data).toEqual(ME);
  });
});
