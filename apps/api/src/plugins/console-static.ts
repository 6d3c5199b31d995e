import { existsSync } from "node:fs";
import path from "node:path";
import type { App } from "../types";
import fastifyStatic from "@fastify/static";

/**
 * Serves the built console; unknown non-API paths get index.html so client-side routes survive a reload. Source maps
 * are not served in production (`serveSourceMaps` false), even when a build left some in the folder.
 */
export async function registerConsole(
  app: App,
  consoleDir: string | null,
  options: { serveSourceMaps: boolean },
): Promise<void> {
  if (!consoleDir || !existsSync(path.join(consoleDir, "index.html"))) return;
  await app.register(fastifyStatic, {
    root: consoleDir,
    prefix: "/",
    wildcard: false,
    index: ["index.html"],
    ...(options.serveSourceMaps ? {} : { allowedPath: (pathName: string) => !pathName.endsWith(".map") }),
  });
  app.get("/*", { schema: { hide: true } }, (request, reply) => {
    const url = request.url;
    if (url.startsWith("/api/") || url.startsWith("/webhooks/")) {
      return reply
        .status(404)
        .send({ code: "not_found", message: `No route for ${request.method} ${url.split("?")[0]}` });
    }
    return reply.sendFile("index.html");
  });
}
