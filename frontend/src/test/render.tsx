// Render a component with the app's providers and a router, on a fresh query cache.
import { StyleProvider } from "@ant-design/cssinjs";
import { QueryClient } from "@tanstack/react-query";
import { render, waitFor } from "@testing-library/react";
import type { ReactElement, ReactNode } from "react";
import { MemoryRouter } from "react-router";
import { Providers } from "../app/Providers";
import { i18n } from "../i18n";

/** A fresh query cache that does not retry: a test sees an error at once. */
export function testQueryClient(): QueryClient {
  return new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
}

/** The app's providers, with Ant Design's styles kept out of the document. jsdom's
 *  getComputedStyle matches every rule of every <style> element against the element and its
 *  ancestors, and user-event (pointer-events checks) and role queries (visibility) call it for
 *  each step: with antd's CSS-in-JS injected, that was three quarters of a screen test's time
 *  (a form test took 18 s, 15 s of them in getComputedStyle). `mock="server"` makes antd
 *  render its styles as on a server, into its cache instead of the document. */
export function TestProviders({ queryClient, children }: { queryClient: QueryClient; children: ReactNode }) {
  return (
    <StyleProvider mock="server">
      <Providers queryClient={queryClient}>{children}</Providers>
    </StyleProvider>
  );
}

/** `me`: who is signed in, for screens inside the signed-in shell (they read it from the cache). */
export function renderWithProviders(ui: ReactElement, { route = "/", me }: { route?: string; me?: unknown } = {}) {
  const queryClient = testQueryClient();
  if (me) queryClient.setQueryData(["me"], me);
  const result = render(
    <TestProviders queryClient={queryClient}>
      <MemoryRouter initialEntries={[route]}>{ui}</MemoryRouter>
    </TestProviders>,
  );
  return { ...result, queryClient };
}

/** The element once no loading table covers it: antd's Spin keeps a table blurred (pointer-events:
 *  none) for one more render after its data arrived, and a click in that render is refused. */
export async function uncovered<T extends HTMLElement>(element: T): Promise<T> {
  await waitFor(() => {
    if (element.closest(".ant-spin-blur")) throw new Error("still covered by a loading spinner");
  });
  return element;
}

export async function useLanguage(language: "zh-CN" | "en"): Promise<void> {
  await i18n.changeLanguage(language);
}

type Handler = (request: Request) => Response | Promise<Response>;

export function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
}

export function problem(status: number, slug: string, title: string, detail: string, errors?: unknown[]): Response {
  return new Response(JSON.stringify({ type: `/problems/${slug}`, title, status, detail, instance: "/", errors }), {
    status,
    headers: { "Content-Type": "application/problem+json" },
  });
}

/** A fake API: `"POST /api/v1/auth/login"` → handler; anything else is a 404 problem. */
export function fakeApi(routes: Record<string, Handler>) {
  const requests: Request[] = [];
  const fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = input instanceof Request ? input : new Request(input, init);
    requests.push(request.clone());
    const url = new URL(request.url);
    const handler = routes[`${request.method} ${url.pathname}`];
    return handler ? handler(request) : problem(404, "not-found", "Not found", `no fake for ${url.pathname}`);
  };
  return { fetch, requests };
}
