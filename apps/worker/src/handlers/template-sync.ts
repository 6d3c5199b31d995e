import { syncTemplates } from "@inbox/core";
import type { JobHandler } from "../context";

/** `template.sync`: the channel's WABA templates into the Template table (scheduled and on demand). */
export const handleTemplateSync: JobHandler<"template.sync"> = async ({ channelId }, ctx) => {
  const result = await syncTemplates({ db: ctx.deps.db, graph: ctx.deps.graph, clock: ctx.deps.clock }, { channelId });
  ctx.log.info({ channelId, ...result }, "templates synced");
};
