import { memo, useEffect, useMemo, useRef, useState } from "react";
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { ArrowLeft, Ellipsis, UserRound } from "lucide-react";
import type { ConversationDto, MessageDto, SessionDto } from "@inbox/contracts";
import { formatDateTime, getTimeZone } from "../../../lib/format";
import { ApiError } from "../../../lib/http";
import { SNOOZE_PRESETS, snoozeUntil, type SnoozePreset } from "../../../lib/snooze";
import { contactName } from "../../inbox/components/conversation-list";
import { useLabels, usePresence, useTeams, useUsers } from "../../inbox/hooks/use-directory";
import { fetchContact, fetchConversation, runAction, type Action } from "../api";
import { Composer } from "./composer";
import { ContactPanel } from "./contact-panel";
import { MessageItem } from "./message-item";
import { fetchThreadPage, onTyping, refreshLists } from "../../live/hooks/use-live";
import { SHELL_NS } from "../../shell/locales";
import { attachReactions, dayLabel, withDaySeparators } from "../thread";
import { teamErrorText } from "../../team/error-text";

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
 * Opening a conversation marks it read, and so do customer messages arriving while it is open in a visible tab;
 * a tab in the background leaves them unread until it is looked at again.
 */
function useMarkReadWhileVisible(c: ConversationDto, markRead: () => void) {
  const markReadRef = useRef(markRead);
  useEffect(() => {
    markReadRef.current = markRead;
  });
  const hasUnread = c.unreadCount > 0;
  useEffect(() => {
    if (!hasUnread) return;
    const markIfVisible = () => {
      if (document.visibilityState === "visible") markReadRef.current();
    };
    markIfVisible();
    document.addEventListener("visibilitychange", markIfVisible);
    return () => document.removeEventListener("visibilitychange", markIfVisible);
  }, [c.id, c.unreadCount, hasUnread]);
}

