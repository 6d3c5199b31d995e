import { existsSync } from "node:fs";
import path from "node:path";
import type { App } from "../types";
import fastifyStatic from "@fastify/static";

/** Serves the built console; unknown non-API paths get index.html so client-side routes survive a reload. */
export async function registerConsole(app: App, consoleDir: string | null): Promise<void> {
  if (!consoleDir || !existsSync(path.join(consoleDir, "index.html"))) return;
  await app.register(fastifyStatic, { root: consoleDir, prefix: "/", wildcard: false, index: ["index.html"] });
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
