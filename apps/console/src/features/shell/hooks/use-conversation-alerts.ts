import { useEffect } from "react";
import { useQueryClient, type InfiniteData } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import type { ConversationDto } from "@inbox/contracts";
import type { Page } from "../../inbox/api";
import { contactName } from "../../inbox/components/conversation-list";
import { onLiveEvent } from "../../live/hooks/use-live";
import { SHELL_NS } from "../locales";
import { alertFor, loadNotifySettings, playChime } from "../notifications";

/** Sound and desktop notification (each only if the user turned it on) for new and newly assigned conversations. */
export function useConversationAlerts(me: string): void {
  const client = useQueryClient();
  const { t } = useTranslation(SHELL_NS);
  useEffect(() => {
    const known = new Map<string, string | null>();
    const previousAssignee = (id: string): string | null | undefined => {
      if (known.has(id)) return known.get(id);
      for (const [, data] of client.getQueriesData<InfiniteData<Page<ConversationDto>>>({
        queryKey: ["conversations"],
      })) {
        const hit = data?.pages.flatMap((p) => p.items).find((c) => c.id === id);
        if (hit) return hit.assigneeId;
      }
      return undefined;
    };
    return onLiveEvent((event) => {
      if (event.type !== "conversation.updated") return;
      const c = event.conversation;
      const kind = alertFor(previousAssignee(c.id), c, me, Date.now());
      known.set(c.id, c.assigneeId);
      if (!kind) return;
      const settings = loadNotifySettings();
      if (settings.sound) playChime();
      const isSeen = document.visibilityState === "visible" && document.hasFocus();
      if (settings.desktop && !isSeen && "Notification" in window && Notification.permission === "granted") {
        const name = contactName(c.contact);
        try {
          const n = new Notification(
            kind === "new" ? t("notify.newConversation", { name }) : t("notify.assigned", { name }),
            { tag: `conversation-${c.id}`, ...(c.lastMessagePreview ? { body: c.lastMessagePreview } : {}) },
          );
          n.onclick = () => {
            window.focus();
            window.location.assign(`/c/${c.id}`);
          };
        } catch {
          // Some mobile browsers allow notifications only through a service worker: the sound still plays.
        }
      }
    });
  }, [client, me, t]);
}
