// Render a screen of the signed-in shell: the session already in the cache, the route's params set.
import { render } from "@testing-library/react";
import type { ReactElement } from "react";
import { MemoryRouter, Route, Routes, useLocation } from "react-router";
import { setCsrfToken, type Me, type Role } from "../api/client";
import { meQueryKey } from "../features/accounts/session";
import { TestProviders, testQueryClient } from "./render";

export const ORGANISATION_ID = "00000000-0000-4000-8000-00000000000a";

export function me(role: Role = "operator_admin", organisation = "中国移动深圳分公司（演示）"): Me {
  return {
    user: {
      id: "00000000-0000-4000-8000-0000000000u1",
      email: "admin@mobile.example",
      display_name: "管理员",
      locale: "zh-CN",
      is_active: true,
      created_at: "2026-11-25T00:00:00Z",
      last_login_at: null,
      role,
    },
    organisation: { id: ORGANISATION_ID, name: organisation, industry: "telecom", kind: "operator", is_active: true, jurisdiction: [] },
    role,
    csrf_token: "csrf",
  } as unknown as Me;
}

/** Shows where the screen navigated to, for assertions. */
function Location() {
  const location = useLocation();
  return <output data-testid="location">{location.pathname + location.search}</output>;
}

export function renderSignedIn(
  ui: ReactElement,
  { route = "/", path = "*", session = me() }: { route?: string; path?: string; session?: Me } = {},
) {
  const queryClient = testQueryClient();
  queryClient.setQueryData(meQueryKey, session);
  setCsrfToken(session.csrf_token);
  const result = render(
    <TestProviders queryClient={queryClient}>
      <MemoryRouter initialEntries={[route]}>
        <Routes>
          <Route path={path} element={ui} />
          <Route path="*" element={null} />
        </Routes>
        <Location />
      </MemoryRouter>
    </TestProviders>,
  );
  return { ...result, queryClient };
}
