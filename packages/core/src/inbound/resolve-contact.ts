import { Prisma, sqlTimestamp, type Contact, type DbTx } from "@inbox/db";

export interface ContactIdentity {
  waId?: string | null | undefined;
  userId?: string | null | undefined;
  parentUserId?: string | null | undefined;
  username?: string | null | undefined;
  profileName?: string | null | undefined;
  countryCode?: string | null | undefined;
}

/** A profile or identifier value Meta sent, or null when it is missing or blank (blank never replaces a value). */
export const cleanValue = (v: string | null | undefined): string | null => (v && v.trim() !== "" ? v : null);

/** The key a delivery uses to refer to a customer: phone when known, else the business-scoped user id. */
export function identityKey(identity: {
  waId?: string | null | undefined;
  userId?: string | null | undefined;
}): string | null {
  const waId = cleanValue(identity.waId);
  if (waId) return `w:${waId}`;
  const userId = cleanValue(identity.userId);
  return userId ? `u:${userId}` : null;
}

/**
 * Finds or creates the contact Meta identifies by phone (`waId`) and/or business-scoped user id (`userId`),
 * filling in the missing identifier and profile, and merging two contacts when one delivery shows they are the
 * same person. The contact row(s) stay locked (FOR UPDATE) until the transaction ends, which serialises
 * everything that follows for this customer (conversation find-or-open) across concurrent deliveries.
 */
export async function resolveContact(
  tx: DbTx,
  channelId: string,
  identity: ContactIdentity,
  seenAt: Date,
): Promise<Contact> {
  const waId = cleanValue(identity.waId);
  const userId = cleanValue(identity.userId);
  if (!waId && !userId) throw new Error("resolveContact: neither waId nor userId");
  for (let attempt = 0; attempt < 3; attempt++) {
    const found = await tx.$queryRaw<Contact[]>`
      SELECT * FROM "Contact" WHERE "channelId" = ${channelId}::uuid
        AND (("waId" = ${waId} AND ${waId}::text IS NOT NULL) OR ("userId" = ${userId} AND ${userId}::text IS NOT NULL))
      ORDER BY "createdAt", id FOR UPDATE`;
    if (found.length === 0) {
      const created = await tx.$queryRaw<Contact[]>`
        INSERT INTO "Contact" (id, "channelId", "waId", "userId", "parentUserId", username, "profileName", "countryCode", "lastSeenAt", "updatedAt")
        VALUES (gen_random_uuid(), ${channelId}::uuid, ${waId}, ${userId}, ${cleanValue(identity.parentUserId)}, ${cleanValue(identity.username)},
                ${cleanValue(identity.profileName)}, ${cleanValue(identity.countryCode)}, ${sqlTimestamp(seenAt)}, (now() AT TIME ZONE 'UTC'))
        ON CONFLICT DO NOTHING RETURNING *`;
      if (created[0]) return created[0];
      continue; // a concurrent delivery created it: read (and lock) it
    }
    let survivor = found[0]!;
    if (found.length > 1) {
      for (const other of found.slice(1)) survivor = await mergeContacts(tx, survivor, other);
    }
    return updateContactProfile(tx, survivor, { ...identity, waId, userId }, seenAt);
  }
  throw new Error("resolveContact: could not create or find the contact");
}

/** Sets missing identifiers and newer profile data; no write when nothing changed. */
async function updateContactProfile(
  tx: DbTx,
  contact: Contact,
  identity: ContactIdentity,
  seenAt: Date,
): Promise<Contact> {
  const data: Prisma.ContactUpdateInput = {};
  const waId = cleanValue(identity.waId);
  const userId = cleanValue(identity.userId);
  if (waId && contact.waId !== waId) data.waId = waId;
  if (userId && contact.userId !== userId) data.userId = userId;
  for (const key of ["parentUserId", "username", "profileName", "countryCode"] as const) {
    const value = cleanValue(identity[key]);
    if (value && contact[key] !== value) data[key] = value;
  }
  // lastSeenAt alone is refreshed at most every 5 minutes: a chatty customer does not cost a write per message.
  const isStale = !contact.lastSeenAt || contact.lastSeenAt.getTime() + 5 * 60_000 < seenAt.getTime();
  if (isStale || (Object.keys(data).length > 0 && contact.lastSeenAt && contact.lastSeenAt < seenAt))
    data.lastSeenAt = seenAt;
  if (Object.keys(data).length === 0) return contact;
  return tx.contact.update({ where: { id: contact.id }, data });
}

