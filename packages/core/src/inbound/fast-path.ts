import { pgSql, withTransaction, type Db, type PgPool, type RunSql } from "@inbox/db";
import { matchConsentKeyword, type ConsentKeywordCache } from "../consent/consent-keywords";
import type { InboundChannel } from "./channel-directory";
import type { PreparedDelivery } from "./prepare-delivery";
import type { ContactIdentity } from "./resolve-contact";
import { storeMessages, type PhoneSender, type StoreMessagesResult } from "./store-messages";
import { applyStatusReports, toStatusReports, type StatusReport } from "./apply-status-events";

/**
 * The receiver's FAST PATH on a plain `pg` pool, for deliveries made only of status reports and of customer
 * messages from senders known by phone (no BSUID, no identity event, no media, no consent keyword, nothing to
 * quarantine) — the bulk of traffic: a campaign's statuses and replies. Messages (including ones shown as
 * `unsupported`) are stored by one call of the one write path (`storeMessages`: upsert the phone senders' contacts,
 * then the same database function the full path calls), statuses by the one statement of `applyStatusReports`. A
 * batch with only one of them runs it outside any client-side transaction (one round trip, one commit); a batch
 * with both runs them in one transaction. Everything else takes the full path (`applyFullPath`).
 */
export interface FastPathValue {
  channel: InboundChannel;
  senders: PhoneSender[];
  statuses: StatusReport[];
}

export interface FastPathResult {
  messages: StoreMessagesResult | null;
  statuses: { recorded: number; updatedMessageIds: string[] };
}

/** The plan for the fast path, or null when the delivery needs the full path. Reads only cached settings. */
export async function planFastPath(
  db: Db,
  keywords: ConsentKeywordCache,
  prepared: PreparedDelivery,
): Promise<FastPathValue[] | null> {
  if (prepared.quarantine.length || prepared.preferences.length || prepared.records.length) return null;
  const values: FastPathValue[] = [];
  for (const value of prepared.values) {
    const profiles = new Map<string, ContactIdentity>();
    for (const c of value.contacts) {
      if (c.user_id || !c.wa_id) return null;
      profiles.set(c.wa_id, {
        parentUserId: c.parent_user_id,
        username: c.profile?.username,
        profileName: c.profile?.name,
        countryCode: c.profile?.country_code,
      });
    }
    const senders = new Map<string, PhoneSender>();
    for (const e of value.elements) {
      const waId = e.sender.waId;
      if (!waId || e.sender.userId || !e.isCustomerMessage || e.identityChange || e.media) return null;
      if (e.keywordText && matchConsentKeyword(e.keywordText, await keywords.get(db))) return null;
      const sender = senders.get(waId) ?? { identity: { ...profiles.get(waId), waId }, elements: [] };
      sender.elements.push(e);
      senders.set(waId, sender);
    }
    values.push({ channel: value.channel, senders: [...senders.values()], statuses: toStatusReports(value.statuses) });
  }
  return values.length > 0 ? values : null;
}

/**
 * Stores a planned delivery: one kind of content of one channel (the normal case) is one autocommitted statement;
 * anything more shares a transaction on one pooled connection, so the delivery stays all-or-nothing.
 */
export async function applyFastPath(db: Db, pool: PgPool, values: FastPathValue[]): Promise<FastPathResult[]> {
  const applyValue = async (run: RunSql, v: FastPathValue): Promise<FastPathResult> => ({
    messages: v.senders.length > 0 ? await storeMessages(run, v.channel, { phoneSenders: v.senders }) : null,
    statuses: await applyStatusReports(run, v.channel.id, v.statuses),
  });
  const only = values.length === 1 ? values[0]! : undefined;
  if (only && (only.senders.length === 0 || only.statuses.length === 0)) return [await applyValue(pgSql(pool), only)];
  return withTransaction({ db, pool }, async (run) => {
    const results: FastPathResult[] = [];
    for (const v of values) results.push(await applyValue(run, v));
    return results;
  });
}
