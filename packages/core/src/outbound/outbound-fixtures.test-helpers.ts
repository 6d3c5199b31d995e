import type { Db } from "@inbox/db";

/** Test data for the outbound pipeline: a channel, a contact, a conversation and Meta-like templates. */
export async function seedOutbound(
  db: Db,
  opts: { lastInboundAt?: Date | null; waId?: string; phoneNumberId?: string; accountId?: string } = {},
) {
  const channel = await db.channel.create({
    data: {
      type: "whatsapp",
      name: "WhatsApp test",
      externalId: opts.phoneNumberId ?? `1${Math.floor(Math.random() * 1e14)}`,
      accountId: opts.accountId ?? "200000000000001",
    },
  });
  const contact = await db.contact.create({
    data: { channelId: channel.id, waId: opts.waId ?? `49151${Math.floor(Math.random() * 1e7)}` },
  });
  const lastInboundAt = opts.lastInboundAt === undefined ? new Date() : opts.lastInboundAt;
  const conversation = await db.conversation.create({
    data: {
      channelId: channel.id,
      contactId: contact.id,
      activeContactId: contact.id,
      lastInboundAt,
    },
  });
  const body = (text: string) => [{ type: "BODY", text }];
  await db.template.createMany({
    data: [
      {
        channelId: channel.id,
        name: "order_update",
        language: "de",
        category: "utility",
        status: "APPROVED",
        components: body("Ihre Bestellung {{1}} ist unterwegs."),
        parameterCount: 1,
      },
      {
        channelId: channel.id,
        name: "spring_sale",
        language: "de",
        category: "marketing",
        status: "APPROVED",
        components: body("Frühlingsangebote!"),
        parameterCount: 0,
      },
      {
        channelId: channel.id,
        name: "login_code",
        language: "en",
        category: "authentication",
        status: "APPROVED",
        components: body("{{1}} is your code."),
        parameterCount: 1,
      },
      {
        channelId: channel.id,
        name: "draft_offer",
        language: "de",
        category: "marketing",
        status: "PENDING",
        components: body("Bald."),
        parameterCount: 0,
      },
    ],
  });
  return { channel, contact, conversation };
}

export async function recordConsent(
  db: Db,
  contactId: string,
  purpose: "service" | "marketing",
  status: "granted" | "withdrawn",
  at = new Date(),
) {
  await db.consent.create({ data: { contactId, purpose, status, source: "agent", occurredAt: at } });
}
