import { Prisma, runSqlOf, type ChannelType, type Db, type Message, type RunSql } from "@inbox/db";
import { createGroupCommit } from "../batching/group-commit";
import type { ConsentState } from "../consent/consent-rules";
import { currentConsentsSql } from "../consent/current-consents";
import { applyStatusReports } from "../inbound/apply-status-events";

/** A claimed message with what the send needs, loaded by the claim statement itself. */
type ClaimedMessage = Message & {
  _channelExternalId: string;
  _channelType: ChannelType;
  _throughputLimit: number;
  _lastInboundAt: Date | null;
  _contactId: string;
  _waId: string | null;
  _userId: string | null;
  _consents: ConsentState[];
};

/** The three statements every send runs: claim, mark right before the Graph call, record after it. */
export interface SendStatements {
  /** Claims the message (`queued` → `sending`) and loads it; undefined when it is not claimable. */
  claim(messageId: string, now: Date): Promise<ClaimedMessage | undefined>;
  /**
   * Marks the claimed message as handed to Graph (`sendStartedAt`), right before the request. False when the claim
   * is no longer this job's (another attempt took the message over): then nothing may be sent.
   */
  markSendStarted(message: Pick<Message, "id" | "attempts">, now: Date): Promise<boolean>;
  /** Records Meta's wamid and `sent`, and links status reports that arrived before the wamid was known. */
  record(message: Pick<Message, "id" | "channelId">, externalId: string, now: Date): Promise<void>;
}

const utc = (dates: Date[]) => dates.map((d) => d.toISOString());

/**
 * Claims many messages in one statement: `queued` → `sending`, attempts + 1 (the claim's token), sendStartedAt
 * cleared (set only when the request goes to Graph), for outbound, non-private messages without a wamid on an
 * active channel; returns each with its channel (type, number, throughput), window, recipient and current consents (`currentConsentsSql`,
 * the query the API's policy check runs too). Messages that are not claimable are simply not returned.
 */
async function claimAndLoadMessages(
  db: Db | RunSql,
  items: { messageId: string; now: Date }[],
): Promise<ClaimedMessage[]> {
  if (items.length === 0) return [];
  const sorted = [...items].sort((a, b) => (a.messageId < b.messageId ? -1 : a.messageId > b.messageId ? 1 : 0));
  return runSqlOf(db)<ClaimedMessage>(Prisma.sql`
    WITH input AS (
      SELECT t.id, (t.at AT TIME ZONE 'UTC') AS at
      FROM unnest(${sorted.map((i) => i.messageId)}::uuid[], ${utc(sorted.map((i) => i.now))}::timestamptz[]) AS t(id, at)
    ), claimed AS (
      UPDATE "Message" AS m
      SET "status" = 'sending', "sendStartedAt" = NULL, "statusAt" = i.at, "attempts" = m."attempts" + 1, "updatedAt" = i.at
      FROM input AS i, "Channel" AS c
      WHERE m."id" = i.id AND m."id" = ANY(${sorted.map((i) => i.messageId)}::uuid[])
        AND m."status" = 'queued' AND m."externalId" IS NULL
        AND m."direction" = 'outbound' AND m."isPrivate" = false
        AND c."id" = m."channelId" AND c."status" = 'active'
      RETURNING m.*
    )
    SELECT claimed.*,
      ch."externalId" AS "_channelExternalId", ch."type" AS "_channelType", ch."throughputLimit" AS "_throughputLimit",
      conv."lastInboundAt" AS "_lastInboundAt",
      ct."id" AS "_contactId", ct."waId" AS "_waId", ct."userId" AS "_userId",
      ${currentConsentsSql(Prisma.sql`ct."id"`)} AS "_consents"
    FROM claimed
    JOIN "Channel" AS ch ON ch."id" = claimed."channelId"
    JOIN "Conversation" AS conv ON conv."id" = claimed."conversationId"
    JOIN "Contact" AS ct ON ct."id" = conv."contactId"`);
}

/**
 * Marks many claimed messages as handed to Graph in one statement, each only while its claim (status `sending`,
 * no wamid, the claim's attempt number) is still the caller's. Returns the ids it marked.
 */
async function markSendsStarted(
  db: Db | RunSql,
  items: { message: Pick<Message, "id" | "attempts">; now: Date }[],
): Promise<Set<string>> {
  if (items.length === 0) return new Set();
  const sorted = [...items].sort((a, b) => (a.message.id < b.message.id ? -1 : a.message.id > b.message.id ? 1 : 0));
  const rows = await runSqlOf(db)<{ id: string }>(Prisma.sql`
    UPDATE "Message" AS m SET "sendStartedAt" = (i.at AT TIME ZONE 'UTC'), "updatedAt" = (i.at AT TIME ZONE 'UTC')
    FROM unnest(${sorted.map((i) => i.message.id)}::uuid[], ${sorted.map((i) => i.message.attempts)}::int[], ${utc(sorted.map((i) => i.now))}::timestamptz[])
      AS i(id, attempts, at)
    WHERE m."id" = i.id AND m."id" = ANY(${sorted.map((i) => i.message.id)}::uuid[])
      AND m."status" = 'sending' AND m."externalId" IS NULL AND m."attempts" = i.attempts
    RETURNING m."id"`);
  return new Set(rows.map((r) => r.id));
}

