import { randomUUID } from "node:crypto";
import Fastify, { type FastifyBaseLogger } from "fastify";
import fastifyCookie from "@fastify/cookie";
import fastifySwagger from "@fastify/swagger";
import fastifySwaggerUi from "@fastify/swagger-ui";
import fastifyWebsocket from "@fastify/websocket";
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from "fastify-type-provider-zod";
import { createApiServices } from "./services";
import type { ApiDeps, ApiInfra, App } from "./types";
import { registerErrorHandler } from "./plugins/error-handler";
import { registerMetrics } from "./plugins/metrics";
import { registerConsole } from "./plugins/console-static";
import { registerAuth } from "./plugins/auth";
import { authRoutes } from "./routes/auth";
import { healthRoutes } from "./routes/health";
import { conversationRoutes } from "./routes/conversations";
import { adminRoutes } from "./routes/admin";
import { directoryRoutes } from "./routes/directory";
import { liveRoutes } from "./routes/live";
import { webhookRoutes } from "./routes/webhooks";
import { messageRoutes } from "./routes/messages";
import { attachmentRoutes } from "./routes/attachments";
import { webchatRoutes } from "./routes/webchat";
import { webchatAdminRoutes } from "./routes/webchat-admin";
import { widgetScriptRoutes } from "./routes/widget-script";
import { availabilityRoutes } from "./routes/availability";
import { absenceRoutes } from "./routes/absences";

/** Largest webhook Meta sends is 3 MB; leave room for JSON overhead of our own API. */
const BODY_LIMIT_BYTES = 4 * 1024 * 1024;

/**
 * Builds the api without listening: its services (the composition root, closed with the app), plugins for external
 * concerns, then routes. Tests use app.inject().
 */
export async function buildApp(infra: ApiInfra): Promise<App> {
  // Typed as Fastify's logger interface so the instance type stays FastifyBaseLogger (pino satisfies it).
  const loggerInstance: FastifyBaseLogger = infra.log;
  const app = Fastify({
    loggerInstance,
    bodyLimit: BODY_LIMIT_BYTES,
    genReqId: (req) => {
      const incoming = req.headers["x-request-id"];
      return typeof incoming === "string" && /^[\w-]{1,64}$/.test(incoming) ? incoming : randomUUID();
    },
    requestIdHeader: false,
    trustProxy: true,
  }).withTypeProvider<ZodTypeProvider>();

  const deps: ApiDeps = { ...infra, ...(await createApiServices(infra)) };
  app.addHook("onClose", () => deps.close());
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.addHook("onSend", async (request, reply) => {
    reply.header("x-request-id", request.id);
  });
  registerErrorHandler(app, { onRefusal: (code) => deps.metrics.sendRefusals.inc({ code }) });
  await registerMetrics(app, deps);

  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: "WhatsApp Inbox API",
        version: "1.0.0",
        description:
          "The agent console's JSON API. Authenticate with POST /api/auth/login; the session cookie does the rest.",
      },
      components: { securitySchemes: { session: { type: "apiKey", in: "cookie", name: "inbox_session" } } },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: "/api/docs" });
  await app.register(fastifyCookie, { secret: deps.env.SESSION_SECRET });
  await app.register(fastifyWebsocket, { options: { maxPayload: 64 * 1024 } });

  await registerAuth(app, deps);

  await app.register(healthRoutes(deps));
  await app.register(authRoutes(deps));
  await app.register(conversationRoutes(deps));
  await app.register(directoryRoutes(deps));
  await app.register(adminRoutes(deps));
  await app.register(liveRoutes(deps));
  await app.register(webhookRoutes(deps));
  await app.register(messageRoutes(deps));
  await app.register(attachmentRoutes(deps));
  await app.register(webchatRoutes(deps));
  await app.register(webchatAdminRoutes(deps));
  await app.register(widgetScriptRoutes(deps));
  await app.register(availabilityRoutes(deps));
  await app.register(absenceRoutes(deps));

  await registerConsole(app, deps.consoleDir);
  return app;
}
