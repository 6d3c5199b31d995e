import { useEffect, useRef } from "react";
import { useVirtualizer } from "@tanstack/react-virtual";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { ConversationDto } from "@inbox/contracts";
import { formatRelative } from "../../../lib/format";

const ROW = 72;

/** The text with each occurrence of the search term in <mark>. */
export function Highlight({ text, term }: { text: string; term: string | undefined }) {
  if (!term) return <>{text}</>;
  const parts = text.split(new RegExp(`(${term.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")})`, "gi"));
  return <>{parts.map((part, i) => (i % 2 === 1 ? <mark key={i}>{part}</mark> : part))}</>;
}

export function contactName(c: ConversationDto["contact"]): string {
  return c.displayName ?? c.profileName ?? c.username ?? (c.waId ? `+${c.waId}` : (c.userId ?? "?"));
}

/** Virtualised: only the visible rows are in the DOM, so 10,000 conversations scroll smoothly. */
export function ConversationList(props: {
  items: ConversationDto[];
  selectedId: string | undefined;
  hasMore: boolean;
  onLoadMore: () => void;
  /** The search term, highlighted in names and texts. */
  term?: string | undefined;
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
                  <span className="conv-name">
                    <Highlight text={contactName(c.contact)} term={props.term} />
                  </span>
                  <time dateTime={c.lastMessageAt}>{formatRelative(c.lastMessageAt)}</time>
                </span>
                <span className="conv-bottom">
                  <span className="conv-preview" data-testid="conv-preview">
                    <Highlight text={c.searchMatch ?? c.lastMessagePreview ?? ""} term={props.term} />
                  </span>
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
