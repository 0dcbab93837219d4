import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router-dom';
import type { ReactNode } from 'react';
import { useSession } from './auth/session';
import { Shell } from './layout/Shell';
import { LoginPage } from './pages/LoginPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { ServicesPage } from './service-hub/ServicesPage';
import { ServicePage } from './service-hub/ServicePage';
import { VersionPage } from './service-hub/VersionPage';
import { RuntimeGroupsPage } from './runtime-manager/RuntimeGroupsPage';
import { RuntimeGroupPage } from './runtime-manager/RuntimeGroupPage';
import { ConfigureRuntimePage } from './runtime-manager/ConfigureRuntimePage';
import { GatewayServicePage } from './runtime-manager/GatewayServicePage';
import { SecretsPage } from './secrets/SecretsPage';

/** Signed-out visitors see the login page; after signing in they land where they were going. */
function RequireSession({ children }: { children: ReactNode }) {
  const { signedIn } = useSession();
  const location = useLocation();
  if (!signedIn) return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  return children;
}

function LoginRoute() {
  const { signedIn } = useSession();
  const location = useLocation();
  const from = (location.state as { from?: string } | null)?.from ?? '/service-hub';
  return signedIn ? <Navigate to={from} replace /> : <LoginPage />;
}

/** The page map; URLs mirror the API's nesting so any page can be bookmarked. */
export function App() {
  return (
    <BrowserRouter>
      <Routes>
        <Route path="/login" element={<LoginRoute />} />
        <Route
          element={
            <RequireSession>
              <Shell />
            </RequireSession>
          }
        >
          <Route index element={<Navigate to="/service-hub" replace />} />
          <Route path="service-hub" element={<ServicesPage />} />
          <Route path="service-hub/:serviceId" element={<ServicePage />} />
          <Route path="service-hub/:serviceId/versions/:versionId" element={<VersionPage />} />
          <Route path="runtime-manager" element={<RuntimeGroupsPage />} />
          <Route path="runtime-manager/:rg/configure" element={<ConfigureRuntimePage />} />
          <Route path="runtime-manager/:rg/gateway-services/:serviceId" element={<GatewayServicePage />} />
          <Route path="runtime-manager/:rg/:tab?" element={<RuntimeGroupPage />} />
          <Route path="secrets" element={<SecretsPage />} />
          <Route path="*" element={<NotFoundPage />} />
        </Route>
      </Routes>
    </BrowserRouter>
  );
}
