/** The customer phone page and the liveness route. */
import type { FastifyInstance } from "fastify";
import { PHONE_PAGE_HTML } from "./phone-page";

export async function phoneRoutes(app: FastifyInstance): Promise<void> {
  app.get("/phone", async (_request, reply) => reply.type("text/html; charset=utf-8").send(PHONE_PAGE_HTML));
  app.get("/healthz", async () => ({ ok: true }));
}
