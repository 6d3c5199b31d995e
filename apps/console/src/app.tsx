import { lazy, Suspense, useState } from "react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { BrowserRouter, Navigate, Route, Routes } from "react-router";
import type { SessionDto } from "@inbox/contracts";
import { AccountPage } from "./features/auth/components/account-page";
import { ChangePasswordPage } from "./features/auth/components/change-password-page";
import { LoginPage } from "./features/auth/components/login-page";
import { useSession } from "./features/auth/hooks/use-session";
import { InboxPage } from "./features/inbox/components/inbox-page";
import { useLive } from "./features/live/hooks/use-live";
import { AbsencesPage } from "./features/routing/components/absences-page";
import { HelpDialog } from "./features/shell/components/help-dialog";
import { TopBar } from "./features/shell/components/top-bar";
import { useConversationAlerts } from "./features/shell/hooks/use-conversation-alerts";
import { runShortcut, useShortcuts } from "./features/shell/hooks/use-shortcuts";
import "./features/shell/locales";
import { TeamPage } from "./features/team/components/team-page";

const AdminPage = lazy(() => import("./features/admin/components/admin-page"));
const PrivacyPage = lazy(() => import("./features/privacy/components/privacy-page"));

function Shell({ session }: { session: SessionDto }) {
  const { t } = useTranslation();
  const live = useLive(true);
  const [isHelpOpen, setHelpOpen] = useState(false);
  useConversationAlerts(session.user.id);
  useShortcuts((action) => runShortcut(action, () => setHelpOpen(true)));
  return (
    <div className="shell">
      <a href="#main" className="skip">
        {t("app.skip")}
      </a>
      <TopBar session={session} live={live} onHelp={() => setHelpOpen(true)} />
      <HelpDialog isOpen={isHelpOpen} onClose={() => setHelpOpen(false)} role={session.user.role} />
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
        <Route path="/account" element={<AccountPage session={session} />} />
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
    </div>
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
