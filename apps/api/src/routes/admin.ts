import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { ApiDeps } from "../types";
import { adminCatalogRoutes } from "./admin/catalog";
import { adminChannelRoutes } from "./admin/channels";
import { adminRoutingRoutes } from "./admin/routing";
import { adminSettingsRoutes } from "./admin/settings";
import { adminUserRoutes } from "./admin/users";

/** Everything under /api/admin/* (admins only). */
export function adminRoutes(deps: ApiDeps): FastifyPluginAsyncZod {
  return async (app) => {
    await app.register(adminUserRoutes(deps));
    await app.register(adminCatalogRoutes(deps));
    await app.register(adminChannelRoutes(deps));
    await app.register(adminSettingsRoutes(deps));
    await app.register(adminRoutingRoutes(deps));
  };
}
