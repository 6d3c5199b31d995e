import { Prisma, type Contact } from "@inbox/db";
import { SERVICE_WINDOW_MS } from "../conversations/window";
import type { OpenedConversation } from "./open-conversation";
import type { ContactIdentity } from "./resolve-contact";
import { lockContactsByWaId } from "./key-lookups";
import type { RunSql } from "./sql";

/**
 * Set-based versions of resolveContact + openConversation for the common case of a (group-committed) delivery:
 * many senders, each known by phone only (no BSUID, no system messages). A handful of statements for the whole
 * group instead of 3–4 per sender; the per-sender functions stay for everything else (merges, identifier changes).
 * Same guarantees: contacts locked FOR UPDATE in waId order, created with ON CONFLICT DO NOTHING on the unique
 * (channelId, waId) index, conversations found or opened in one statement with the unique activeContactId as the
 * backstop, the window only moving forward.
 */
export interface SimpleSender {
  identity: ContactIdentity & { waId: string };
  seenAt: Date;
}

const clean = (v: string | null | undefined): string | null => (v && v.trim() !== "" ? v : null);

/** Returns waId → locked contact for every sender. Senders must have distinct waIds. */
export async function resolveContactsByWaId(run: RunSql, channelId: string, senders: SimpleSender[]): Promise<Map<string, Contact>> {
  const sorted = [...senders].sort((a, b) => (a.identity.waId < b.identity.waId ? -1 : a.identity.waId > b.identity.waId ? 1 : 0));
  const byWaId = new Map(sorted.map((s) => [s.identity.waId, s]));
  const waIds = sorted.map((s) => s.identity.waId);
  const result = new Map<string, Contact>();
  for (let attempt = 0; attempt < 3; attempt++) {
    const missing = waIds.filter((w) => !result.has(w));
    if (missing.length === 0) break;
    const found = await lockContactsByWaId(run, channelId, missing);
    for (const c of await updateProfiles(run, found.map((c) => ({ contact: c, sender: byWaId.get(c.waId!)! })))) result.set(c.waId!, c);
    const toCreate = missing.filter((w) => !result.has(w)).map((w) => byWaId.get(w)!);
    if (toCreate.length === 0) break;
    const created = await run<Contact>(Prisma.sql`
      INSERT INTO "Contact" (id, "channelId", "waId", "parentUserId", username, "profileName", "countryCode", "lastSeenAt", "updatedAt")
      SELECT gen_random_uuid(), ${channelId}::uuid, t.wa, t.parent, t.uname, t.pname, t.cc, (t.seen AT TIME ZONE 'UTC'), (now() AT TIME ZONE 'UTC')
      FROM unnest(${toCreate.map((s) => s.identity.waId)}::text[], ${toCreate.map((s) => clean(s.identity.parentUserId))}::text[],
                  ${toCreate.map((s) => clean(s.identity.username))}::text[], ${toCreate.map((s) => clean(s.identity.profileName))}::text[],
                  ${toCreate.map((s) => clean(s.identity.countryCode))}::text[], ${toCreate.map((s) => s.seenAt.toISOString())}::timestamptz[])
        AS t(wa, parent, uname, pname, cc, seen)
      ORDER BY t.wa
      ON CONFLICT DO NOTHING RETURNING *`);
    for (const c of created) result.set(c.waId!, c);
    // Rows a concurrent delivery created in the meantime are read (and locked) on the next pass.
  }
  if (result.size !== waIds.length) throw new Error("resolveContactsByWaId: could not create or find the contacts");
  return result;
}

export interface BulkConversationInput {
  contactId: string;
  /** Meta's timestamp of the newest customer message of this contact in the delivery. */
  lastInboundAt: Date;
  /** Customer messages to add to the unread count (> 0). */
  unread: number;
}

