import { strToU8, zipSync, type Zippable } from "fflate";
import type { DbTx } from "@inbox/db";
import { AppError } from "../errors/app-error";
import type { MediaStore } from "../media/media-store";

const escapeHtml = (value: string | number | null | undefined): string =>
  String(value ?? "").replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!,
  );

async function readAll(media: MediaStore, key: string): Promise<Uint8Array | null> {
  if (!(await media.exists(key))) return null;
  const chunks: Buffer[] = [];
  for await (const chunk of await media.get(key)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The contact and the contacts merged into it: one data subject. */
export async function findSubjectContactIds(db: DbTx, contactId: string): Promise<string[]> {
  const contact = await db.contact.findUnique({ where: { id: contactId }, select: { id: true } });
  if (!contact) throw new AppError("not_found", "Contact not found.");
  const merged = await db.contact.findMany({ where: { mergedIntoId: contactId }, select: { id: true } });
  return [contactId, ...merged.map((m) => m.id)];
}

/**
 * Art. 15: everything the product holds about a contact, as a zip: `manifest.json` (machine-readable: profile,
 * consents with evidence and the wording shown, labels, conversations, messages, media records), `index.html` (a
 * readable summary, every value escaped) and the media files under `media/`. Nothing about anyone else: agents
 * appear by name only as the sender of a message.
 */
export async function exportContactData(
  deps: { db: DbTx; media: MediaStore },
  contactId: string,
  now = new Date(),
): Promise<{ zip: Uint8Array; counts: Record<string, number> }> {
  const { db, media } = deps;
  const ids = await findSubjectContactIds(db, contactId);
  const contacts = await db.contact.findMany({
    where: { id: { in: ids } },
    include: { labels: { include: { label: { select: { name: true } } } }, channel: { select: { name: true } } },
  });
  const consents = await db.consent.findMany({ where: { contactId: { in: ids } }, orderBy: { occurredAt: "asc" } });
  const handoffs = await db.whatsAppHandoff.findMany({
    where: { OR: [{ webContactId: { in: ids } }, { linkedContactId: { in: ids } }] },
    orderBy: { createdAt: "asc" },
  });
  const conversations = await db.conversation.findMany({
    where: { contactId: { in: ids } },
    orderBy: { createdAt: "asc" },
    include: { labels: { include: { label: { select: { name: true } } } } },
  });
  const messages = await db.message.findMany({
    where: { conversationId: { in: conversations.map((c) => c.id) } },
    orderBy: { createdAt: "asc" },
    include: { sender: { select: { name: true } }, media: true },
  });
  const files: Zippable = {};
  const mediaRecords = [];
  for (const m of messages) {
    for (const a of m.media) {
      const path = a.storageKey ? `media/${a.id}${a.filename ? `-${a.filename.replace(/[^\w.-]/g, "_")}` : ""}` : null;
      const bytes = a.storageKey ? await readAll(media, a.storageKey) : null;
      if (path && bytes) files[path] = bytes;
      mediaRecords.push({
        id: a.id,
        messageId: m.id,
        mimeType: a.mimeType,
        filename: a.filename,
        sizeBytes: a.sizeBytes,
        sha256: a.sha256,
        createdAt: a.createdAt,
        file: path && bytes ? path : null,
      });
    }
  }
  const manifest = {
    generatedAt: now.toISOString(),
    article: "GDPR Art. 15",
    contacts: contacts.map((c) => ({
      id: c.id,
      channel: c.channel.name,
      waId: c.waId,
      userId: c.userId,
      webchatVisitorId: c.externalId,
      username: c.username,
      profileName: c.profileName,
      displayName: c.displayName,
      countryCode: c.countryCode,
      email: c.email,
      locale: c.locale,
      labels: c.labels.map((l) => l.label.name),
      lastSeenAt: c.lastSeenAt,
      createdAt: c.createdAt,
    })),
    consents: consents.map((c) => ({
      id: c.id,
      purpose: c.purpose,
      status: c.status,
      source: c.source,
      wordingVersion: c.wordingVersion,
      wording: c.wordingText,
      evidence: c.evidence,
      occurredAt: c.occurredAt,
    })),
    whatsappHandoffs: handoffs.map((h) => ({
      reference: h.reference,
      purposes: h.purposes,
      wordingVersion: h.wordingVersion,
      wording: h.wordingText,
      evidence: h.evidence,
      createdAt: h.createdAt,
      expiresAt: h.expiresAt,
      linkedAt: h.linkedAt,
    })),
    conversations: conversations.map((c) => ({
      id: c.id,
      status: c.status,
      subject: c.subject,
      labels: c.labels.map((l) => l.label.name),
      createdAt: c.createdAt,
      resolvedAt: c.resolvedAt,
      lastMessageAt: c.lastMessageAt,
    })),
    messages: messages.map((m) => ({
      id: m.id,
      conversationId: m.conversationId,
      direction: m.direction,
      type: m.type,
      text: m.text,
      payload: m.payload,
      isInternalNote: m.isPrivate,
      status: m.status,
      externalId: m.externalId,
      sender: m.direction === "outbound" ? (m.sender?.name ?? "automatic") : "customer",
      templateName: m.templateName,
      createdAt: m.createdAt,
      sentAt: m.sentAt,
      deliveredAt: m.deliveredAt,
      readAt: m.readAt,
    })),
    media: mediaRecords,
  };
  const row = (cells: (string | number | null | undefined)[]) =>
    `<tr>${cells.map((c) => `<td>${escapeHtml(c)}</td>`).join("")}</tr>`;
  const html = `<!doctype html>
<html lang="de"><head><meta charset="utf-8"><title>Datenauskunft / Data export</title>
<style>body{font-family:sans-serif;margin:2rem}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3rem;text-align:left;vertical-align:top}</style></head>
<body><h1>Datenauskunft (Art. 15 DSGVO) / Data export (Art. 15 GDPR)</h1>
<p>${escapeHtml(now.toISOString())}. Vollständige Daten: manifest.json; Dateien: media/.</p>
<h2>Kontakt / Contact</h2><table>${manifest.contacts.map((c) => row([c.channel, c.waId ?? c.userId ?? c.webchatVisitorId, c.profileName, c.displayName, c.email, c.labels.join(", ")])).join("")}</table>
<h2>Einwilligungen / Consents</h2><table>${manifest.consents.map((c) => row([c.occurredAt.toISOString(), c.purpose, c.status, c.source, c.wording])).join("")}</table>
<h2>Gespräche / Conversations</h2><table>${manifest.conversations.map((c) => row([c.createdAt.toISOString(), c.status, c.labels.join(", ")])).join("")}</table>
<h2>Nachrichten / Messages</h2><table>${manifest.messages.map((m) => row([m.createdAt.toISOString(), m.sender, m.type, m.text])).join("")}</table>
<h2>Medien / Media</h2><table>${manifest.media.map((a) => row([a.mimeType, a.filename, a.file])).join("")}</table>
</body></html>`;
  files["manifest.json"] = strToU8(JSON.stringify(manifest, null, 2));
  files["index.html"] = strToU8(html);
  return {
    zip: zipSync(files, { level: 6 }),
    counts: {
      contacts: contacts.length,
      consents: consents.length,
      handoffs: handoffs.length,
      conversations: conversations.length,
      messages: messages.length,
      mediaFiles: Object.keys(files).filter((f) => f.startsWith("media/")).length,
    },
  };
}
