import { useEffect, useState } from "react";
import type { ConversationDto, SessionDto } from "@inbox/contracts";
import { useTranslation } from "react-i18next";
import { onLiveEvent } from "../live/hooks/use-live";

const SOUND_KEY = "inbox.notify.sound";
const DESKTOP_KEY = "inbox.notify.desktop";

export interface NotificationPrefs {
  sound: boolean;
  desktop: boolean;
}

export function readNotificationPrefs(): NotificationPrefs {
  return { sound: localStorage.getItem(SOUND_KEY) === "1", desktop: localStorage.getItem(DESKTOP_KEY) === "1" };
}

/** Sound and desktop notifications are opt-in per browser (stored locally; desktop asks the browser first). */
export function useNotificationPrefs() {
  const [prefs, setPrefs] = useState(readNotificationPrefs);
  const [isDenied, setIsDenied] = useState(typeof Notification !== "undefined" && Notification.permission === "denied");
  const update = async (next: NotificationPrefs) => {
    if (next.desktop && typeof Notification !== "undefined" && Notification.permission !== "granted") {
      const permission = await Notification.requestPermission();
      setIsDenied(permission === "denied");
      if (permission !== "granted") next = { ...next, desktop: false };
    }
    localStorage.setItem(SOUND_KEY, next.sound ? "1" : "0");
    localStorage.setItem(DESKTOP_KEY, next.desktop ? "1" : "0");
    setPrefs(next);
  };
  return { prefs, update, isDenied };
}

/** A short two-tone chime made with WebAudio (no sound file to ship). */
function chime() {
  const Ctx = window.AudioContext;
  if (!Ctx) return;
  const ctx = new Ctx();
  [660, 880].forEach((freq, i) => {
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.frequency.value = freq;
    gain.gain.setValueAtTime(0.12, ctx.currentTime + i * 0.15);
    gain.gain.exponentialRampToValueAtTime(0.001, ctx.currentTime + i * 0.15 + 0.14);
    osc.connect(gain).connect(ctx.destination);
    osc.start(ctx.currentTime + i * 0.15);
    osc.stop(ctx.currentTime + i * 0.15 + 0.15);
  });
  setTimeout(() => void ctx.close(), 600);
}

const nameOf = (c: ConversationDto | undefined, fallback: string) =>
  c?.contact.displayName ?? c?.contact.profileName ?? (c?.contact.waId ? `+${c.contact.waId}` : fallback);

/**
 * New customer messages (in a conversation not open in a visible tab) and conversations newly assigned to the
 * user: a chime and/or a desktop notification, each when the user turned it on. Never the message text.
 */
export function useNotifications(session: SessionDto) {
  const { t } = useTranslation();
  useEffect(
    () =>
      onLiveEvent(({ event }, client) => {
        const prefs = readNotificationPrefs();
        if ((!prefs.sound && !prefs.desktop) || !("conversationId" in event)) return;
        const isOpen =
          document.visibilityState === "visible" && window.location.pathname === `/c/${event.conversationId}`;
        let title: string | null = null;
        if (event.type === "message.created" && event.message.direction === "inbound" && !isOpen) {
          const c = client.getQueryData<ConversationDto>(["conversation", event.conversationId]);
          title = t("notify.newMessage", { name: nameOf(c, "…") });
        } else if (
          event.type === "conversation.updated" &&
          event.conversation.assigneeId === session.user.id &&
          !isOpen
        ) {
          const before = client.getQueryData<ConversationDto>(["conversation", event.conversationId]);
          if (before?.assigneeId !== session.user.id)
            title = t("notify.assigned", { name: nameOf(event.conversation, "") });
        }
        if (!title) return;
        if (prefs.sound) chime();
        if (prefs.desktop && typeof Notification !== "undefined" && Notification.permission === "granted") {
          const n = new Notification(title, { tag: event.conversationId });
          n.onclick = () => {
            window.focus();
            window.location.assign(`/c/${event.conversationId}`);
          };
        }
      }),
    [session.user.id, t],
  );
}
