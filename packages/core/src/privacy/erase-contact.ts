import type { Redis } from "ioredis";
import { Prisma, type Db } from "@inbox/db";
import type { JobQueues } from "@inbox/jobs";
import { recordAudit, type Actor } from "../audit/record-audit";
import { AppError } from "../errors/app-error";
import type { MediaStore } from "../media/media-store";
import { liveBacklogKey } from "../realtime/live-publisher";
import { findSubjectContactIds } from "./export-contact-data";
import type { SecretBox } from "../secrets/secret-box";
import { suppressNumber } from "./suppression";

export interface EraseContactDeps {
  db: Db;
  media: MediaStore;
  /** Reads (and on the first erasure writes) the suppression key, stored encrypted. */
  secrets: SecretBox;
  /** Queued jobs and the live backlog that mention the contact are removed too. */
  queues?: JobQueues | undefined;
  redis?: Redis | undefined;
}

export interface ErasureReport {
  contacts: number;
  conversations: number;
  messages: number;
  mediaFiles: number;
  consents: number;
  webhookPayloads: number;
  statusReports: number;
  outboxRows: number;
  /** Web chat → WhatsApp handoffs of the contact (their consent evidence: origin, IP, browser). */
  handoffs: number;
  queuedJobs: number;
  liveEvents: number;
  suppressed: boolean;
}

const contains = (text: string, needles: string[]) => needles.some((n) => n && text.includes(n));

/**
 * Art. 17: deletes a contact (and the contacts merged into it) with its conversations, messages, media files
 * (through the media store, local or S3), consents, web chat → WhatsApp handoffs, queued jobs, outbox rows, raw
 * webhook payloads and status reports naming the number, and the live backlog entries about it. A web chat
 * visitor is a contact of the web chat channel and is erased the same way (no number, so no suppression). Refused with 409 `legal_hold` while a hold covers the contact or one of its
 * conversations. Keeps a suppression entry (keyed hash of the number) so it is not messaged again without a new
 * opt-in; the audit entry holds counts and ids, never the number.
 */
export async function eraseContact(
  deps: EraseContactDeps,
  actor: Actor,
  contactId: string,
  now = new Date(),
): Promise<ErasureReport> {
  const { db } = deps;
  const ids = await findSubjectContactIds(db, contactId);
  const held = await db.legalHold.count({
    where: {
      releasedAt: null,
      OR: [{ expiresAt: null }, { expiresAt: { gt: now } }],
      AND: [{ OR: [{ contactId: { in: ids } }, { conversation: { contactId: { in: ids } } }] }],
    },
  });
  if (held > 0) throw new AppError("legal_hold", "The contact is under a legal hold; release the hold before erasing.");

  const contacts = await db.contact.findMany({
    where: { id: { in: ids } },
    select: { waId: true, userId: true, externalId: true },
  });
  const numbers = contacts.flatMap((c) => [c.waId, c.userId]).filter((x): x is string => !!x);
  const conversations = (
    await db.conversation.findMany({ where: { contactId: { in: ids } }, select: { id: true } })
  ).map((c) => c.id);
  const messages = (
    await db.message.findMany({ where: { conversationId: { in: conversations } }, select: { id: true } })
  ).map((m) => m.id);
  const mediaKeys = (
    await db.mediaAsset.findMany({
      where: { messageId: { in: messages }, storageKey: { not: null } },
      select: { storageKey: true },
    })
  ).map((m) => m.storageKey!);
  const visitorIds = contacts.flatMap((c) => (c.externalId ? [c.externalId] : []));
  const needles = [...ids, ...conversations, ...messages, ...numbers, ...visitorIds];

  // Queued jobs first, so no job works on what is about to go.
  let queuedJobs = 0;
  if (deps.queues) {
    for (const queue of Object.values(deps.queues.queues)) {
      const jobs = await queue.getJobs([
        "waiting",
        "delayed",
        "prioritized",
        "waiting-children",
        "completed",
        "failed",
      ]);
      for (const job of jobs) {
        if (job && contains(JSON.stringify(job.data ?? {}), needles)) {
          await job.remove().catch(() => undefined);
          queuedJobs++;
        }
      }
    }
  }
  let liveEvents = 0;
  if (deps.redis && deps.queues) {
    const key = liveBacklogKey(deps.queues.prefix);
    const rows = await deps.redis.zrange(key, 0, -1);
    const doomed = rows.filter((r) => contains(r, needles));
    if (doomed.length) liveEvents = await deps.redis.zrem(key, ...doomed);
  }
  // Earlier exports of this contact hold everything about it.
  const exports = await db.dataSubjectRequest.findMany({
    where: { contactId: { in: ids }, exportKey: { not: null } },
    select: { exportKey: true },
  });
  for (const key of [...mediaKeys, ...exports.map((e) => e.exportKey!)]) await deps.media.delete(key);

  const report = await db.$transaction(
    async (tx) => {
      const numberPatterns = numbers.map((n) => `%${n}%`);
      const webhookPayloads = numbers.length
        ? await tx.$executeRaw(
            Prisma.sql`DELETE FROM "WebhookEvent" WHERE payload::text LIKE ANY(${numberPatterns}::text[])`,
          )
        : 0;
      const statusReports = numbers.length
        ? await tx.$executeRaw(Prisma.sql`
            DELETE FROM "MessageStatusEvent" WHERE "recipientId" = ANY(${numbers}::text[])
               OR "messageId" = ANY(${messages}::uuid[]) OR errors::text LIKE ANY(${numberPatterns}::text[])`)
        : 0;
      const idPatterns = needles.map((n) => `%${n}%`);
      const outboxRows = await tx.$executeRaw(
        Prisma.sql`DELETE FROM "OutboxJob" WHERE payload::text LIKE ANY(${idPatterns}::text[])`,
      );
      const consents = await tx.consent.count({ where: { contactId: { in: ids } } });
      // No foreign key: a handoff names the web chat contact and, once used, the WhatsApp contact it was linked to.
      const handoffs = await tx.whatsAppHandoff.deleteMany({
        where: {
          OR: [
            { webContactId: { in: ids } },
            { linkedContactId: { in: ids } },
            { linkedConversationId: { in: conversations } },
          ],
        },
      });
      // Data-subject requests keep their record (what was done), without the link to the contact.
      await tx.dataSubjectRequest.updateMany({
        where: { contactId: { in: ids } },
        data: { contactId: null, exportKey: null },
      });
      await tx.contact.updateMany({ where: { mergedIntoId: { in: ids } }, data: { mergedIntoId: null } });
      // Cascades: conversations, messages, their media records and status reports, consents, labels.
      const deleted = await tx.contact.deleteMany({ where: { id: { in: ids } } });
      for (const waId of contacts.flatMap((c) => (c.waId ? [c.waId] : []))) {
        await suppressNumber(tx, deps.secrets, waId, "erasure");
      }
      const result: ErasureReport = {
        contacts: deleted.count,
        conversations: conversations.length,
        messages: messages.length,
        mediaFiles: mediaKeys.length,
        consents,
        webhookPayloads,
        statusReports,
        outboxRows,
        handoffs: handoffs.count,
        queuedJobs,
        liveEvents,
        suppressed: contacts.some((c) => !!c.waId),
      };
      await recordAudit(tx, actor, "data_subject.erased", "contact", contactId, {
        ...result,
        contactIds: ids,
        conversationIds: conversations,
        at: now.toISOString(),
      });
      return result;
    },
    { timeout: 60_000 },
  );
  return report;
}