function Actions({ c, session, id }: { c: ConversationDto; session: SessionDto; id: string }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const users = useUsers();
  const teams = useTeams();
  const labels = useLabels();
  const presence = usePresence();
  const isOnline = (id: string) => id === session.user.id || (presence.data?.onlineUserIds.includes(id) ?? false);
  const assignee = c.assigneeId ? users.data?.items.find((u) => u.id === c.assigneeId) : undefined;
  const isLead = session.user.role !== "agent";
  const act = useMutation({
    mutationFn: (a: Action) => runAction(c.id, a),
    onSuccess: (dto, a) => {
      client.setQueryData(["conversation", c.id], dto);
      // Reading is done for every customer message that arrives while the conversation is open: its list refresh
      // joins the live ones. What the agent did on purpose shows in the list at once.
      if (a.path === "read") refreshLists(client);
      else void client.invalidateQueries({ queryKey: ["conversations"] });
    },
  });
  const me = session.user.id;
  useMarkReadWhileVisible(c, () => {
    if (!act.isPending) act.mutate({ path: "read" });
  });
  return (
    <div className="actions" role="toolbar" aria-label={t("app.actions")} id={id}>
      {assignee && (
        <span className="small" data-testid="assignee" data-online={isOnline(assignee.id)}>
          {t("conv.assignedTo", { name: assignee.name })}{" "}
          <span className={isOnline(assignee.id) ? "presence online" : "presence"}>
            <span className="dot" aria-hidden="true" />
            {isOnline(assignee.id) ? t("conv.online") : t("conv.offline")}
          </span>
        </span>
      )}
      {c.assigneeId !== me && (
        <button onClick={() => act.mutate({ path: "assign", body: { assigneeId: me } })}>{t("conv.assignToMe")}</button>
      )}
      {c.assigneeId && (isLead || c.assigneeId === me) && (
        <button onClick={() => act.mutate({ path: "assign", body: { assigneeId: null } })}>{t("conv.unassign")}</button>
      )}
      {isLead && (
        <select
          aria-label={t("conv.assign")}
          value={c.assigneeId ?? ""}
          onChange={(e) => act.mutate({ path: "assign", body: { assigneeId: e.target.value || null } })}
        >
          <option value="">{t("conv.assign")} …</option>
          {users.data?.items.map((u) => (
            <option key={u.id} value={u.id}>
              {u.name}
              {isOnline(u.id) ? ` (${t("conv.online")})` : ""}
            </option>
          ))}
        </select>
      )}
      <select
        aria-label={t("conv.handover")}
        value=""
        onChange={(e) => e.target.value && act.mutate({ path: "handover", body: { teamId: e.target.value } })}
      >
        <option value="">{t("conv.handover")} …</option>
        {teams.data?.items
          .filter((tm) => tm.id !== c.teamId)
          .map((tm) => (
            <option key={tm.id} value={tm.id}>
              {tm.name}
            </option>
          ))}
      </select>
      <select
        aria-label={t("conv.labels")}
        value=""
        onChange={(e) => {
          const id = e.target.value;
          if (!id) return;
          const current = c.labels.map((l) => l.id);
          act.mutate({
            path: "labels",
            method: "PUT",
            body: { labelIds: current.includes(id) ? current.filter((x) => x !== id) : [...current, id] },
          });
        }}
      >
        <option value="">{t("conv.labels")} …</option>
        {labels.data?.items.map((l) => (
          <option key={l.id} value={l.id}>
            {c.labels.some((x) => x.id === l.id) ? "✓ " : ""}
            {l.name}
          </option>
        ))}
      </select>
      {c.snoozedUntil ? (
        <span className="small" data-testid="snoozed">
          {t("conv.snoozedUntil", { when: formatDateTime(c.snoozedUntil) })}{" "}
          <button onClick={() => act.mutate({ path: "snooze", body: { until: null } })}>{t("conv.wake")}</button>
        </span>
      ) : (
        c.status !== "resolved" && (
          <select
            aria-label={t("conv.snooze")}
            value=""
            onChange={(e) => {
              const preset = e.target.value as SnoozePreset | "";
              if (preset) act.mutate({ path: "snooze", body: { until: snoozeUntil(preset).toISOString() } });
            }}
          >
            <option value="">{t("conv.snooze")} …</option>
            {SNOOZE_PRESETS.map((p) => (
              <option key={p} value={p}>
                {t(`conv.snoozePreset.${p}`)}
              </option>
            ))}
          </select>
        )
      )}
      {c.unreadCount > 0 && <button onClick={() => act.mutate({ path: "read" })}>{t("conv.markRead")}</button>}
      {c.status === "resolved" ? (
        <button onClick={() => act.mutate({ path: "status", body: { status: "open" } })}>{t("conv.reopen")}</button>
      ) : (
        <button
          className="primary"
          data-shortcut="resolve"
          onClick={() => act.mutate({ path: "status", body: { status: "resolved" } })}
        >
          {t("conv.resolve")}
        </button>
      )}
      {act.isError && (
        <span role="alert" className="error small">
          {act.error instanceof ApiError && act.error.code === "assignment_forbidden"
            ? teamErrorText(t, act.error)
            : act.error.message}
        </span>
      )}
    </div>
  );
}

