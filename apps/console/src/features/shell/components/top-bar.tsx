import { useEffect, useRef, useState, type ReactNode } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { NavLink, useLocation } from "react-router";
import {
  CalendarOff,
  ChevronDown,
  CircleHelp,
  Inbox,
  KeyRound,
  LogOut,
  Menu,
  MessagesSquare,
  Settings,
  ShieldCheck,
  UsersRound,
  X,
} from "lucide-react";
import type { SessionDto } from "@inbox/contracts";
import { logOut } from "../../auth/api";
import type { LiveState } from "../../live/hooks/use-live";
import { AvailabilitySwitch } from "../../routing/components/availability-switch";
import { SHELL_NS } from "../locales";
import { NotificationSettings } from "./notification-settings";

/**
 * The top bar. Wide screens show navigation and tools in one row; narrow ones (see styles.css) fold them into a menu
 * behind one button, keeping the brand, the live state and "Sign out" always in reach.
 */
export function TopBar({ session, live, onHelp }: { session: SessionDto; live: LiveState; onHelp: () => void }) {
  const { t, i18n } = useTranslation();
  const { t: ts } = useTranslation(SHELL_NS);
  const client = useQueryClient();
  const location = useLocation();
  // Each menu remembers the page it was opened on: navigating elsewhere closes it.
  const [menuOpenOn, setMenuOpenOn] = useState<string | null>(null);
  const [accountOpenOn, setAccountOpenOn] = useState<string | null>(null);
  const isMenuOpen = menuOpenOn === location.pathname;
  const isAccountOpen = accountOpenOn === location.pathname;
  const setMenuOpen = (open: boolean) => setMenuOpenOn(open ? location.pathname : null);
  const setAccountOpen = (open: boolean) => setAccountOpenOn(open ? location.pathname : null);
  const account = useRef<HTMLDivElement>(null);
  const isAdmin = session.user.role === "admin";
  // A click outside or Escape closes the account panel.
  useEffect(() => {
    if (!isAccountOpen) return;
    const onDown = (e: MouseEvent) => {
      if (account.current && !account.current.contains(e.target as Node)) setAccountOpenOn(null);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") setAccountOpenOn(null);
    };
    document.addEventListener("mousedown", onDown);
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("mousedown", onDown);
      document.removeEventListener("keydown", onKey);
    };
  }, [isAccountOpen]);

  const link = (to: string, icon: ReactNode, label: string) => (
    <NavLink to={to} end={to === "/"} className="nav-link">
      {icon}
      <span>{label}</span>
    </NavLink>
  );
  return (
    <header className="topbar">
      <NavLink to="/" className="brand" end>
        <MessagesSquare aria-hidden="true" />
        <span>{t("app.title")}</span>
      </NavLink>
      <span className={`live ${live}`} role="status" data-testid="live-state" data-state={live}>
        <span className="live-text">
          {live === "connected" ? t("inbox.live.connected") : t("inbox.live.reconnecting")}
        </span>
      </span>
      <button
        type="button"
        className="icon-button menu-toggle"
        aria-expanded={isMenuOpen}
        aria-controls="topbar-menu"
        aria-label={isMenuOpen ? ts("closeMenu") : ts("menu")}
        onClick={() => setMenuOpen(!isMenuOpen)}
      >
        {isMenuOpen ? <X aria-hidden="true" /> : <Menu aria-hidden="true" />}
      </button>
      <div id="topbar-menu" className={isMenuOpen ? "topbar-menu open" : "topbar-menu"}>
        <nav aria-label={t("app.nav")}>
          {link("/", <Inbox aria-hidden="true" />, t("app.inbox"))}
          {link("/absences", <CalendarOff aria-hidden="true" />, ts("absences"))}
          {session.user.role !== "agent" && link("/team", <UsersRound aria-hidden="true" />, t("team:link"))}
          {isAdmin && link("/admin", <Settings aria-hidden="true" />, t("app.admin"))}
          {isAdmin && link("/privacy", <ShieldCheck aria-hidden="true" />, t("app.privacy"))}
        </nav>
        <div className="topbar-tools">
          <AvailabilitySwitch />
          {/* The user's own account page (password, sign-in security): a link of its own, not inside the panel. */}
          <NavLink to="/account" className="nav-link">
            <KeyRound aria-hidden="true" />
            <span>{t("auth:account.link")}</span>
          </NavLink>
          <div className="account" ref={account}>
            <button
              type="button"
              className="account-toggle"
              aria-expanded={isAccountOpen}
              aria-controls="account-panel"
              onClick={() => setAccountOpen(!isAccountOpen)}
            >
              <span className="account-name">{session.user.name}</span>
              <ChevronDown aria-hidden="true" />
            </button>
            {isAccountOpen && (
              <div id="account-panel" className="account-panel" data-testid="account-panel">
                <p className="small">
                  {ts("signedInAs", { name: session.user.name })}
                  <br />
                  <strong>{ts(`roles.${session.user.role}`)}</strong>: {ts(`roles.explain.${session.user.role}`)}
                </p>
                <label className="field">
                  {t("app.language")}
                  <select value={i18n.language} onChange={(e) => void i18n.changeLanguage(e.target.value)}>
                    <option value="de">Deutsch</option>
                    <option value="en">English</option>
                  </select>
                </label>
                <NotificationSettings />
                <button
                  type="button"
                  className="menu-item"
                  onClick={() => {
                    setAccountOpen(false);
                    setMenuOpen(false);
                    onHelp();
                  }}
                >
                  <CircleHelp aria-hidden="true" />
                  <span>{ts("shortcuts.open")}</span>
                </button>
              </div>
            )}
          </div>
        </div>
      </div>
      <button
        type="button"
        className="logout"
        onClick={() => void logOut().finally(() => client.setQueryData(["session"], null))}
      >
        <LogOut aria-hidden="true" />
        <span className="logout-text">{t("app.logout")}</span>
      </button>
    </header>
  );
}
