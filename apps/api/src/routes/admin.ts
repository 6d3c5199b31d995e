import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { ApiDeps } from "../types";
import { adminAuditLogRoutes } from "./admin/audit-log";
import { adminBusinessProfileRoutes } from "./admin/business-profile";
import { adminCatalogRoutes } from "./admin/catalog";
import { adminChannelRoutes } from "./admin/channels";
import { adminConsentTextRoutes } from "./admin/consent-texts";
import { adminDataSubjectRoutes } from "./admin/data-subjects";
import { adminProcessingRecordRoutes } from "./admin/processing-record";
import { adminQueueRoutes } from "./admin/queues";
import { adminRetentionRoutes } from "./admin/retention";
import { adminRoutingRoutes } from "./admin/routing";
import { adminSettingsRoutes } from "./admin/settings";
import { adminUserRoutes } from "./admin/users";
import { adminWebhookRoutes } from "./admin/webhooks";

/** Everything under /api/admin/* (admins only). */
export function adminRoutes(deps: ApiDeps): FastifyPluginAsyncZod {
  return async (app) => {
    await app.register(adminUserRoutes(deps));
    await app.register(adminCatalogRoutes(deps));
    await app.register(adminChannelRoutes(deps));
    await app.register(adminSettingsRoutes(deps));
    await app.register(adminWebhookRoutes(deps));
    await app.register(adminRetentionRoutes(deps));
    await app.register(adminAuditLogRoutes(deps));
    await app.register(adminDataSubjectRoutes(deps));
    await app.register(adminProcessingRecordRoutes(deps));
    await app.register(adminConsentTextRoutes(deps));
    await app.register(adminRoutingRoutes(deps));
    await app.register(adminBusinessProfileRoutes(deps));
    await app.register(adminQueueRoutes(deps));
  };
}
