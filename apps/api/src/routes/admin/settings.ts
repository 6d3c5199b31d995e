import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { SecuritySettingsBodySchema, SecuritySettingsSchema } from "@inbox/contracts";
import { readSecuritySettings, updateSecuritySettings } from "@inbox/core";
import type { ApiDeps } from "../../types";
import { actorOf, guards } from "../route-options";

/**
 * Installation-wide security settings (admins): whether two-factor authentication is mandatory, and whether leads see
 * conversations no team owns (docs/security.md).
 */
export function adminSettingsRoutes(deps: ApiDeps): FastifyPluginAsyncZod {
  return async (app) => {
    const { admin } = guards(app);
    const tags = ["admin"];

    app.get(
      "/api/admin/settings/security",
      admin({ tags, summary: "Security settings", response: { 200: SecuritySettingsSchema } }),
      async () => readSecuritySettings(deps.db),
    );
    app.put(
      "/api/admin/settings/security",
      admin({
        tags,
        summary: "Mandatory TOTP (ends sessions without a second factor); whether leads see team-less conversations",
        description: "Making TOTP mandatory is refused (409) while the admin has no second factor of their own.",
        body: SecuritySettingsBodySchema,
        response: { 200: SecuritySettingsSchema },
      }),
      async (request) => updateSecuritySettings(deps.db, actorOf(request), request.body),
    );
  };
}
