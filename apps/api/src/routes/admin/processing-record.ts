import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { FastifyRequest } from "fastify";
import {
  ProcessingRecordDtoSchema,
  ProcessingRecordQuerySchema,
  type ProcessingRecordLanguage,
} from "@inbox/contracts";
import { buildProcessingRecord, renderProcessingRecord } from "@inbox/core";
import { requireRole, userOf } from "../../plugins/auth";
import type { ApiDeps } from "../../types";
import { guards } from "../route-options";

/** `?lang=` when given; otherwise the admin's own language (German unless they chose English). */
const languageOf = (request: FastifyRequest, lang: ProcessingRecordLanguage | undefined): ProcessingRecordLanguage =>
  lang ?? (userOf(request).locale === "en" ? "en" : "de");

const FILENAME: Record<ProcessingRecordLanguage, string> = {
  de: "verarbeitungsverzeichnis.md",
  en: "processing-record.md",
};

/** Art. 30 record of processing activities (admins), in German or English: JSON for the console's page, Markdown for the DPO. */
export function adminProcessingRecordRoutes(deps: ApiDeps): FastifyPluginAsyncZod {
  return async (app) => {
    const { admin } = guards(app);
    const tags = ["privacy"];
    const build = (language: ProcessingRecordLanguage) =>
      buildProcessingRecord({ db: deps.db, graph: deps.graph, env: deps.env, clock: deps.clock }, language);

    app.get(
      "/api/admin/processing-record",
      admin({
        tags,
        summary: "Record of processing activities (Art. 30), with the data region and Meta's local storage per number",
        querystring: ProcessingRecordQuerySchema,
        response: { 200: ProcessingRecordDtoSchema },
      }),
      async (request) => build(languageOf(request, request.query.lang)),
    );
    app.get(
      "/api/admin/processing-record.md",
      {
        // A file, not JSON: no response schema (guards' error schemas would type the reply as JSON).
        onRequest: [app.authenticate, requireRole("admin")],
        schema: {
          tags,
          summary: "The record of processing activities as Markdown (German: Verzeichnis von Verarbeitungstätigkeiten)",
          querystring: ProcessingRecordQuerySchema,
          security: [{ session: [] }],
        },
      },
      async (request, reply) => {
        const language = languageOf(request, request.query.lang);
        return reply
          .header("content-type", "text/markdown; charset=utf-8")
          .header("content-disposition", `attachment; filename="${FILENAME[language]}"`)
          .send(renderProcessingRecord(await build(language)));
      },
    );
  };
}
