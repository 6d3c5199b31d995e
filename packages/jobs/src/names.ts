import { z } from "zod";

/** Every background job: `<domain>.<verb>`, with the payload schema the worker parses before handling. */
export const JOB_SCHEMAS = {
  /** Send one stored outbound message through its channel. */
  "message.send": z.object({ messageId: z.uuid() }),
  /** Download an inbound media file from the provider into the media store. */
  "media.download": z.object({ mediaAssetId: z.uuid() }),
  /**
   * Route new conversations to a team / agent: every conversation one call of the inbound write path opened. The
   * single-conversation shape is what that path wrote before (jobs of it may still wait in the outbox or in Redis).
   */
  "conversation.route": z.union([
    z.object({ conversationIds: z.array(z.uuid()).min(1) }),
    z.object({ conversationId: z.uuid() }),
  ]),
  /** Send the configured confirmation after a chat opt-out / opt-in keyword. */
  "consent.confirm": z.object({ contactId: z.uuid(), conversationId: z.uuid(), kind: z.enum(["opt_in", "opt_out"]) }),
  /** Sync approved templates of a channel from the provider. */
  "template.sync": z.object({ channelId: z.uuid() }),
  /** Reopen snoozed conversations whose snooze has run out (scheduled every minute). */
  "conversation.wake": z.object({}),
  /** Apply the retention policies (scheduled by RETENTION_CRON); dryRun only counts. */
  "retention.run": z.object({ dryRun: z.boolean().default(false) }),
} as const;

export type JobName = keyof typeof JOB_SCHEMAS;
export type JobPayload<N extends JobName> = z.infer<(typeof JOB_SCHEMAS)[N]>;

/** Queues by workload, so a burst of sends does not hold up media downloads or routing. */
export const QUEUE_FOR_JOB: Record<JobName, QueueName> = {
  "message.send": "outbound",
  "media.download": "inbound",
  "conversation.route": "inbound",
  "consent.confirm": "inbound",
  "conversation.wake": "maintenance",
  "template.sync": "maintenance",
  "retention.run": "maintenance",
};
export const QUEUE_NAMES = ["outbound", "inbound", "maintenance"] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

/** The conversations a `conversation.route` job routes, whichever of its two shapes it has. */
export function conversationIdsOfRouteJob(payload: JobPayload<"conversation.route">): string[] {
  return "conversationIds" in payload ? payload.conversationIds : [payload.conversationId];
}

export function isJobName(name: string): name is JobName {
  return Object.hasOwn(JOB_SCHEMAS, name);
}