/**
 * Records wamids and `sent` for many messages in one statement (a status webhook that linked the wamid first
 * wins; a message already failed keeps its state but gets the wamid). Status reports that arrived before the wamid
 * was known (kept unapplied by the receiver) are then applied, with a second statement only when there are any.
 * No interactive transaction.
 */
export async function recordAcceptedSends(
  db: Db | RunSql,
  items: { message: Pick<Message, "id" | "channelId">; externalId: string; now: Date }[],
): Promise<void> {
  if (items.length === 0) return;
  const run = runSqlOf(db);
  const sorted = [...items].sort((a, b) => (a.message.id < b.message.id ? -1 : a.message.id > b.message.id ? 1 : 0));
  const early = await run<{ channel: string; wamid: string }>(Prisma.sql`
    WITH input AS (
      SELECT t.id, t.channel, t.wamid, (t.at AT TIME ZONE 'UTC') AS at
      FROM unnest(${sorted.map((i) => i.message.id)}::uuid[], ${sorted.map((i) => i.message.channelId)}::uuid[],
                  ${sorted.map((i) => i.externalId)}::text[], ${utc(sorted.map((i) => i.now))}::timestamptz[]) AS t(id, channel, wamid, at)
    ), recorded AS (
      UPDATE "Message" AS m
      SET "externalId" = i.wamid,
        "status" = CASE WHEN m."status" = 'sending' THEN 'sent' ELSE m."status" END,
        "statusAt" = CASE WHEN m."status" = 'sending' THEN i.at ELSE m."statusAt" END,
        "sentAt" = CASE WHEN m."status" = 'sending' THEN i.at ELSE m."sentAt" END,
        "updatedAt" = i.at
      FROM input AS i
      WHERE m."id" = i.id AND m."id" = ANY(${sorted.map((i) => i.message.id)}::uuid[]) AND m."externalId" IS NULL
      RETURNING m."id"
    )
    -- Wamids with reports stored before the wamid was known: one index probe per wamid.
    SELECT i.channel::text AS channel, i.wamid FROM input AS i
    WHERE EXISTS (
      SELECT 1 FROM "MessageStatusEvent"
       WHERE "channelId" = i.channel AND "externalId" = i.wamid AND "messageId" IS NULL OFFSET 0)`);
  const byChannel = new Map<string, string[]>();
  for (const e of early) byChannel.set(e.channel, [...(byChannel.get(e.channel) ?? []), e.wamid]);
  for (const [channelId, wamids] of byChannel) await applyStatusReports(run, channelId, [], wamids);
}

/** One statement per send: for callers without concurrency (tests, one-off sends). */
export function createSendStatements(db: Db): SendStatements {
  return {
    claim: async (messageId, now) => (await claimAndLoadMessages(db, [{ messageId, now }]))[0],
    markSendStarted: async (message, now) => (await markSendsStarted(db, [{ message, now }])).has(message.id),
    record: (message, externalId, now) => recordAcceptedSends(db, [{ message, externalId, now }]),
  };
}

/**
 * A record waits this long for others: after the send, so it delays no request (sentAt is taken before), and well
 * within the time before Meta's first status webhook.
 */
const RECORD_LINGER_MS = 50;

/**
 * The worker's statements, group-committed: claims (marks, records) of sends that start (and finish) while others
 * are in flight share one statement — with dozens of concurrent sends this saves a commit and a WAL flush per
 * message, which is what bounded the send rate. A lone send still runs its statement at once. `db` is Prisma or,
 * cheaper per row, a plain pg pool's RunSql (what the worker passes when the launcher gave it one).
 */
export function createGroupedSendStatements(db: Db | RunSql, options: { maxConcurrent?: number } = {}): SendStatements {
  // Records come one per send, at the sends' spacing (~13 ms at 80 msg/s), so overlapping runs alone rarely group
  // them: they wait a little for each other (off the send path). Marks do not: a send whose slot is due at once
  // waits for its mark, and one later than 50 ms loses its slot.
  const recordsOptions = { ...options, lingerMs: RECORD_LINGER_MS };
  const claims = createGroupCommit<{ messageId: string; now: Date }, ClaimedMessage | undefined>(async (batch) => {
    const rows = await claimAndLoadMessages(
      db,
      batch.map((p) => p.input),
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const p of batch) p.resolve(byId.get(p.input.messageId));
  }, options);
  const marks = createGroupCommit<{ message: Pick<Message, "id" | "attempts">; now: Date }, boolean>(async (batch) => {
    const marked = await markSendsStarted(
      db,
      batch.map((p) => p.input),
    );
    for (const p of batch) p.resolve(marked.has(p.input.message.id));
  }, options);
  const records = createGroupCommit<
    { message: Pick<Message, "id" | "channelId">; externalId: string; now: Date },
    void
  >(async (batch) => {
    await recordAcceptedSends(
      db,
      batch.map((p) => p.input),
    );
    for (const p of batch) p.resolve();
  }, recordsOptions);
  return {
    claim: (messageId, now) => claims.submit({ messageId, now }),
    markSendStarted: (message, now) => marks.submit({ message: { id: message.id, attempts: message.attempts }, now }),
    record: (message, externalId, now) =>
      records.submit({ message: { id: message.id, channelId: message.channelId }, externalId, now }),
  };
}
