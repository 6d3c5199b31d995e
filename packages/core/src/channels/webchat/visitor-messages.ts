import type { WebchatMessageDto } from "@inbox/contracts";
import type { DbTx } from "@inbox/db";

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
