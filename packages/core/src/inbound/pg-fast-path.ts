import { randomUUID } from "node:crypto";
import { Prisma, type Db, type PgPool } from "@inbox/db";
import { JOB_SCHEMAS, type OutboxEntry } from "@inbox/jobs";
import { isMessagesChange, type InboundMessage, type MessagesValue, type WebhookPayload } from "@inbox/whatsapp";
import { openConversations, resolveContactsByWaId } from "./bulk-contacts";
import { findKnownExternalIds } from "./key-lookups";
import type { ChannelDirectory, InboundChannel } from "./channel-directory";
import { matchConsentKeyword, type ConsentKeywordCache } from "./consent-keywords";
import { describeInboundMessage } from "./describe-inbound-message";
import { identityKey, type ContactIdentity } from "./resolve-contact";
import { pgSql, sqlTimestamp, type RunSql } from "./sql";

/**
 * The receiver's hot path on a plain `pg` connection: deliveries made only of customer messages from senders
 * known by phone (no BSUID, no system message, no media, no consent keyword, no statuses or errors — the bulk of
 * a campaign's replies) run as a handful of raw statements in one short transaction, without Prisma's
 * per-statement cost. Everything else goes through the full path (`applyInTransaction`). Same guarantees:
 * one transaction, messages unique on (channel, wamid), contacts locked in waId order, conversations found or
 * opened in one statement, `conversation.route` jobs in the outbox in the same transaction.
 */
export interface FastValue {
  channel: InboundChannel;
  groups: { waId: string; identity: ContactIdentity & { waId: string }; messages: InboundMessage[] }[];
}

export interface FastResult {
  outboxWritten: boolean;
  createdMessageIds: string[];
  conversationIds: string[];
  messages: number;
  duplicates: number;
}

const unixSeconds = (s: string | number) => new Date(Math.max(0, Math.min(Number(s) * 1000, Date.now() + 24 * 3600 * 1000)));

/** The plan for the fast path, or null when the delivery needs the full path. Reads only cached lookups. */
export async function planFastDelivery(
  db: Db,
  channels: ChannelDirectory,
  keywords: ConsentKeywordCache,
  payload: WebhookPayload,
): Promise<FastValue[] | null> {
  const values: FastValue[] = [];
  for (const entry of payload.entry) {
    for (const change of entry.changes) {
      if (!isMessagesChange(change)) return null;
      const value: MessagesValue = change.value;
      if (value.statuses?.length || value.errors?.length || !value.messages?.length) return null;
      const channel = await channels.findWhatsApp(db, value.metadata.phone_number_id);
      if (!channel) return null;
      const profiles = new Map<string, ContactIdentity>();
      for (const c of value.contacts ?? []) {
        if (c.user_id || !c.wa_id) return null;
        profiles.set(c.wa_id, {
          parentUserId: c.parent_user_id,
          username: c.profile?.username,
          profileName: c.profile?.name,
          countryCode: c.profile?.country_code,
        });
      }
      const groups = new Map<string, FastValue["groups"][number]>();
      for (const m of value.messages) {
        if (m.type === "system" || m.from_user_id || !m.from || !identityKey({ waId: m.from })) return null;
        const d = describeInboundMessage(m);
        if (d.media) return null;
        if (d.keywordText && matchConsentKeyword(d.keywordText, await keywords.get(db))) return null;
        const group = groups.get(m.from) ?? { waId: m.from, identity: { ...profiles.get(m.from), waId: m.from }, messages: [] };
        group.messages.push(m);
        groups.set(m.from, group);
      }
      values.push({ channel, groups: [...groups.values()] });
    }
  }
  return values.length > 0 ? values : null;
}

/** Runs a planned delivery in one transaction on a pooled pg connection. */
export async function applyFastDelivery(pool: PgPool, values: FastValue[]): Promise<FastResult> {
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query("BEGIN");
    try {
      const result = await applyFastValues(pgSql(client), values);
      await client.query("COMMIT");
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {
        broken = true;
      });
      throw error;
    }
  } finally {
    client.release(broken);
  }
}

