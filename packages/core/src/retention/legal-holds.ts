import type { CreateLegalHoldBody, LegalHoldDto } from "@inbox/contracts";
import { Prisma, sqlTimestamp, type Db, type DbTx, type LegalHold } from "@inbox/db";
import { recordAudit, type Actor } from "../audit/record-audit";
import { AppError } from "../errors/app-error";
import { isUuid } from "../shared/ids";

/** Prisma filter of the holds in force at `now`: not released, not expired. */
const activeHoldWhere = (now: Date): Prisma.LegalHoldWhereInput => ({
  releasedAt: null,
  OR: [{ expiresAt: null }, { expiresAt: { gt: now } }],
});

/**
 * SQL: true when the conversation (alias `conv`) or its contact is under a hold in force. One definition for every
 * statement that deletes (retention, erasure), so held data is never deleted by either.
 */
export function isHeldSql(conv: string, now: Date): Prisma.Sql {
  const c = Prisma.raw(`"${conv}"`);
  return Prisma.sql`EXISTS (SELECT 1 FROM "LegalHold" h
    WHERE (h."conversationId" = ${c}.id OR h."contactId" = ${c}."contactId")
      AND h."releasedAt" IS NULL AND (h."expiresAt" IS NULL OR h."expiresAt" > ${sqlTimestamp(now)}))`;
}

/** SQL: true when the contact (alias) or any of its conversations is under a hold in force. */
export function isContactHeldSql(contact: string, now: Date): Prisma.Sql {
  const k = Prisma.raw(`"${contact}"`);
  return Prisma.sql`EXISTS (SELECT 1 FROM "LegalHold" h
    WHERE (h."contactId" = ${k}.id OR h."conversationId" IN (SELECT x.id FROM "Conversation" x WHERE x."contactId" = ${k}.id))
      AND h."releasedAt" IS NULL AND (h."expiresAt" IS NULL OR h."expiresAt" > ${sqlTimestamp(now)}))`;
}

function toLegalHoldDto(h: LegalHold): LegalHoldDto {
  return {
    id: h.id,
    conversationId: h.conversationId,
    contactId: h.contactId,
    reason: h.reason,
    expiresAt: h.expiresAt?.toISOString() ?? null,
    placedById: h.placedById,
    createdAt: h.createdAt.toISOString(),
  };
}

/** Aufbewahrungspflicht: a conversation or a contact is kept, by retention and by erasure, until released. */
export async function placeLegalHold(db: Db, actor: Actor, body: CreateLegalHoldBody): Promise<LegalHoldDto> {
  return db.$transaction(async (tx) => {
    if (body.conversationId && !(await tx.conversation.count({ where: { id: body.conversationId } }))) {
      throw new AppError("not_found", "Conversation not found.");
    }
    if (body.contactId && !(await tx.contact.count({ where: { id: body.contactId } }))) {
      throw new AppError("not_found", "Contact not found.");
    }
    const hold = await tx.legalHold.create({
      data: {
        conversationId: body.conversationId ?? null,
        contactId: body.contactId ?? null,
        reason: body.reason,
        expiresAt: body.expiresAt ? new Date(body.expiresAt) : null,
        placedById: actor.type === "user" ? actor.userId : null,
      },
    });
    await recordAudit(tx, actor, "legal_hold.placed", "legal_hold", hold.id, {
      conversationId: hold.conversationId,
      contactId: hold.contactId,
      reason: hold.reason,
    });
    return toLegalHoldDto(hold);
  });
}

/** Releases a hold (kept as a record with releasedAt); the data then follows the retention policies again. */
export async function releaseLegalHold(db: Db, actor: Actor, id: string, now = new Date()): Promise<void> {
  if (!isUuid(id)) throw new AppError("not_found", "Legal hold not found.");
  await db.$transaction(async (tx) => {
    const released = await tx.legalHold.updateMany({
      where: { id, releasedAt: null },
      data: { releasedAt: now, releasedById: actor.type === "user" ? actor.userId : null },
    });
    if (released.count === 0) throw new AppError("not_found", "Legal hold not found or already released.");
    await recordAudit(tx, actor, "legal_hold.released", "legal_hold", id);
  });
}

export async function listLegalHolds(db: DbTx, now = new Date()): Promise<LegalHoldDto[]> {
  const holds = await db.legalHold.findMany({ where: activeHoldWhere(now), orderBy: { createdAt: "desc" } });
  return holds.map(toLegalHoldDto);
}
