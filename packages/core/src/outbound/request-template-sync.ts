import type { Db } from "@inbox/db";
import { enqueueInTransaction, jobIdFor } from "@inbox/jobs";
import { AppError } from "../errors/app-error";
import { isUuid } from "../shared/ids";
import { listTemplateChannelIds } from "./list-template-channels";
import { recordAudit, type Actor } from "../audit/record-audit";

/**
 * On-demand template sync: one `template.sync` job per WhatsApp channel with a WABA id (via the outbox), or for the
 * one channel asked for (not_found when it is none of them).
 */
export async function requestTemplateSync(
  deps: { db: Db; onOutboxWritten: () => void },
  input: { actor: Actor; channelId?: string | undefined },
): Promise<{ channelIds: string[] }> {
  if (input.channelId !== undefined && !isUuid(input.channelId)) throw new AppError("not_found", "Channel not found.");
  const channelIds = await listTemplateChannelIds(deps.db, input.channelId);
  if (input.channelId !== undefined && channelIds.length === 0) throw new AppError("not_found", "Channel not found.");
  const stamp = Date.now();
  await deps.db.$transaction(async (tx) => {
    await enqueueInTransaction(
      tx,
      channelIds.map((channelId) => ({
        name: "template.sync" as const,
        payload: { channelId },
        jobId: jobIdFor("template.sync", `${channelId}-${stamp}`),
      })),
    );
    await recordAudit(tx, input.actor, "templates.sync_requested", "channel", input.channelId ?? null, {
      channels: channelIds.length,
    });
  });
  deps.onOutboxWritten();
  return { channelIds };
}
