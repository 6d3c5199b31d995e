import { useCallback, useDeferredValue, useState } from "react";
import { useTranslation } from "react-i18next";
import { useParams } from "react-router";
import type { SessionDto } from "@inbox/contracts";
import type { ListFilters } from "../api";
import { useConversations } from "../hooks/use-conversations";
import { useChannels, useLabels, useTeams } from "../hooks/use-directory";
import { ConversationList } from "./conversation-list";
import { ConversationView } from "../../conversation/components/conversation-view";
import { useUnreadTitle } from "../../shell/hooks/use-unread-title";
import { SHELL_NS } from "../../shell/locales";

const VIEWS = ["mine", "unassigned", "teams", "all"] as const;
const STATUSES = ["open", "pending", "resolved", "all"] as const;

export function InboxPage({ session }: { session: SessionDto }) {
  const { t } = useTranslation();
  const { t: ts } = useTranslation(SHELL_NS);
  const { id } = useParams();
  const isLead = session.user.role !== "agent";
  const [view, setView] = useState<ListFilters["view"]>(isLead ? "all" : "teams");
  const [status, setStatus] = useState<ListFilters["status"]>("open");
  const [channel, setChannel] = useState("");
  const [label, setLabel] = useState("");
  const [team, setTeam] = useState("");
  const [q, setQ] = useState("");
  const deferredQ = useDeferredValue(q.trim());
  const filters: ListFilters = {
    view,
    status,
    ...(channel ? { channel } : {}),
    ...(label ? { label } : {}),
    ...(team ? { team } : {}),
    ...(deferredQ ? { q: deferredQ } : {}),
  };
  const list = useConversations(filters);
  const labels = useLabels();
  const channels = useChannels();
  const teams = useTeams();
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  const unread = items.reduce((n, c) => n + (c.unreadCount > 0 ? 1 : 0), 0);
  useUnreadTitle(unread);
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = list;
  const loadMore = useCallback(() => {
    if (hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);

  return (
    <div className={id ? "inbox has-selection" : "inbox"}>
      <section className="sidebar" aria-label={t("inbox.list")}>
        <div role="tablist" aria-label={t("app.inbox")} className="tabs">
          {VIEWS.filter((v) => v !== "all" || isLead).map((v) => (
            <button key={v} role="tab" aria-selected={view === v} onClick={() => setView(v)}>
              {t(`inbox.views.${v}`)}
            </button>
          ))}
        </div>
        <div role="tablist" aria-label={t("app.status")} className="tabs small">
          {STATUSES.map((s) => (
            <button
              key={s}
              role="tab"
              aria-selected={status === s}
              onClick={() => setStatus(s)}
              title={s === "all" ? undefined : ts(`statuses.explain.${s}`)}
            >
              {t(`inbox.status.${s}`)}
            </button>
          ))}
        </div>
        <div className="filters">
          <input
            type="search"
            data-shortcut="search"
            aria-label={t("inbox.search")}
            placeholder={t("inbox.search")}
            value={q}
            onChange={(e) => setQ(e.target.value)}
          />
          <select aria-label={t("inbox.channel")} value={channel} onChange={(e) => setChannel(e.target.value)}>
            <option value="">
              {t("inbox.channel")}: {t("inbox.any")}
            </option>
            {channels.data?.items.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
          <select aria-label={t("inbox.label")} value={label} onChange={(e) => setLabel(e.target.value)}>
            <option value="">
              {t("inbox.label")}: {t("inbox.any")}
            </option>
            {labels.data?.items.map((l) => (
              <option key={l.id} value={l.id}>
                {l.name}
              </option>
            ))}
          </select>
          <select aria-label={t("inbox.team")} value={team} onChange={(e) => setTeam(e.target.value)}>
            <option value="">
              {t("inbox.team")}: {t("inbox.any")}
            </option>
            {teams.data?.items.map((tm) => (
              <option key={tm.id} value={tm.id}>
                {tm.name}
              </option>
            ))}
          </select>
        </div>
        <p className="muted small" aria-live="polite">
          {t("inbox.unread", { count: unread })}
        </p>
        {list.isPending ? (
          <p className="muted">{t("app.loading")}</p>
        ) : list.isError ? (
          <p role="alert">
            {t("app.error")} <button onClick={() => void list.refetch()}>{t("app.retry")}</button>
          </p>
        ) : items.length === 0 ? (
          <p className="muted empty-state" data-testid="empty-list">
            {deferredQ ? ts("empty.search", { q: deferredQ }) : ts("empty.inbox")}
          </p>
        ) : (
          <ConversationList items={items} selectedId={id} hasMore={!!hasNextPage} onLoadMore={loadMore} />
        )}
      </section>
      <section className="detail" aria-label={t("app.conversation")}>
        {id ? (
          <ConversationView key={id} id={id} session={session} />
        ) : (
          <p className="muted center empty-state">{ts("empty.select")}</p>
        )}
      </section>
    </div>
  );
}
