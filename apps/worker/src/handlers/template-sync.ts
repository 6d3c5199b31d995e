import { syncTemplates } from "@inbox/core";
import { graphFor } from "../outbound/graph";
import type { JobHandler } from "../registry";

/** `template.sync`: the channel's WABA templates into the Template table (scheduled and on demand). */
export const handleTemplateSync: JobHandler<"template.sync"> = async ({ channelId }, ctx) => {
  const result = await syncTemplates({ db: ctx.deps.db, graph: graphFor(ctx.deps) }, { channelId });
  ctx.log.info({ channelId, ...result }, "templates synced");
};
