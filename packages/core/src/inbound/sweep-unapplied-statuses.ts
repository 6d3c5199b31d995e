import { Prisma, prismaSql, sqlTimestamp, type Db } from "@inbox/db";
import { applyStatusReports } from "./apply-status-events";

export interface SweepUnappliedStatusesOptions {
  /** Reports unapplied at least this long are looked at (default 1 min: what is in flight has settled by then). */
  olderThanMs?: number;
  /** …and at most this long (default 1 day): reports about messages this inbox never sent are not re-read forever. */
  newerThanMs?: number;
  limit?: number;
}

/**
 * Status reports that stayed unapplied although their message is known now. A report is kept unapplied when its
 * message has no wamid yet, and applied when the worker records the wamid; a report stored while that record
 * statement ran (each saw the other's work as not yet committed) is caught here. Returns how many wamids it applied.
 */
export async function sweepUnappliedStatuses(
  deps: { db: Db; clock?: () => Date },
  options: SweepUnappliedStatusesOptions = {},
): Promise<{ applied: number; updatedMessageIds: string[] }> {
  const now = (deps.clock ?? (() => new Date()))().getTime();
  const rows = await deps.db.$queryRaw<{ channelId: string; externalId: string }[]>(Prisma.sql`
    SELECT DISTINCT e."channelId"::text AS "channelId", e."externalId" FROM "MessageStatusEvent" e
     WHERE e."messageId" IS NULL
       AND e."createdAt" < ${sqlTimestamp(new Date(now - (options.olderThanMs ?? 60_000)))}
       AND e."createdAt" > ${sqlTimestamp(new Date(now - (options.newerThanMs ?? 24 * 3600_000)))}
       AND EXISTS (SELECT 1 FROM "Message" m WHERE m."channelId" = e."channelId" AND m."externalId" = e."externalId")
     LIMIT ${options.limit ?? 1_000}`);
  const byChannel = new Map<string, string[]>();
  for (const r of rows) byChannel.set(r.channelId, [...(byChannel.get(r.channelId) ?? []), r.externalId]);
  const updatedMessageIds: string[] = [];
  for (const [channelId, wamids] of byChannel) {
    updatedMessageIds.push(...(await applyStatusReports(prismaSql(deps.db), channelId, [], wamids)).updatedMessageIds);
  }
  return { applied: rows.length, updatedMessageIds };
}
