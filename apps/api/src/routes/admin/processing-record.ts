import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { ProcessingRecordDtoSchema } from "@inbox/contracts";
import { buildProcessingRecord, renderProcessingRecord } from "@inbox/core";
import { requireRole } from "../../plugins/auth";
import type { ApiDeps } from "../../types";
import { guards } from "../route-options";

/** Art. 30 record of processing activities (admins): JSON for the console's page, Markdown for the DPO. */
export function adminProcessingRecordRoutes(deps: ApiDeps): FastifyPluginAsyncZod {
  return async (app) => {
    const { admin } = guards(app);
    const tags = ["privacy"];
    const build = () => buildProcessingRecord({ db: deps.db, graph: deps.graph, env: deps.env, clock: deps.clock });

    app.get(
      "/api/admin/processing-record",
      admin({
        tags,
        summary: "Record of processing activities (Art. 30), with the data region and Meta's local storage per number",
        response: { 200: ProcessingRecordDtoSchema },
      }),
      async () => build(),
    );
    app.get(
      "/api/admin/processing-record.md",
      {
        // A file, not JSON: no response schema (guards' error schemas would type the reply as JSON).
        onRequest: [app.authenticate, requireRole("admin")],
        schema: { tags, summary: "The record of processing activities as Markdown", security: [{ session: [] }] },
      },
      async (_request, reply) =>
        reply
          .header("content-type", "text/markdown; charset=utf-8")
          .header("content-disposition", `attachment; filename="processing-record.md"`)
          .send(renderProcessingRecord(await build())),
    );
  };
}
