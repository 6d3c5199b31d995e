import { useEffect, useRef } from "react";
import { useVirtualizer } from "@tanstack/react-virtual";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { ConversationDto } from "@inbox/contracts";
import { formatRelative } from "../../../lib/format";
import { SHELL_NS } from "../../shell/locales";

const ROW = 68;

export function contactName(c: ConversationDto["contact"]): string {
  return c.displayName ?? c.profileName ?? c.username ?? (c.waId ? `+${c.waId}` : (c.userId ?? "?"));
}

/** Where a search term was found, with the match marked (the server says where: `match.start`…`match.end`). */
function MatchExcerpt({ match }: { match: NonNullable<ConversationDto["match"]> }) {
  const { t } = useTranslation(SHELL_NS);
  const { text, start, end } = match;
  return (
    <span className="conv-preview" data-testid="search-match" data-field={match.field}>
      <span className="match-field">{t(`match.${match.field}`)}:</span> {text.slice(0, start)}
      <mark>{text.slice(start, end)}</mark>
      {text.slice(end)}
    </span>
  );
}

/** Virtualised: only the visible rows are in the DOM, so 10,000 conversations scroll smoothly. */
export function ConversationList(props: {
  items: ConversationDto[];
  selectedId: string | undefined;
  hasMore: boolean;
  onLoadMore: () => void;
}) {
  const { t } = useTranslation();
  const parent = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/incompatible-library -- the list re-renders on scroll by design
  const virtualizer = useVirtualizer({
    count: props.items.length,
    getScrollElement: () => parent.current,
    estimateSize: () => ROW,
    overscan: 10,
  });
  const virtualItems = virtualizer.getVirtualItems();
  const last = virtualItems.at(-1);
  const { hasMore, onLoadMore, items } = props;
  useEffect(() => {
    if (last && hasMore && last.index >= items.length - 20) onLoadMore();
  }, [last, hasMore, onLoadMore, items.length]);

  return (
    <div ref={parent} className="conv-list" role="list" aria-label={t("inbox.list")} data-testid="conversation-list">
      <div style={{ height: virtualizer.getTotalSize(), position: "relative" }}>
        {virtualItems.map((row) => {
          const c = items[row.index]!;
          return (
            <div
              key={c.id}
              role="listitem"
              className="conv-row"
              style={{
                position: "absolute",
                top: 0,
                left: 0,
                right: 0,
                height: ROW,
                transform: `translateY(${row.start}px)`,
              }}
            >
              <Link
                to={`/c/${c.id}`}
                className={c.id === props.selectedId ? "conv-link selected" : "conv-link"}
                aria-current={c.id === props.selectedId ? "page" : undefined}
                data-conversation-id={c.id}
              >
                <span className="conv-top">
                  <span className="conv-name">{contactName(c.contact)}</span>
                  <time dateTime={c.lastMessageAt}>{formatRelative(c.lastMessageAt)}</time>
                </span>
                <span className="conv-bottom">
                  {c.match ? (
                    <MatchExcerpt match={c.match} />
                  ) : (
                    <span className="conv-preview">{c.lastMessagePreview ?? ""}</span>
                  )}
                  {c.labels.slice(0, 2).map((l) => (
                    <span key={l.id} className="label-chip" style={{ borderColor: l.color }}>
                      {l.name}
                    </span>
                  ))}
                  {c.unreadCount > 0 && (
                    <span className="badge" aria-label={t("inbox.unread", { count: c.unreadCount })}>
                      {c.unreadCount}
                    </span>
                  )}
                </span>
              </Link>
            </div>
          );
        })}
      </div>
    </div>
  );
}
