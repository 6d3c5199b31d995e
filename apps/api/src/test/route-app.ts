import Fastify, { type FastifyRequest } from "fastify";
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from "fastify-type-provider-zod";
import type { SessionUser } from "@inbox/core";
import type { Logger } from "@inbox/logger";
import type { App } from "../types";
import { registerErrorHandler } from "../plugins/error-handler";

const TEST_USER_HEADER = "x-test-user";

/**
 * A bare app with the api's validation, serialisation and error handling, for testing routes on what they rely on:
 * `app.authenticate` setting `request.user = {id, role, teamIds}`. Here it reads that user from a test header
 * (`asUser`); session login is the auth plugin's business and tested there. Register the routes, then `ready()`.
 */
export function createRouteTestApp(log: Logger): App {
  const app = Fastify({ loggerInstance: log }).withTypeProvider<ZodTypeProvider>() as unknown as App;
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandler(app, { onRefusal: () => undefined });
  app.decorate("authenticate", async (request: FastifyRequest) => {
    const header = request.headers[TEST_USER_HEADER];
    request.user = typeof header === "string" ? (JSON.parse(header) as SessionUser) : null;
  });
  return app;
}

/** Request headers that make `user` the signed-in user of a `createRouteTestApp` app (none: signed out). */
export function asUser(user: object | null): Record<string, string> {
  return user ? { [TEST_USER_HEADER]: JSON.stringify(user) } : {};
}
