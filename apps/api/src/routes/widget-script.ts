import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { buildWidget, type BuiltWidget } from "@inbox/widget";
import type { ApiDeps } from "../types";

/**
 * `GET /widget.js`: the embeddable web chat script (apps/widget), built once per process on first request. It is
 * loaded by the company's pages from another origin, so it is served as a cross-origin resource.
 */
export function widgetScriptRoutes(deps: ApiDeps): FastifyPluginAsyncZod {
  return async (app) => {
    let widget: Promise<BuiltWidget> | null = null;
    app.get("/widget.js", { schema: { hide: true } }, async (_request, reply) => {
      widget ??= buildWidget().catch((error: unknown) => {
        widget = null;
        deps.log.error({ err: error }, "widget build failed");
        throw error;
      });
      const { code } = await widget;
      return reply
        .header("content-type", "text/javascript; charset=utf-8")
        .header("cache-control", "public, max-age=300")
        .header("cross-origin-resource-policy", "cross-origin")
        .send(code);
    });
  };
}
