import { Fragment, useEffect, useRef } from "react";
import { useInfiniteQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import type { MessageDto, SessionDto } from "@inbox/contracts";
import { formatDay } from "../../../lib/format";
import { useUsers } from "../../inbox/hooks/use-directory";
import { fetchMessages } from "../api";
import { MessageItem, type Reaction } from "./message-item";

const dayOf = (iso: string) => new Date(iso).toDateString();

/**
 * Reactions that point at a loaded message are shown on it (newest per person; an empty emoji removed it) instead
 * of as messages of their own; reactions to messages not loaded stay in the thread.
 */
export function groupReactions(newestFirst: MessageDto[], customerName: string) {
  const byWamid = new Map(newestFirst.filter((m) => m.externalId).map((m) => [m.externalId!, m]));
  const reactions = new Map<string, Map<string, string>>();
  const shown: MessageDto[] = [];
  // Oldest first, so a later reaction of the same person replaces an earlier one.
  for (const m of [...newestFirst].reverse()) {
    const reaction = m.type === "reaction" ? (m.payload.reaction as { message_id?: string; emoji?: string }) : null;
    const target = reaction?.message_id ? byWamid.get(reaction.message_id) : undefined;
    if (!reaction || !target) {
      shown.push(m);
      continue;
    }
    const who = m.direction === "inbound" ? customerName : (m.senderId ?? "business");
    const forTarget = reactions.get(target.id) ?? new Map<string, string>();
    if (reaction.emoji) forTarget.set(who, reaction.emoji);
    else forTarget.delete(who);
    reactions.set(target.id, forTarget);
  }
  return {
    messages: shown.reverse(),
    reactionsOf: (id: string): Reaction[] =>
      [...(reactions.get(id) ?? new Map<string, string>())].map(([by, emoji]) => ({ by, emoji })),
  };
}

/** The thread, newest at the bottom, older pages on scroll-up; a separator for each day; who wrote each message. */
export function MessageList({ id, session, customerName }: { id: string; session: SessionDto; customerName: string }) {
  const { t } = useTranslation();
  const users = useUsers();
  const q = useInfiniteQuery({
    queryKey: ["messages", id],
    queryFn: ({ pageParam }) => fetchMessages(id, pageParam),
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
  if (q.isPending) return <p className="muted messages-state">{t("app.loading")}</p>;
  if (q.isError)
    return (
      <p role="alert" className="messages-state">
        {t("app.error")}
      </p>
    );
  const all: MessageDto[] = q.data.pages.flatMap((p) => p.items);
  const byWamid = new Map(all.filter((m) => m.externalId).map((m) => [m.externalId!, m]));
  const nameOf = (userId: string) =>
    userId === session.user.id
      ? t("conv.you")
      : (users.data?.items.find((u) => u.id === userId)?.name ?? t("conv.formerColleague"));
  const { messages, reactionsOf } = groupReactions(all, customerName);
  const authorOf = (m: MessageDto) =>
    m.direction === "inbound" ? customerName : m.senderId ? nameOf(m.senderId) : t("conv.automatic");
  // column-reverse: the newest message is at the bottom and the view starts there; a day's separator follows its
  // oldest message in the DOM, so it shows above that day.
  return (
    <ol className="messages" aria-label={t("app.messages")} aria-live="polite" tabIndex={0}>
      {messages.length === 0 && (
        <li className="muted empty-thread">
          {t("conv.noMessages")} {t("conv.noMessagesHelp")}
        </li>
      )}
      {messages.map((m, i) => {
        const older = messages[i + 1];
        const isDayStart = !older || dayOf(older.createdAt) !== dayOf(m.createdAt);
        return (
          <Fragment key={m.id}>
            <MessageItem
              m={m}
              quoted={m.replyToExternalId ? byWamid.get(m.replyToExternalId) : undefined}
              author={authorOf(m)}
              reactions={reactionsOf(m.id).map((r) => ({
                ...r,
                by: r.by === customerName || r.by === "business" ? r.by : nameOf(r.by),
              }))}
            />
            {isDayStart && (
              <li className="day-separator" data-testid="day-separator">
                <span>{formatDay(m.createdAt, t)}</span>
              </li>
            )}
          </Fragment>
        );
      })}
      <li ref={top} className="muted small sentinel">
        {isFetchingNextPage ? t("conv.older") : ""}
      </li>
    </ol>
  );
}
