import { Prisma, sqlTimestamp } from "@inbox/db";
import { ROUTE_JOB } from "../inbound/store-messages";
import { requeueOrphans, type SweepDeps } from "../sweeps/requeue-orphans";

/** `withLiveJob` answers which conversation ids are still in a live `conversation.route` job. */
export type SweepUnroutedDeps = SweepDeps;

export interface SweepUnroutedOptions {
  /** A route job dispatched this long ago whose conversations are still unrouted is presumed lost (default 10 min). */
  unroutedForMs?: number;
  limit?: number;
}

const DEFAULT_UNROUTED_FOR_MS = 10 * 60_000;

/**
 * New conversations whose `conversation.route` job is gone (Redis lost it after the outbox had handed it over, or
 * it failed all its attempts) get a fresh route job of their own through the outbox: without it a conversation would
 * never join its team's queue, be auto-assigned or greeted. Candidates are the conversations named by route jobs the
 * outbox dispatched more than `unroutedForMs` ago (the outbox keeps them a day, see pruneOutbox) that the router has
 * not marked routed (`routedAt`) and that are not resolved; one with a live job, or with a route job still waiting
 * in the outbox, is left alone. Routing a conversation twice changes and sends nothing twice (route-new-conversation,
 * send-auto-replies), so a late original job is harmless.
 */
export async function sweepUnroutedConversations(
  deps: SweepUnroutedDeps,
  options: SweepUnroutedOptions = {},
): Promise<{ requeued: string[] }> {
  const now = deps.clock();
  const before = new Date(now.getTime() - (options.unroutedForMs ?? DEFAULT_UNROUTED_FOR_MS));
  const candidates = await deps.db.$queryRaw<{ id: string }[]>(Prisma.sql`
    SELECT DISTINCT c.id, c."createdAt" FROM "OutboxJob" o
     CROSS JOIN LATERAL jsonb_array_elements_text(
       coalesce(o.payload->'conversationIds', jsonb_build_array(o.payload->'conversationId'))) AS x(id)
      JOIN "Conversation" c ON c.id = x.id::uuid
     WHERE o.name = ${ROUTE_JOB} AND o."dispatchedAt" < ${sqlTimestamp(before)}
       AND c."routedAt" IS NULL AND c.status <> 'resolved'
       AND NOT EXISTS (
         SELECT 1 FROM "OutboxJob" u
          WHERE u.name = ${ROUTE_JOB} AND u."dispatchedAt" IS NULL AND u.payload->'conversationIds' ? c.id::text
       )
     ORDER BY c."createdAt", c.id LIMIT ${options.limit ?? 500}`);
  return requeueOrphans(
    deps,
    candidates.map((c) => c.id),
    now,
    (conversationId) => ({ name: ROUTE_JOB, payload: { conversationIds: [conversationId] } }),
  );
}
