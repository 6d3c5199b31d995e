import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { SecuritySettingsSchema } from "@inbox/contracts";
import { isTotpRequired, setTotpRequired } from "@inbox/core";
import type { ApiDeps } from "../../types";
import { actorOf, guards } from "../route-options";

/** Installation-wide settings (admins): today whether two-factor authentication is mandatory. */
export function adminSettingsRoutes(deps: ApiDeps): FastifyPluginAsyncZod {
  return async (app) => {
    const { admin } = guards(app);
    const tags = ["admin"];

    app.get(
      "/api/admin/settings/security",
      admin({ tags, summary: "Security settings", response: { 200: SecuritySettingsSchema } }),
      async () => ({ requireTotp: await isTotpRequired(deps.db) }),
    );
    app.put(
      "/api/admin/settings/security",
      admin({
        tags,
        summary: "Make TOTP two-factor authentication mandatory",
        body: SecuritySettingsSchema,
        response: { 200: SecuritySettingsSchema },
      }),
      async (request) => {
        await setTotpRequired(deps.db, actorOf(request), request.body.requireTotp);
        return { requireTotp: request.body.requireTotp };
      },
    );
  };
}
