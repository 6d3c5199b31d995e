import type { JobName } from "./names";

/**
 * Every job id (and job scheduler id) is `<name>-<key>`: `message.send-<messageId>`, `template.sync-<channelId>`.
 * The key says what the job is about, so the same logical job is enqueued once however often the outbox is drained;
 * a deliberate second job for the same thing adds what makes it new to the key (`<messageId>-resume-<time>`).
 * BullMQ forbids ":" in custom ids, hence "-".
 */
export function jobIdFor(name: JobName, key: string): string {
  return `${jobIdPrefix(name)}${key}`;
}

/** What every id of `name`'s jobs begins with. */
function jobIdPrefix(name: JobName): string {
  return `${name}-`;
}
