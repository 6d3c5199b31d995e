import { pgSql, withTransaction, type Db, type PgPool, type RunSql } from "@inbox/db";
import { isMessagesChange, type MessagesValue, type WebhookPayload } from "@inbox/whatsapp";
import type { ChannelDirectory, InboundChannel } from "./channel-directory";
import { matchConsentKeyword, type ConsentKeywordCache } from "./consent-keywords";
import { describeInboundMessage } from "./describe-inbound-message";
import { identityKey, type ContactIdentity } from "./resolve-contact";
import { storePhoneSenderMessages, type PhoneSender, type PhoneSendersResult } from "./store-phone-senders";
import { applyStatusReports, toStatusReports, type StatusReport } from "./apply-status-events";

/**
 * The receiver's hot path on a plain `pg` pool, for deliveries made only of status reports and of customer
 * messages from senders known by phone (no BSUID, no system message, no media, no consent keyword, no value-level
 * errors) — the bulk of traffic: a campaign's statuses and replies. Messages are stored by one call of the
 * database function behind `storePhoneSenderMessages`, statuses by the one statement of `applyStatusReports`;
 * a batch with only one of them runs it outside any client-side transaction (one round trip, one commit), a batch
 * with both runs them in one transaction. Everything else goes through the full path (`applyInTransaction`),
 * which uses the same two for the same kinds of content. Same guarantees either way.
 */
export interface FastValue {
  channel: InboundChannel;
  senders: PhoneSender[];
  statuses: StatusReport[];
}

export interface FastResult {
  messages: PhoneSendersResult | null;
  statuses: { recorded: number; updatedMessageIds: string[] };
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
      if (value.errors?.length || (!value.messages?.length && !value.statuses?.length)) return null;
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
      for (const m of value.messages ?? []) {
        if (m.type === "system" || m.from_user_id || !m.from || !identityKey({ waId: m.from })) return null;
        const d = describeInboundMessage(m);
        if (d.media) return null;
        if (d.keywordText && matchConsentKeyword(d.keywordText, await keywords.get(db))) return null;
        const sender = senders.get(m.from) ?? { identity: { ...profiles.get(m.from), waId: m.from }, messages: [] };
        sender.messages.push(m);
        senders.set(m.from, sender);
      }
      values.push({ channel, senders: [...senders.values()], statuses: toStatusReports(value.statuses ?? []) });
    }
  }
  return values.length > 0 ? values : null;
}

/**
 * Stores a planned delivery: one kind of content of one channel (the normal case) is one autocommitted statement;
 * anything more shares a transaction on one pooled connection, so the delivery stays all-or-nothing.
 */
export async function applyFastDelivery(db: Db, pool: PgPool, values: FastValue[]): Promise<FastResult[]> {
  const applyValue = async (run: RunSql, v: FastValue): Promise<FastResult> => ({
    messages: v.senders.length > 0 ? await storePhoneSenderMessages(run, v.channel, v.senders) : null,
    statuses: await applyStatusReports(run, v.channel.id, v.statuses),
  });
  const only = values.length === 1 ? values[0]! : undefined;
  if (only && (only.senders.length === 0 || only.statuses.length === 0)) return [await applyValue(pgSql(pool), only)];
  return withTransaction({ db, pool }, async (run) => {
    const results: FastResult[] = [];
    for (const v of values) results.push(await applyValue(run, v));
    return results;
  });
}
