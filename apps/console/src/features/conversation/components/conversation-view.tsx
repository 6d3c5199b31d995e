import { useEffect, useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { ArrowLeft, Ellipsis, UserRound } from "lucide-react";
import type { SessionDto } from "@inbox/contracts";
import { ApiError } from "../../../lib/http";
import { contactName } from "../../inbox/components/conversation-list";
import { onTyping } from "../../live/hooks/use-live";
import { fetchContact, fetchConversation } from "../api";
import { Composer } from "./composer";
import { ContactPanel } from "./contact-panel";
import { ConversationActions } from "./conversation-actions";
import { MessageList } from "./message-list";

/** Closes the contact panel or goes back to the list ("Escape"). */
export const BACK_EVENT = "inbox:back";

/** Colleagues typing in this conversation (shown for 5 s after their last keystroke). */
function useTyping(conversationId: string, myId: string): string[] {
  const [typing, setTyping] = useState<Record<string, { name: string; until: number }>>({});
  useEffect(
    () =>
      onTyping((e) => {
        if (e.conversationId !== conversationId || e.userId === myId) return;
        setTyping((t) => ({ ...t, [e.userId]: { name: e.name, until: Date.now() + 5000 } }));
        setTimeout(
          () => setTyping((t) => Object.fromEntries(Object.entries(t).filter(([, v]) => v.until > Date.now()))),
          5100,
        );
      }),
    [conversationId, myId],
  );
  return Object.values(typing).map((v) => v.name);
}

/**
 * One conversation: header (back to the list on narrow screens, contact panel toggle, actions), thread, composer,
 * and the contact panel beside it on wide screens or over it on narrow ones.
 */
export function ConversationView({ id, session }: { id: string; session: SessionDto }) {
  const { t } = useTranslation();
  const conv = useQuery({ queryKey: ["conversation", id], queryFn: () => fetchConversation(id), retry: false });
  const contact = useQuery({ queryKey: ["contact", id], queryFn: () => fetchContact(id), enabled: conv.isSuccess });
  const typing = useTyping(id, session.user.id);
  const [isPanelOpen, setIsPanelOpen] = useState(false);
  const [areActionsOpen, setAreActionsOpen] = useState(false);
  useEffect(() => {
    const back = (e: Event) => {
      if (isPanelOpen) {
        setIsPanelOpen(false);
        e.preventDefault();
      }
    };
    window.addEventListener(BACK_EVENT, back);
    return () => window.removeEventListener(BACK_EVENT, back);
  }, [isPanelOpen]);

  if (conv.isPending) return <p className="muted center">{t("app.loading")}</p>;
  if (conv.isError) {
    const code = conv.error instanceof ApiError ? conv.error.code : "";
    return (
      <div className="center">
        <p role="alert" className="error" data-testid="conversation-error">
          {code === "forbidden" ? t("inbox.forbidden") : code === "not_found" ? t("inbox.notFound") : t("app.error")}
        </p>
        <Link to="/">{t("app.back")}</Link>
      </div>
    );
  }
  const c = conv.data;
  const name = contactName(c.contact);
  return (
    <div className={isPanelOpen ? "conversation panel-open" : "conversation"}>
      <div className="thread">
        <header className="conv-header">
          <Link to="/" className="icon-link back" aria-label={t("app.back")} title={t("app.back")}>
            <ArrowLeft aria-hidden size={20} />
          </Link>
          <h2 data-testid="conversation-title">{name}</h2>
          <span
            className={`status-pill ${c.status}`}
            data-testid="conversation-status"
            title={t(`inbox.statusHelp.${c.status}`)}
          >
            {t(`inbox.status.${c.status}`)}
          </span>
          <span className="header-buttons">
            <button
              type="button"
              className="icon more-toggle"
              aria-expanded={areActionsOpen}
              aria-controls="conversation-actions"
              aria-label={t("conv.moreActions")}
              title={t("conv.moreActions")}
              onClick={() => setAreActionsOpen((o) => !o)}
            >
              <Ellipsis aria-hidden size={20} />
            </button>
            <button
              type="button"
              className="icon panel-toggle"
              aria-expanded={isPanelOpen}
              aria-controls="contact-panel"
              aria-label={t("conv.contactPanel")}
              title={t("conv.contactPanel")}
              onClick={() => setIsPanelOpen((o) => !o)}
            >
              <UserRound aria-hidden size={20} />
            </button>
          </span>
          <ConversationActions c={c} session={session} isOpen={areActionsOpen} />
        </header>
        <MessageList id={id} session={session} customerName={name} />
        <p className="muted small typing" aria-live="polite">
          {typing.map((n) => t("conv.typing", { name: n })).join(" ")}
        </p>
        <Composer conversation={c} isOptedOut={contact.data?.isOptedOut ?? false} />
      </div>
      <ContactPanel details={contact.data} onClose={() => setIsPanelOpen(false)} />
    </div>
  );
}