async function applyFastValues(run: RunSql, values: FastValue[]): Promise<FastResult> {
  const result: FastResult = { outboxWritten: false, createdMessageIds: [], conversationIds: [], messages: 0, duplicates: 0 };
  const jobs: OutboxEntry[] = [];
  const conversationIds = new Set<string>();
  for (const { channel, groups: allGroups } of values) {
    // Known wamids skip all work (a redelivery must not reopen a resolved conversation); the insert below is
    // still ON CONFLICT DO NOTHING, so a concurrent duplicate is stopped by the unique index, not by this read.
    const ids = [...new Set(allGroups.flatMap((g) => g.messages.map((m) => m.id)))];
    const skip = await findKnownExternalIds(run, channel.id, ids);
    let total = 0;
    const groups = allGroups
      .map((g) => {
        total += g.messages.length;
        const messages = g.messages.filter((m) => {
          if (skip.has(m.id)) return false;
          skip.add(m.id);
          return true;
        });
        return { ...g, messages };
      })
      .filter((g) => g.messages.length > 0)
      .sort((a, b) => (a.waId < b.waId ? -1 : a.waId > b.waId ? 1 : 0));
    const fresh = groups.reduce((n, g) => n + g.messages.length, 0);
    result.duplicates += total - fresh;
    if (groups.length === 0) continue;

    const newest = (ms: InboundMessage[]) => new Date(Math.max(...ms.map((m) => unixSeconds(m.timestamp).getTime())));
    const contacts = await resolveContactsByWaId(
      run,
      channel.id,
      groups.map((g) => ({ identity: g.identity, seenAt: newest(g.messages) })),
    );
    const conversations = await openConversations(
      run,
      channel.id,
      channel.defaultTeamId,
      groups.map((g) => ({ contactId: contacts.get(g.waId)!.id, lastInboundAt: newest(g.messages), unread: g.messages.length })),
    );
    const rows = groups.flatMap((g) => {
      const conversation = conversations.get(contacts.get(g.waId)!.id)!;
      conversationIds.add(conversation.id);
      if (conversation.isNew) {
        jobs.push({ name: "conversation.route", payload: { conversationId: conversation.id }, jobId: `conversation.route-${conversation.id}` });
      }
      return g.messages.map((m) => ({ m, d: describeInboundMessage(m), id: randomUUID(), conversationId: conversation.id }));
    });
    const inserted = await run<{ id: string; conversationId: string }>(Prisma.sql`
      INSERT INTO "Message" (id, "conversationId", "channelId", direction, type, text, payload, "externalId", status, "statusAt",
                             "providerTimestamp", "replyToExternalId", "createdAt", "updatedAt")
      SELECT t.id, t.conv, ${channel.id}::uuid, 'inbound', t.type, t.text, t.payload, t.wamid, 'received',
             (t.at AT TIME ZONE 'UTC'), (t.at AT TIME ZONE 'UTC'), t.reply, (now() AT TIME ZONE 'UTC'), (now() AT TIME ZONE 'UTC')
      FROM unnest(${rows.map((r) => r.id)}::uuid[], ${rows.map((r) => r.conversationId)}::uuid[], ${rows.map((r) => r.m.type)}::text[],
                  ${rows.map((r) => r.d.text ?? null)}::text[], ${rows.map((r) => JSON.stringify(r.m))}::jsonb[], ${rows.map((r) => r.m.id)}::text[],
                  ${rows.map((r) => unixSeconds(r.m.timestamp).toISOString())}::timestamptz[], ${rows.map((r) => r.d.replyToExternalId ?? null)}::text[])
        AS t(id, conv, type, text, payload, wamid, at, reply)
      ON CONFLICT DO NOTHING RETURNING id, "conversationId"`);
    result.messages += inserted.length;
    result.createdMessageIds.push(...inserted.map((r) => r.id));
    const lostBy = new Map<string, number>();
    const insertedIds = new Set(inserted.map((r) => r.id));
    for (const r of rows) if (!insertedIds.has(r.id)) lostBy.set(r.conversationId, (lostBy.get(r.conversationId) ?? 0) + 1);
    for (const [conversationId, lost] of lostBy) {
      // A concurrent delivery stored some of these first: they were counted as unread there.
      result.duplicates += lost;
      await run(Prisma.sql`
        UPDATE "Conversation" SET "unreadCount" = "unreadCount" - ${lost}::int, "updatedAt" = (now() AT TIME ZONE 'UTC')
        WHERE id = ${conversationId}::uuid RETURNING id`);
    }
  }
  if (jobs.length > 0) {
    const now = new Date();
    await run(Prisma.sql`
      INSERT INTO "OutboxJob" (name, payload, "jobId", "availableAt", "createdAt")
      SELECT t.name, t.payload, t.job, ${sqlTimestamp(now)}, ${sqlTimestamp(now)}
      FROM unnest(${jobs.map((j) => j.name)}::text[], ${jobs.map((j) => JSON.stringify(JOB_SCHEMAS[j.name].parse(j.payload)))}::jsonb[],
                  ${jobs.map((j) => j.jobId ?? `${j.name}-${randomUUID()}`)}::text[]) AS t(name, payload, job)
      ON CONFLICT DO NOTHING RETURNING id`);
    result.outboxWritten = true;
  }
  result.conversationIds = [...conversationIds];
  return result;
}
