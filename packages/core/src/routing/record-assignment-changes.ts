import { Prisma, runSqlOf, sqlTimestamp, type DbTx, type RunSql } from "@inbox/db";
import type { Actor } from "../audit/record-audit";

/** Why a conversation's assignee or team changed; shown in the timeline and kept in the audit entry. */
export type AssignmentReason =
  "manual" | "bulk" | "auto" | "returning" | "handover" | "cover" | "cover_return" | "reopened" | "offboarding";

export interface AssignmentChange {
  conversationId: string;
  /** The assignee before the change (null: nobody). */
  fromUserId: string | null;
  /** The assignee after the change (null: nobody, the conversation waits in its team's queue). */
  toUserId: string | null;
  /** The conversation's team after the change. */
  teamId: string | null;
  reason: AssignmentReason;
  /** The internal note a lead gave with a (bulk) reassignment (kept in the audit entry; the note itself is a message). */
  note?: string | null;
}

/**
 * The timeline line, German first line and English second (the console shows the line in its language, like the
 * server's other system lines). Placeholders {to}, {from}, {team} and {actor} are filled with names in SQL.
 */
function assignmentLineTemplate(change: AssignmentChange): string {
  const target = change.toUserId
    ? ["Zugewiesen an {to}", "Assigned to {to}"]
    : change.teamId
      ? ["In der Warteschlange von {team}", "Waiting in the queue of {team}"]
      : ["Zuweisung aufgehoben", "Unassigned"];
  const why: Record<AssignmentReason, [string, string]> = {
    manual: ["von {actor}", "by {actor}"],
    bulk: ["von {actor}", "by {actor}"],
    auto: ["automatisch", "automatically"],
    returning: ["wiederkehrender Kunde", "returning customer"],
    handover: ["übergeben von {actor}", "handed over by {actor}"],
    cover: ["Vertretung für {from}", "covering for {from}"],
    cover_return: ["zurück aus der Abwesenheit", "back from absence"],
    reopened: ["wieder geöffnet", "reopened"],
    offboarding: ["{from} wurde deaktiviert", "{from} was deactivated"],
  };
  const [de, en] = why[change.reason];
  return `${target[0]} (${de})\n${target[1]} (${en})`;
}

/**
 * Every assignment change is a line in the conversation's timeline (a private `system` message nobody sends, with
 * the sender the user who made the change, null for the product) and an audit entry — written in the caller's
 * transaction, so both exist exactly when the change does. One statement for any number of changes.
 * Returns the ids of the timeline messages (for live message.created events).
 */
export async function recordAssignmentChanges(
  tx: DbTx | RunSql,
  actor: Actor,
  changes: readonly AssignmentChange[],
  now: Date,
): Promise<string[]> {
  if (!changes.length) return [];
  const actorId = actor.type === "user" ? actor.userId : null;
  const ip = actor.type === "user" ? (actor.ip ?? null) : null;
  const col = <T>(pick: (c: AssignmentChange) => T) => changes.map(pick);
  const data = changes.map((c) =>
    JSON.stringify({
      from: c.fromUserId,
      to: c.toUserId,
      teamId: c.teamId,
      reason: c.reason,
      ...(c.note ? { note: c.note } : {}),
    }),
  );
  const rows = await runSqlOf(tx)<{ id: string }>(Prisma.sql`
    WITH input AS (
      SELECT * FROM unnest(${col((c) => c.conversationId)}::uuid[], ${col((c) => c.fromUserId)}::uuid[],
                           ${col((c) => c.toUserId)}::uuid[], ${col((c) => c.teamId)}::uuid[],
                           ${col(assignmentLineTemplate)}::text[], ${data}::jsonb[],
                           ${col((c) => c.reason)}::text[])
          AS i(cid, from_id, to_id, team_id, tpl, data, reason)
    ), msg AS (
      INSERT INTO "Message" (id, "conversationId", "channelId", direction, type, text, payload, "isPrivate", status,
                             "statusAt", "sentAt", "senderId", "createdAt", "updatedAt")
      SELECT gen_random_uuid(), c.id, c."channelId", 'outbound'::"MessageDirection", 'system',
             replace(replace(replace(replace(i.tpl,
               '{to}', coalesce(tu.name, '?')), '{from}', coalesce(fu.name, '?')), '{team}', coalesce(t.name, '?')),
               '{actor}', coalesce(au.name, '?')),
             jsonb_build_object('assignment', i.data), true, 'sent'::"MessageStatus",
             ${sqlTimestamp(now)}, ${sqlTimestamp(now)}, ${actorId}::uuid, ${sqlTimestamp(now)}, ${sqlTimestamp(now)}
        FROM input i
        JOIN "Conversation" c ON c.id = i.cid
        LEFT JOIN "User" tu ON tu.id = i.to_id
        LEFT JOIN "User" fu ON fu.id = i.from_id
        LEFT JOIN "Team" t ON t.id = i.team_id
        LEFT JOIN "User" au ON au.id = ${actorId}::uuid
      RETURNING id
    ), audit AS (
      INSERT INTO "AuditLog" ("actorType", "actorId", ip, action, "entityType", "entityId", data, "createdAt")
      SELECT ${actor.type}::"ActorType", ${actorId}::uuid, ${ip}, 'conversation.assignment.' || i.reason,
             'conversation', i.cid::text, i.data, ${sqlTimestamp(now)}
        FROM input i
    )
    SELECT id FROM msg`);
  return rows.map((r) => r.id);
}