/** openConversation for many contacts (each locked by the caller) in one statement. Returns contactId → conversation. */
export async function openConversations(
  run: RunSql,
  channelId: string,
  defaultTeamId: string | null,
  inputs: BulkConversationInput[],
): Promise<Map<string, OpenedConversation>> {
  const cids = inputs.map((i) => i.contactId);
  const inbound = inputs.map((i) => i.lastInboundAt.toISOString());
  const expires = inputs.map((i) => new Date(i.lastInboundAt.getTime() + SERVICE_WINDOW_MS).toISOString());
  const unread = inputs.map((i) => i.unread);
  const rows = await run<OpenedConversation & { contactId: string }>(Prisma.sql`
    WITH i AS (
      SELECT t.cid, (t.inb AT TIME ZONE 'UTC') AS inb, (t.exp AT TIME ZONE 'UTC') AS exp, t.unread
      FROM unnest(${cids}::uuid[], ${inbound}::timestamptz[], ${expires}::timestamptz[], ${unread}::int[]) AS t(cid, inb, exp, unread)
    ), upd AS (
      UPDATE "Conversation" c SET
        "lastInboundAt" = GREATEST(c."lastInboundAt", i.inb),
        "windowExpiresAt" = GREATEST(c."windowExpiresAt", i.exp),
        "lastMessageAt" = GREATEST(c."lastMessageAt", i.inb),
        "unreadCount" = c."unreadCount" + i.unread,
        status = CASE WHEN i.unread > 0 AND c.status = 'pending' THEN 'open'::"ConversationStatus" ELSE c.status END,
        "snoozedUntil" = CASE WHEN i.unread > 0 THEN NULL ELSE c."snoozedUntil" END,
        "updatedAt" = (now() AT TIME ZONE 'UTC')
      FROM i WHERE c."activeContactId" = i.cid
      RETURNING c.id, i.cid AS "contactId", c."teamId", c."assigneeId", false AS "isNew", false AS "isReopened"
    ), reo AS (
      UPDATE "Conversation" c SET
        "activeContactId" = i.cid, status = 'open', "resolvedAt" = NULL, "snoozedUntil" = NULL,
        "lastInboundAt" = GREATEST(c."lastInboundAt", i.inb),
        "windowExpiresAt" = GREATEST(c."windowExpiresAt", i.exp),
        "lastMessageAt" = GREATEST(c."lastMessageAt", i.inb),
        "unreadCount" = c."unreadCount" + i.unread, "updatedAt" = (now() AT TIME ZONE 'UTC')
      FROM i
      WHERE i.unread > 0 AND NOT EXISTS (SELECT 1 FROM upd WHERE upd."contactId" = i.cid) AND c.id = (
        SELECT x.id FROM "Conversation" x WHERE x."contactId" = i.cid AND x."activeContactId" IS NULL
        ORDER BY x."createdAt" DESC LIMIT 1)
      RETURNING c.id, i.cid AS "contactId", c."teamId", c."assigneeId", false AS "isNew", true AS "isReopened"
    ), ins AS (
      INSERT INTO "Conversation" (id, "channelId", "contactId", "activeContactId", status, "teamId", "lastMessageAt",
                                  "lastInboundAt", "windowExpiresAt", "unreadCount", "updatedAt")
      SELECT gen_random_uuid(), ${channelId}::uuid, i.cid, i.cid, 'open', ${defaultTeamId}::uuid, i.inb, i.inb, i.exp, i.unread,
             (now() AT TIME ZONE 'UTC')
      FROM i
      WHERE NOT EXISTS (SELECT 1 FROM upd WHERE upd."contactId" = i.cid) AND NOT EXISTS (SELECT 1 FROM reo WHERE reo."contactId" = i.cid)
      ORDER BY i.cid
      ON CONFLICT ("activeContactId") DO NOTHING
      RETURNING id, "contactId", "teamId", "assigneeId", true AS "isNew", false AS "isReopened"
    )
    SELECT * FROM upd UNION ALL SELECT * FROM reo UNION ALL SELECT * FROM ins`);
  const byContact = new Map(rows.map((r) => [r.contactId, r]));
  if (byContact.size !== inputs.length) {
    throw new Error("openConversations: concurrent conversation for a contact; retry the delivery");
  }
  return byContact;
}

/**
 * updateContactProfile for phone-only senders, as one statement for all of them: a new profile value replaces an
 * old one (never blanks it), `lastSeenAt` moves forward when it is older than 5 minutes or the profile changed.
 * Contacts with nothing to change are returned as they are, without a write.
 */
async function updateProfiles(run: RunSql, items: { contact: Contact; sender: SimpleSender }[]): Promise<Contact[]> {
  const keys = ["parentUserId", "username", "profileName", "countryCode"] as const;
  const unchanged: Contact[] = [];
  const updates: { id: string; values: Record<(typeof keys)[number], string | null>; seenAt: Date | null }[] = [];
  for (const { contact, sender } of items) {
    const values = Object.fromEntries(keys.map((k) => [k, clean(sender.identity[k]) ?? contact[k]])) as Record<(typeof keys)[number], string | null>;
    const isChanged = keys.some((k) => values[k] !== contact[k]);
    const isStale = !contact.lastSeenAt || contact.lastSeenAt.getTime() + 5 * 60_000 < sender.seenAt.getTime();
    const moveSeen = isStale || (isChanged && contact.lastSeenAt !== null && contact.lastSeenAt < sender.seenAt);
    if (!isChanged && !moveSeen) unchanged.push(contact);
    else updates.push({ id: contact.id, values, seenAt: moveSeen ? sender.seenAt : null });
  }
  if (updates.length === 0) return unchanged;
  const col = (k: (typeof keys)[number]) => updates.map((u) => u.values[k]);
  const updated = await run<Contact>(Prisma.sql`
    UPDATE "Contact" c SET "parentUserId" = t.parent, username = t.uname, "profileName" = t.pname, "countryCode" = t.cc,
           "lastSeenAt" = COALESCE((t.seen AT TIME ZONE 'UTC'), c."lastSeenAt"), "updatedAt" = (now() AT TIME ZONE 'UTC')
      FROM unnest(${updates.map((u) => u.id)}::uuid[], ${col("parentUserId")}::text[], ${col("username")}::text[],
                  ${col("profileName")}::text[], ${col("countryCode")}::text[], ${updates.map((u) => u.seenAt?.toISOString() ?? null)}::timestamptz[])
        AS t(id, parent, uname, pname, cc, seen)
     WHERE c.id = t.id
    RETURNING c.*`);
  return [...unchanged, ...updated];
}
