import { lazy, Suspense, type ReactNode } from "react";
import { BrowserRouter, Navigate, Route, Routes, useLocation } from "react-router";
import type { Role } from "../api/client";
import { useMe } from "../features/accounts/session";
import { AppLayout } from "./AppLayout";
import { ErrorState, Forbidden, Loading, NotFound } from "./states";
import { homePathFor, rolesFor } from "./navigation";
import { Providers } from "./Providers";

// Each screen is its own chunk: the map and the admin tables load only when opened.
const SignInPage = lazy(() => import("../features/accounts/SignInPage"));
const DashboardPage = lazy(() => import("../features/dashboard/DashboardPage"));
const UsersPage = lazy(() => import("../features/accounts/UsersPage"));
const OrganisationsPage = lazy(() => import("../features/accounts/OrganisationsPage"));
const ClientsPage = lazy(() => import("../features/oauth/ClientsPage"));
const AssetSearchPage = lazy(() => import("../features/assets/AssetSearchPage"));
const AssetDetailPage = lazy(() => import("../features/assets/AssetDetailPage"));
const AssetFormPage = lazy(() => import("../features/assets/AssetFormPage"));
const ImportWizardPage = lazy(() => import("../features/assets/ImportWizardPage"));
const MyNeedsPage = lazy(() => import("../features/needs/MyNeedsPage"));
const NeedsListPage = lazy(() => import("../features/needs/NeedsListPage"));
const NeedFormPage = lazy(() => import("../features/needs/NeedFormPage"));
const NeedDetailPage = lazy(() => import("../features/needs/NeedDetailPage"));
const RequestsPage = lazy(() => import("../features/agreements/RequestsPage"));
const RequestDetailPage = lazy(() => import("../features/agreements/RequestDetailPage"));
const PrintPage = lazy(() => import("../features/agreements/PrintPage"));
const ReviewQueuePage = lazy(() => import("../features/review/ReviewQueuePage"));
const StatisticsPage = lazy(() => import("../features/review/StatisticsPage"));
const OversightPage = lazy(() => import("../features/review/OversightPage"));
const WebhooksPage = lazy(() => import("../features/webhooks/WebhooksPage"));

function RequireSession({ children }: { children: ReactNode }) {
  const me = useMe();
  const location = useLocation();
  if (me.isPending) return <Loading />;
  if (me.isError) return <ErrorState error={me.error} onRetry={() => void me.refetch()} />;
  if (!me.data) return <Navigate to="/sign-in" replace state={{ from: location.pathname + location.search }} />;
  return <>{children}</>;
}

function Allowed({
  path,
  roles,
  children,
}: {
  path: string | readonly string[];
  roles?: readonly Role[];
  children: ReactNode;
}) {
  const { data: me } = useMe();
  const allowed: readonly Role[] = roles ?? (typeof path === "string" ? [path] : path).flatMap(rolesFor);
  if (!me || !allowed.includes(me.role)) return <Forbidden />;
  return <>{children}</>;
}

function Home() {
  const { data: me } = useMe();
  return me ? <Navigate to={homePathFor(me.role)} replace /> : <Navigate to="/sign-in" replace />;
}

/** Screens of the asset registry and of needs: [path, the menu entry whose roles may open it, screen]. */
const FEATURE_ROUTES: readonly [string, string | readonly string[], ReactNode][] = [
  ["/assets", "/assets", <AssetSearchPage />],
  ["/assets/new", "/assets", <AssetFormPage />],
  ["/assets/import", "/assets", <ImportWizardPage />],
  ["/assets/:assetId", "/assets", <AssetDetailPage />],
  ["/assets/:assetId/edit", "/assets", <AssetFormPage />],
  ["/needs", "/needs", <MyNeedsPage />],
  ["/needs/new", "/needs", <NeedFormPage />],
  ["/needs/published", "/needs", <NeedsListPage />],
  ["/needs/:needId", ["/needs", "/needs-list"], <NeedDetailPage />],
  ["/needs/:needId/edit", "/needs", <NeedFormPage />],
];

/** Operators and regulators both open a request: parties act on it, regulators review and decide. */
const REQUEST_READERS: readonly Role[] = ["operator_admin", "operator_member", "regulator"];

/** Screens open to the roles of their menu entry. */
const SCREENS: readonly [string, ReactNode][] = [
  ["/requests", <RequestsPage />],
  ["/review", <ReviewQueuePage />],
  ["/needs-list", <NeedsListPage regulator />],
  ["/statistics", <StatisticsPage />],
  ["/oversight", <OversightPage />],
  ["/admin/webhooks", <WebhooksPage />],
];

export function AppRoutes() {
  return (
    <Suspense fallback={<Loading />}>
      <Routes>
        <Route path="/sign-in" element={<SignInPage />} />
        <Route
          element={
            <RequireSession>
              <AppLayout />
            </RequireSession>
          }
        >
          <Route index element={<Home />} />
          <Route
            path="/dashboard"
            element={
              <Allowed path="/dashboard">
                <DashboardPage />
              </Allowed>
            }
          />
          {FEATURE_ROUTES.map(([path, allowed, screen]) => (
            <Route key={path} path={path} element={<Allowed path={allowed}>{screen}</Allowed>} />
          ))}
          {SCREENS.map(([path, screen]) => (
            <Route key={path} path={path} element={<Allowed path={path}>{screen}</Allowed>} />
          ))}
          <Route
            path="/requests/:requestId"
            element={
              <Allowed path="/requests" roles={REQUEST_READERS}>
                <RequestDetailPage />
              </Allowed>
            }
          />
          <Route
            path="/requests/:requestId/print"
            element={
              <Allowed path="/requests" roles={REQUEST_READERS}>
                <PrintPage />
              </Allowed>
            }
          />
          <Route
            path="/admin/users"
            element={
              <Allowed path="/admin/users">
                <UsersPage />
              </Allowed>
            }
          />
          <Route
            path="/organisations/:organisationId/users"
            element={
              <Allowed path="/organisations">
                <UsersPage />
              </Allowed>
            }
          />
          <Route
            path="/admin/oauth-clients"
            element={
              <Allowed path="/admin/oauth-clients">
                <ClientsPage />
              </Allowed>
            }
          />
          <Route
            path="/organisations"
            element={
              <Allowed path="/organisations">
                <OrganisationsPage />
              </Allowed>
            }
          />
          <Route path="*" element={<NotFound />} />
        </Route>
      </Routes>
    </Suspense>
  );
}

export function App() {
  return (
    <Providers>
      <BrowserRouter>
        <AppRoutes />
      </BrowserRouter>
    </Providers>
  );
}