/**
 * Merges `loser` into `survivor` (both locked): conversations, consents and labels move over, the loser keeps a
 * pointer (`mergedIntoId`) and gives up its identifiers. When both have an active conversation, the loser's
 * messages move into the survivor's and the loser's conversation is resolved, so history stays with the person.
 */
async function mergeContacts(tx: DbTx, survivor: Contact, loser: Contact): Promise<Contact> {
  if (survivor.id === loser.id) return survivor;
  await tx.contact.update({ where: { id: loser.id }, data: { waId: null, userId: null, mergedIntoId: survivor.id } });
  const survivorActive = await tx.conversation.findUnique({ where: { activeContactId: survivor.id } });
  const loserActive = await tx.conversation.findUnique({ where: { activeContactId: loser.id } });
  if (loserActive) {
    if (survivorActive) {
      await tx.message.updateMany({
        where: { conversationId: loserActive.id },
        data: { conversationId: survivorActive.id },
      });
      await tx.conversation.update({
        where: { id: loserActive.id },
        data: { activeContactId: null, status: "resolved", resolvedAt: new Date(), unreadCount: 0 },
      });
      await tx.$executeRaw`
        UPDATE "Conversation" SET
          "lastInboundAt" = GREATEST("lastInboundAt", ${sqlTimestamp(loserActive.lastInboundAt)}),
          "lastMessageAt" = GREATEST("lastMessageAt", ${sqlTimestamp(loserActive.lastMessageAt)}),
          "unreadCount" = "unreadCount" + ${loserActive.unreadCount}, "updatedAt" = (now() AT TIME ZONE 'UTC')
        WHERE id = ${survivorActive.id}::uuid`;
    } else {
      await tx.conversation.update({ where: { id: loserActive.id }, data: { activeContactId: survivor.id } });
    }
  }
  await tx.conversation.updateMany({ where: { contactId: loser.id }, data: { contactId: survivor.id } });
  await tx.consent.updateMany({ where: { contactId: loser.id }, data: { contactId: survivor.id } });
  await tx.$executeRaw`
    INSERT INTO "ContactLabel" ("contactId", "labelId") SELECT ${survivor.id}::uuid, "labelId" FROM "ContactLabel"
    WHERE "contactId" = ${loser.id}::uuid ON CONFLICT DO NOTHING`;
  return tx.contact.update({
    where: { id: survivor.id },
    data: {
      waId: survivor.waId ?? loser.waId,
      userId: survivor.userId ?? loser.userId,
      parentUserId: survivor.parentUserId ?? loser.parentUserId,
      username: survivor.username ?? loser.username,
      profileName: survivor.profileName ?? loser.profileName,
      countryCode: survivor.countryCode ?? loser.countryCode,
    },
  });
}

/**
 * Moves one identifier of a contact to a new value (system messages `user_changed_number` and
 * `user_changed_user_id`). When another contact already holds the new value, the two are merged into the one
 * with the history (`contact`).
 */
export async function changeContactIdentifier(
  tx: DbTx,
  contact: Contact,
  field: "waId" | "userId",
  newValue: string,
): Promise<Contact> {
  if (contact[field] === newValue) return contact;
  const holders = await tx.$queryRaw<Contact[]>`
    SELECT * FROM "Contact" WHERE "channelId" = ${contact.channelId}::uuid AND id <> ${contact.id}::uuid
      AND ${Prisma.raw(field === "waId" ? '"waId"' : '"userId"')} = ${newValue} FOR UPDATE`;
  let survivor = contact;
  for (const holder of holders) {
    await tx.contact.update({ where: { id: holder.id }, data: { [field]: null } });
    survivor = await mergeContacts(tx, survivor, { ...holder, [field]: null });
  }
  return tx.contact.update({ where: { id: survivor.id }, data: { [field]: newValue } });
}