function Messages({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  const { t: ts } = useTranslation(SHELL_NS);
  const users = useUsers();
  const q = useInfiniteQuery({
    queryKey: ["messages", id],
    queryFn: ({ pageParam }) => fetchThreadPage(id, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
  const top = useRef<HTMLLIElement>(null);
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = q;
  useEffect(() => {
    const el = top.current;
    if (!el) return;
    const observer = new IntersectionObserver((entries) => {
      if (entries[0]?.isIntersecting && hasNextPage && !isFetchingNextPage) void fetchNextPage();
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);
  const timeZone = getTimeZone();
  // Worked out again only when the thread changes (a live event), not on every render of the view.
  const thread = useMemo(() => {
    if (!q.data) return null;
    const loaded: MessageDto[] = q.data.pages.flatMap((p) => p.items);
    const byWamid = new Map(loaded.filter((m) => m.externalId).map((m) => [m.externalId!, m]));
    const { messages, reactions } = attachReactions(loaded);
    return { byWamid, reactions, isEmpty: messages.length === 0, items: withDaySeparators(messages, timeZone) };
  }, [q.data, timeZone]);
  if (q.isPending) return <p className="muted">{t("app.loading")}</p>;
  if (q.isError || !thread) return <p role="alert">{t("app.error")}</p>;
  const { byWamid, reactions } = thread;
  const now = new Date();
  const authorOf = (m: MessageDto): string | undefined => {
    if (m.direction !== "outbound" && !m.isPrivate) return undefined;
    if (!m.senderId) return ts("automatic");
    return users.data?.items.find((u) => u.id === m.senderId)?.name ?? ts("formerColleague");
  };
  // column-reverse: the newest message is at the bottom and the view starts there; older pages load on scroll-up.
  return (
    <ol className="messages" aria-label={t("app.messages")} aria-live="polite">
      {thread.isEmpty && <li className="muted">{t("conv.noMessages")}</li>}
      {thread.items.map((item) =>
        item.kind === "day" ? (
          <li key={`day-${item.key}`} className="day-separator" data-testid="day-separator">
            <span>
              {dayLabel(item.at, {
                now,
                language: i18n.language,
                timeZone,
                today: ts("today"),
                yesterday: ts("yesterday"),
              })}
            </span>
          </li>
        ) : (
          <MessageItem
            key={item.message.id}
            m={item.message}
            author={authorOf(item.message)}
            reactions={item.message.externalId ? reactions.get(item.message.externalId) : undefined}
            quoted={item.message.replyToExternalId ? byWamid.get(item.message.replyToExternalId) : undefined}
          />
        ),
      )}
      <li ref={top} className="muted small sentinel">
        {isFetchingNextPage ? t("conv.older") : ""}
      </li>
    </ol>
  );
}

/** Memoised: a refresh of the inbox list (every second under load) does not render the open thread again. */
export const ConversationView = memo(function ConversationView({ id, session }: { id: string; session: SessionDto }) {
  const { t } = useTranslation();
  const conv = useQuery({ queryKey: ["conversation", id], queryFn: () => fetchConversation(id), retry: false });
  const contact = useQuery({ queryKey: ["contact", id], queryFn: () => fetchContact(id), enabled: conv.isSuccess });
  const typing = useTyping(id, session.user.id);
  const { t: ts } = useTranslation(SHELL_NS);
  const [isContactOpen, setContactOpen] = useState(false);
  const [isActionsOpen, setActionsOpen] = useState(false);
  if (conv.isPending) return <p className="muted center">{t("app.loading")}</p>;
  if (conv.isError) {
    const code = conv.error instanceof ApiError ? conv.error.code : "";
    return (
      <p role="alert" className="center error" data-testid="conversation-error">
        {code === "forbidden" ? t("inbox.forbidden") : code === "not_found" ? t("inbox.notFound") : t("app.error")}
      </p>
    );
  }
  const c = conv.data;
  const classes = ["conversation", isContactOpen ? "contact-open" : "", isActionsOpen ? "actions-open" : ""];
  return (
    <div className={classes.join(" ")}>
      <div className="thread">
        <header className="conv-header">
          <Link to="/" className="icon-button back-button" aria-label={ts("back")}>
            <ArrowLeft aria-hidden="true" />
          </Link>
          <h2 data-testid="conversation-title">{contactName(c.contact)}</h2>
          <span
            className={`status-pill ${c.status}`}
            data-testid="conversation-status"
            title={ts(`statuses.explain.${c.status}`)}
          >
            {t(`inbox.status.${c.status}`)}
          </span>
          <span className="header-buttons">
            <button
              type="button"
              className="icon-button actions-toggle"
              aria-expanded={isActionsOpen}
              aria-controls={`actions-${c.id}`}
              aria-label={ts("moreActions")}
              onClick={() => setActionsOpen((o) => !o)}
            >
              <Ellipsis aria-hidden="true" />
            </button>
            <button
              type="button"
              className="icon-button contact-toggle"
              aria-expanded={isContactOpen}
              aria-controls={`contact-${c.id}`}
              aria-label={ts("contact")}
              onClick={() => setContactOpen((o) => !o)}
            >
              <UserRound aria-hidden="true" />
            </button>
          </span>
          <Actions c={c} session={session} id={`actions-${c.id}`} />
        </header>
        <Messages id={id} />
        <p className="muted small typing" aria-live="polite">
          {typing.map((name) => t("conv.typing", { name })).join(" ")}
        </p>
        <Composer conversation={c} isOptedOut={contact.data?.isOptedOut ?? false} />
      </div>
      <div className="contact-pane" id={`contact-${c.id}`}>
        <div className="pane-bar">
          <button
            type="button"
            className="icon-button"
            aria-label={ts("backToThread")}
            onClick={() => setContactOpen(false)}
          >
            <ArrowLeft aria-hidden="true" />
          </button>
        </div>
        <ContactPanel details={contact.data} />
      </div>
    </div>
  );
});
