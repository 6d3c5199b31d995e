import { listTemplateChannelIds } from "@inbox/core";
import type { Db } from "@inbox/db";
import { jobIdFor, type JobQueues } from "@inbox/jobs";

const TEMPLATE_SYNC_EVERY_MS = 6 * 60 * 60 * 1000;
export const CONVERSATION_WAKE_EVERY_MS = 60 * 1000;

/**
 * A BullMQ job scheduler per WhatsApp channel with a WABA id: `template.sync` every 6 h and once right away.
 * Idempotent (upsert by scheduler id), so every worker start may call it.
 */
export async function scheduleTemplateSync(
  db: Db,
  queues: JobQueues,
  everyMs = TEMPLATE_SYNC_EVERY_MS,
): Promise<number> {
  const channelIds = await listTemplateChannelIds(db);
  for (const channelId of channelIds) {
    await queues.queues.maintenance.upsertJobScheduler(
      jobIdFor("template.sync", channelId),
      { every: everyMs },
      { name: "template.sync", data: { channelId } },
    );
  }
  return channelIds.length;
}

/** `conversation.wake` on one scheduler shared by all workers (a snoozed conversation reopens within `everyMs`). */
export async function scheduleConversationWake(queues: JobQueues, everyMs = CONVERSATION_WAKE_EVERY_MS): Promise<void> {
  await queues.queues.maintenance.upsertJobScheduler(
    "conversation.wake",
    { every: everyMs },
    { name: "conversation.wake", data: {} },
  );
}
