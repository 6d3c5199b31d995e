import { lazy, Suspense } from "react";
import { QueryClient, QueryClientProvider, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { BrowserRouter, Link, Navigate, Route, Routes } from "react-router";
import type { SessionDto } from "@inbox/contracts";
import { ChangePasswordPage } from "./features/auth/components/change-password-page";
import { LoginPage } from "./features/auth/components/login-page";
import { logOut } from "./features/auth/api";
import { useSession } from "./features/auth/hooks/use-session";
import { InboxPage } from "./features/inbox/components/inbox-page";
import { useLive } from "./features/live/hooks/use-live";
import { AvailabilitySwitch } from "./features/routing/components/availability-switch";
import { AbsencesPage } from "./features/routing/components/absences-page";
import { TeamPage } from "./features/team/components/team-page";

const AdminPage = lazy(() => import("./features/admin/components/admin-page"));
const PrivacyPage = lazy(() => import("./features/privacy/components/privacy-page"));

function Shell({ session }: { session: SessionDto }) {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const live = useLive(true);
  return (
    <>
      <a href="#main" className="skip">
        {t("app.skip")}
      </a>
      <header className="topbar">
        <Link to="/" className="brand">
          {t("app.title")}
        </Link>
        <nav aria-label={t("app.nav")}>
          <Link to="/">{t("app.inbox")}</Link>
          <Link to="/absences">{t("routing:absences.link")}</Link>
          {session.user.role !== "agent" && <Link to="/team">{t("team:link")}</Link>}
          {session.user.role === "admin" && <Link to="/admin">{t("app.admin")}</Link>}
          {session.user.role === "admin" && <Link to="/privacy">{t("app.privacy")}</Link>}
        </nav>
        <span className={`live ${live}`} role="status" data-testid="live-state" data-state={live}>
          ● {live === "connected" ? t("inbox.live.connected") : t("inbox.live.reconnecting")}
        </span>
        <label className="small">
          {t("app.language")}{" "}
          <select value={i18n.language} onChange={(e) => void i18n.changeLanguage(e.target.value)}>
            <option value="de">Deutsch</option>
            <option value="en">English</option>
          </select>
        </label>
        <AvailabilitySwitch />
        <span className="small">{session.user.name}</span>
        <Link to="/password" className="small">
          {t("password.link")}
        </Link>
        <button onClick={() => void logOut().finally(() => client.setQueryData(["session"], null))}>
          {t("app.logout")}
        </button>
      </header>
      <Routes>
        <Route
          path="/"
          element={
            <main id="main">
              <InboxPage session={session} />
            </main>
          }
        />
        <Route
          path="/c/:id"
          element={
            <main id="main">
              <InboxPage session={session} />
            </main>
          }
        />
        <Route path="/password" element={<ChangePasswordPage isForced={false} />} />
        <Route path="/absences" element={<AbsencesPage session={session} />} />
        <Route path="/team" element={session.user.role !== "agent" ? <TeamPage /> : <Navigate to="/" />} />
        <Route
          path="/admin/*"
          element={
            session.user.role === "admin" ? (
              <Suspense fallback={<p className="muted">{t("app.loading")}</p>}>
                <AdminPage />
              </Suspense>
            ) : (
              <Navigate to="/" />
            )
          }
        />
        <Route
          path="/privacy/*"
          element={
            session.user.role === "admin" ? (
              <Suspense fallback={<p className="muted">{t("app.loading")}</p>}>
                <PrivacyPage />
              </Suspense>
            ) : (
              <Navigate to="/" />
            )
          }
        />
        <Route path="*" element={<Navigate to="/" />} />
      </Routes>
    </>
  );
}

function Gate() {
  const { t } = useTranslation();
  const session = useSession();
  if (session.isPending) return <p className="muted center">{t("app.loading")}</p>;
  if (session.isError)
    return (
      <p role="alert" className="center">
        {t("app.error")}
      </p>
    );
  const s = session.data;
  if (!s || s.totpRequired || s.totpEnrollmentRequired) return <LoginPage pending={s} />;
  if (s.user.mustChangePassword) return <ChangePasswordPage isForced />;
  return <Shell session={s} />;
}

const queryClient = new QueryClient({ defaultOptions: { queries: { refetchOnWindowFocus: false, retry: 1 } } });

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <BrowserRouter>
        <Gate />
      </BrowserRouter>
    </QueryClientProvider>
  );
}
