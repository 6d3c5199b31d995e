import type { WebchatMessageDto } from "@inbox/contracts";
import { prismaSql, type DbTx, type Prisma } from "@inbox/db";
import type { InboundChannel } from "../../inbound/channel-directory";
import { storeMessages, type StoredInboundMessage } from "../../inbound/store-messages";

/** How much of the thread a returning visitor gets back. */
const VISITOR_HISTORY_LIMIT = 100;

interface MessageLike {
  id: string;
  direction: "inbound" | "outbound";
  type: string;
  text: string | null;
  status: string;
  externalId: string | null;
  createdAt: Date | string;
  /** The message's stored attachments (the first is shown); only `stored` ones are offered to the visitor. */
  media?: { id: string; mimeType: string; filename: string | null; sizeBytes: number | null; status: string }[];
}

/** What a visitor may see of a message: its content and state, never agent ids, error details or notes. */
export function toWebchatMessageDto(message: MessageLike): WebchatMessageDto {
  const media = message.media?.find((m) => m.status === "stored");
  return {
    id: message.id,
    direction: message.direction,
    type: message.type,
    text: message.text,
    status: message.status,
    clientMessageId:
      message.direction === "inbound" && message.externalId?.startsWith("webchat.")
        ? message.externalId.slice("webchat.".length)
        : null,
    media: media
      ? { id: media.id, mimeType: media.mimeType, filename: media.filename, sizeBytes: media.sizeBytes }
      : null,
    createdAt: typeof message.createdAt === "string" ? message.createdAt : message.createdAt.toISOString(),
  };
}

/** The visitor's thread across their conversations (newest `VISITOR_HISTORY_LIMIT`, oldest first), notes excluded. */
export async function listVisitorMessages(db: DbTx, contactId: string): Promise<WebchatMessageDto[]> {
  const rows = await db.message.findMany({
    where: { conversation: { contactId }, isPrivate: false, redactedAt: null },
    orderBy: { createdAt: "desc" },
    take: VISITOR_HISTORY_LIMIT,
    include: {
      media: { select: { id: true, mimeType: true, filename: true, sizeBytes: true, status: true } },
    },
  });
  return rows.reverse().map(toWebchatMessageDto);
}

/**
 * Stores one visitor message through the one inbound write path (`storeMessages`, as WhatsApp messages are), inside
 * the caller's transaction: conversation rules, unread, routing job. The caller checked that `externalId` is new; the
 * contact's row lock serialises its messages, so nothing can have stored it in between.
 */
export async function storeVisitorMessage(
  tx: DbTx,
  channel: Pick<InboundChannel, "id" | "defaultTeamId">,
  contactId: string,
  message: { externalId: string; at: Date; type: string; text: string | null; payload: Prisma.InputJsonObject },
): Promise<StoredInboundMessage> {
  const stored = await storeMessages(prismaSql(tx), channel, {
    contacts: [
      {
        contactId,
        elements: [
          {
            wamid: message.externalId,
            sender: { waId: null, userId: null },
            at: message.at,
            type: message.type,
            text: message.text,
            payload: message.payload,
            replyToExternalId: null,
            media: null,
            keywordText: null,
            isCustomerMessage: true,
            error: null,
            identityChange: null,
            unsupported: null,
          },
        ],
      },
    ],
  });
  const [created] = stored.created;
  if (!created) throw new Error("the web chat message was not stored");
  return created;
}
