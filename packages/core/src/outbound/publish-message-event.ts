import type { Db } from "@inbox/db";
import type { LivePublisher } from "../realtime/live-publisher";
import { toMessageDto } from "./to-message-dto";

/** After a commit: tells consoles about a new or changed outbound message (best effort, never throws). */
export async function publishMessageEvent(
  db: Db,
  live: LivePublisher | undefined,
  messageId: string,
  type: "message.created" | "message.updated",
): Promise<void> {
  if (!live) return;
  try {
    const message = await db.message.findUnique({
      where: { id: messageId },
      include: { media: true, conversation: { select: { teamId: true, assigneeId: true } } },
    });
    if (!message) return;
    await live.publish([
      {
        type,
        conversationId: message.conversationId,
        teamId: message.conversation.teamId,
        assigneeId: message.conversation.assigneeId,
        message: toMessageDto(message),
      },
    ]);
  } catch {
    // Live updates are best effort; the database is the truth and the console refetches.
  }
}
