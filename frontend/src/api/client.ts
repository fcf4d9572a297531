// The typed API client, generated from the OpenAPI document (see `npm run api:generate`).
import createClient, { type Middleware } from "openapi-fetch";
import { ProblemError, problemFromResponse } from "./problem";
import type { components, paths } from "./schema";

export type Schemas = components["schemas"];
export type Me = Schemas["Me"];
export type Role = Schemas["Role"];

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

let csrfToken: string | null = null;

/** The session's CSRF token, from sign-in or `GET /api/v1/me`; null when signed out. */
export function setCsrfToken(token: string | null | undefined): void {
  csrfToken = token ?? null;
}

/** Every cookie-authenticated write carries the session's CSRF token. */
export const csrfMiddleware: Middleware = {
  onRequest({ request }) {
    if (!SAFE_METHODS.has(request.method.toUpperCase()) && csrfToken) {
      request.headers.set("X-CSRF-Token", csrfToken);
    }
    return request;
  },
};

/** Turns every answer that is not 2xx into a thrown ProblemError (RFC 9457). */
export const problemMiddleware: Middleware = {
  async onResponse({ response }) {
    if (!response.ok) throw new ProblemError(await problemFromResponse(response));
    return response;
  },
};

export function createApiClient(options: { baseUrl?: string; fetch?: typeof fetch } = {}) {
  const client = createClient<paths>({
    baseUrl: options.baseUrl ?? globalThis.location?.origin ?? "",
    credentials: "same-origin",
    // Looked up on each call, so tests can stub the global fetch.
    fetch: options.fetch ?? ((request: Request) => globalThis.fetch(request)),
  });
  client.use(csrfMiddleware, problemMiddleware);
  return client;
}

export const api = createApiClient();

/**
 * The data of a successful call. The problem middleware already threw for failures, so a
 * missing body here means the operation answers 204.
 */
export function data<T>(result: { data?: T; error?: unknown }): T {
  return result.data as T;
}
