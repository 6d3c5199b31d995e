import { pgSql, type Db, type PgPool } from "@inbox/db";
import { isMessagesChange, type MessagesValue, type WebhookPayload } from "@inbox/whatsapp";
import type { ChannelDirectory, InboundChannel } from "./channel-directory";
import { matchConsentKeyword, type ConsentKeywordCache } from "./consent-keywords";
import { describeInboundMessage } from "./describe-inbound-message";
import { identityKey, type ContactIdentity } from "./resolve-contact";
import { storePhoneSenderMessages, type PhoneSender, type PhoneSendersResult } from "./store-phone-senders";

/**
 * The receiver's hot path on a plain `pg` pool: deliveries made only of customer messages from senders known by
 * phone (no BSUID, no system message, no media, no consent keyword, no statuses or errors — the bulk of a
 * campaign's replies) are stored by one call of the database function behind `storePhoneSenderMessages`, outside
 * any client-side transaction: one round trip and one commit per group-committed batch, without Prisma's
 * per-statement cost. Everything else goes through the full path (`applyInTransaction`), which uses the same
 * function for the same kind of senders. Same guarantees either way.
 */
export interface FastValue {
  channel: InboundChannel;
  senders: PhoneSender[];
}

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
      const senders = new Map<string, PhoneSender>();
      for (const m of value.messages) {
        if (m.type === "system" || m.from_user_id || !m.from || !identityKey({ waId: m.from })) return null;
        const d = describeInboundMessage(m);
        if (d.media) return null;
        if (d.keywordText && matchConsentKeyword(d.keywordText, await keywords.get(db))) return null;
        const sender = senders.get(m.from) ?? { identity: { ...profiles.get(m.from), waId: m.from }, messages: [] };
        sender.messages.push(m);
        senders.set(m.from, sender);
      }
      values.push({ channel, senders: [...senders.values()] });
    }
  }
  return values.length > 0 ? values : null;
}

/**
 * Stores a planned delivery. One channel (the normal case) is one autocommitted call; several channels in one
 * delivery share a transaction on one pooled connection, so the delivery stays all-or-nothing.
 */
export async function applyFastDelivery(pool: PgPool, values: FastValue[]): Promise<PhoneSendersResult[]> {
  if (values.length === 1) return [await storePhoneSenderMessages(pgSql(pool), values[0]!.channel, values[0]!.senders)];
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query("BEGIN");
    try {
      const results: PhoneSendersResult[] = [];
      for (const v of values) results.push(await storePhoneSenderMessages(pgSql(client), v.channel, v.senders));
      await client.query("COMMIT");
      return results;
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
