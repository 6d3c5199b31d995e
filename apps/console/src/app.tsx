import { lazy, Suspense, useEffect, useRef } from "react";
import { QueryClient, QueryClientProvider, useQueryClient, type InfiniteData } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { BrowserRouter, Link, Navigate, NavLink, Route, Routes, useLocation } from "react-router";
import { Inbox, Keyboard, LogOut, MessageSquareText, Settings, UserRound, Wrench } from "lucide-react";
import type { ConversationDto, SessionDto } from "@inbox/contracts";
import { AccountPage } from "./features/account/account-page";
import { ChangePasswordPage } from "./features/auth/components/change-password-page";
import { LoginPage } from "./features/auth/components/login-page";
import { logOut } from "./features/auth/api";
import { useSession } from "./features/auth/hooks/use-session";
import type { Page } from "./features/inbox/api";
import { InboxPage } from "./features/inbox/components/inbox-page";
import { useLive } from "./features/live/hooks/use-live";
import { useNotifications } from "./features/notifications/use-notifications";
import { ShortcutsDialog } from "./features/shortcuts/shortcuts-dialog";
import { useShortcuts } from "./features/shortcuts/use-shortcuts";

const AdminPage = lazy(() => import("./features/admin/components/admin-page"));

/** "(3) WhatsApp-Posteingang": conversations with unread customer messages among those loaded, in the tab title. */
function useUnreadTitle() {
  const { t } = useTranslation();
  const client = useQueryClient();
  useEffect(() => {
    const update = () => {
      const ids = new Set<string>();
      for (const [, data] of client.getQueriesData<InfiniteData<Page<ConversationDto>>>({
        queryKey: ["conversations"],
      }))
        for (const page of data?.pages ?? []) for (const c of page.items) if (c.unreadCount > 0) ids.add(c.id);
      const title = t("app.title");
      document.title = ids.size ? t("app.titleUnread", { count: ids.size, title }) : title;
    };
    update();
    return client.getQueryCache().subscribe(update);
  }, [client, t]);
}

/** Closes the account menu when the route changes. */
function AccountMenu({ session }: { session: SessionDto }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const ref = useRef<HTMLDetailsElement>(null);
  const location = useLocation();
  useEffect(() => {
    if (ref.current) ref.current.open = false;
  }, [location.pathname]);
  return (
    <details className="account-menu" ref={ref}>
      <summary title={t("app.menu")}>
        <UserRound aria-hidden size={20} /> <span className="label">{session.user.name}</span>
        <span className="sr-only">{t("app.menu")}</span>
      </summary>
      <div className="menu" role="group" aria-label={t("app.menu")}>
        <p className="small muted">
          {session.user.email} · {t(`roles.${session.user.role}`)}
        </p>
        <Link to="/account">
          <Settings aria-hidden size={16} /> {t("app.account")}
        </Link>
        <button type="button" onClick={() => window.dispatchEvent(new KeyboardEvent("keydown", { key: "?" }))}>
          <Keyboard aria-hidden size={16} /> {t("app.shortcuts")}
        </button>
        <button onClick={() => void logOut().finally(() => client.setQueryData(["session"], null))}>
          <LogOut aria-hidden size={16} /> {t("app.logout")}
        </button>
      </div>
    </details>
  );
}

function Shell({ session }: { session: SessionDto }) {
  const { t } = useTranslation();
  const live = useLive(true);
  useUnreadTitle();
  useNotifications(session);
  const shortcuts = useShortcuts();
  return (
    <>
      <a href="#main" className="skip">
        {t("app.skip")}
      </a>
      <header className="topbar">
        <Link to="/" className="brand" aria-label={t("app.title")}>
          <MessageSquareText aria-hidden size={22} /> <span className="label">{t("app.title")}</span>
        </Link>
        <nav aria-label={t("app.nav")}>
          <NavLink to="/" end>
            <Inbox aria-hidden size={18} /> <span className="label">{t("app.inbox")}</span>
          </NavLink>
          {session.user.role === "admin" && (
            <NavLink to="/admin">
              <Wrench aria-hidden size={18} /> <span className="label">{t("app.admin")}</span>
            </NavLink>
          )}
        </nav>
        <span
          className={`live ${live}`}
          role="status"
          data-testid="live-state"
          data-state={live}
          title={t("app.liveState")}
        >
          <span className="dot" aria-hidden />{" "}
          <span className="label">
            {live === "connected" ? t("inbox.live.connected") : t("inbox.live.reconnecting")}
          </span>
        </span>
        <AccountMenu session={session} />
      </header>
      {shortcuts.isHelpOpen && <ShortcutsDialog onClose={shortcuts.closeHelp} />}
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
        <Route
          path="/admin/*"
          element={
            session.user.role === "admin" ? (
              <Suspense fallback={<p className="muted">{t("app.loading")}</p>}>
                <AdminPage session={session} />
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
