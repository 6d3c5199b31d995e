import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import {
  ConsentSettingsSchema,
  ConsentSettingsViewSchema,
  ConsentTextDtoSchema,
  SaveConsentTextBodySchema,
} from "@inbox/contracts";
import { getConsentSettings, listConsentTexts, saveConsentSettings, saveConsentText } from "@inbox/core";
import type { ApiDeps } from "../../types";
import { actorOf, guards, itemsOf } from "../route-options";

/** Consent wordings (admins): every version kept; each recorded consent names the version the customer saw. */
export function adminConsentTextRoutes(deps: ApiDeps): FastifyPluginAsyncZod {
  return async (app) => {
    const { admin } = guards(app);
    const tags = ["privacy"];

    app.get(
      "/api/admin/consent-texts",
      admin({
        tags,
        summary: "Consent wordings, every version, newest first per purpose and language",
        response: { 200: itemsOf(ConsentTextDtoSchema) },
      }),
      async () => ({ items: await listConsentTexts(deps.db) }),
    );
    app.post(
      "/api/admin/consent-texts",
      admin({
        tags,
        summary: "Save a consent wording as a new version (201; 200 when the text is unchanged)",
        body: SaveConsentTextBodySchema,
        response: { 200: ConsentTextDtoSchema, 201: ConsentTextDtoSchema },
      }),
      async (request, reply) => {
        const { text, isNew } = await saveConsentText(
          { db: deps.db, clock: deps.clock },
          actorOf(request),
          request.body,
        );
        return reply.status(isNew ? 201 : 200).send(text);
      },
    );

    app.get(
      "/api/admin/consent-settings",
      admin({
        tags,
        summary: "Opt-in / opt-out chat keywords and the confirmations sent after them, per customer language",
        response: { 200: ConsentSettingsViewSchema },
      }),
      async () => getConsentSettings(deps.db, deps.env.DEFAULT_CUSTOMER_LANGUAGE),
    );
    app.put(
      "/api/admin/consent-settings",
      admin({
        tags,
        summary: "Change the keywords and the confirmation texts per language (a keyword in both lists → 400)",
        body: ConsentSettingsSchema,
        response: { 200: ConsentSettingsViewSchema },
      }),
      async (request) =>
        saveConsentSettings(deps.db, actorOf(request), request.body, deps.env.DEFAULT_CUSTOMER_LANGUAGE),
    );
  };
}
