import { useEffect, useRef } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { AlarmClock, CheckCircle2, Circle, RotateCcw, UserMinus, UserPlus } from "lucide-react";
import type { ConversationDto, SessionDto } from "@inbox/contracts";
import { describeApiError } from "../../../lib/api-errors";
import { formatDateTime } from "../../../lib/format";
import { SNOOZE_PRESETS, snoozeUntil, type SnoozePreset } from "../../../lib/snooze";
import { useLabels, usePresence, useTeams, useUsers } from "../../inbox/hooks/use-directory";
import { runAction, type Action } from "../api";

/** Asks the open conversation's actions to run from a keyboard shortcut ("e" resolve, "a" assign to me). */
export const ACTION_EVENT = "inbox:conversation-action";

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

/** Assign, hand over, label, snooze, mark read, resolve/reopen: each a server action, audited and published live. */
export function ConversationActions({
  c,
  session,
  isOpen,
}: {
  c: ConversationDto;
  session: SessionDto;
  isOpen: boolean;
}) {
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
    onSuccess: (dto) => {
      client.setQueryData(["conversation", c.id], dto);
      void client.invalidateQueries({ queryKey: ["conversations"] });
    },
  });
  const me = session.user.id;
  useMarkReadWhileVisible(c, () => {
    if (!act.isPending) act.mutate({ path: "read" });
  });
  const actRef = useRef(act.mutate);
  useEffect(() => {
    actRef.current = act.mutate;
  });
  useEffect(() => {
    const run = (e: Event) => {
      const what = (e as CustomEvent<string>).detail;
      if (what === "resolve" && c.status !== "resolved")
        actRef.current({ path: "status", body: { status: "resolved" } });
      if (what === "assign" && c.assigneeId !== me) actRef.current({ path: "assign", body: { assigneeId: me } });
    };
    window.addEventListener(ACTION_EVENT, run);
    return () => window.removeEventListener(ACTION_EVENT, run);
  }, [c.status, c.assigneeId, me]);

  return (
    <div
      className={isOpen ? "actions open" : "actions"}
      role="toolbar"
      aria-label={t("app.actions")}
      id="conversation-actions"
    >
      {assignee && (
        <span className="small assignee" data-testid="assignee" data-online={isOnline(assignee.id)}>
          {t("conv.assignedTo", { name: assignee.name })}{" "}
          <span className={isOnline(assignee.id) ? "presence online" : "presence"}>
            <Circle aria-hidden size={10} fill="currentColor" />{" "}
            {isOnline(assignee.id) ? t("conv.online") : t("conv.offline")}
          </span>
        </span>
      )}
      {c.assigneeId !== me && (
        <button onClick={() => act.mutate({ path: "assign", body: { assigneeId: me } })}>
          <UserPlus aria-hidden size={16} /> {t("conv.assignToMe")}
        </button>
      )}
      {c.assigneeId && (isLead || c.assigneeId === me) && (
        <button onClick={() => act.mutate({ path: "assign", body: { assigneeId: null } })}>
          <UserMinus aria-hidden size={16} /> {t("conv.unassign")}
        </button>
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
          <AlarmClock aria-hidden size={14} /> {t("conv.snoozedUntil", { when: formatDateTime(c.snoozedUntil) })}{" "}
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
        <button onClick={() => act.mutate({ path: "status", body: { status: "open" } })}>
          <RotateCcw aria-hidden size={16} /> {t("conv.reopen")}
        </button>
      ) : (
        <button className="primary" onClick={() => act.mutate({ path: "status", body: { status: "resolved" } })}>
          <CheckCircle2 aria-hidden size={16} /> {t("conv.resolve")}
        </button>
      )}
      {act.isError && (
        <span role="alert" className="error small">
          {describeApiError(act.error, t).text}
        </span>
      )}
    </div>
  );
}
