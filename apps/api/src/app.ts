import { randomUUID } from "node:crypto";
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type RawServerDefault } from "fastify";
import type { IncomingMessage, ServerResponse } from "node:http";
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
import type { ApiDeps } from "./deps";
import { registerErrorHandler } from "./plugins/error-handler";
import { registerConsole } from "./plugins/console-static";
import { registerAuth } from "./plugins/auth";
import { authRoutes } from "./routes/auth";
import { healthRoutes } from "./routes/health";
import { conversationRoutes } from "./routes/conversations";
import { adminRoutes } from "./routes/admin";
import { liveRoutes } from "./routes/live";
import { webhookRoutes } from "./routes/webhooks";
import { messageRoutes } from "./routes/messages";
import { attachmentRoutes } from "./routes/attachments";
import { channelAdminRoutes } from "./routes/channel-admin";
import { conversationTemplateRoutes } from "./routes/conversation-templates";
import { consentRequestRoutes } from "./routes/consent-requests";
import { autoReplyRoutes } from "./routes/auto-replies";
import { twoFactorRoutes } from "./routes/two-factor";
import { businessProfileRoutes } from "./routes/business-profile";

/** Largest webhook Meta sends is 3 MB; leave room for JSON overhead of our own API. */
export const BODY_LIMIT_BYTES = 4 * 1024 * 1024;

/** Builds the api without listening: plugins for external concerns, then routes. Tests use app.inject(). */
export type App = FastifyInstance<
  RawServerDefault,
  IncomingMessage,
  ServerResponse,
  FastifyBaseLogger,
  ZodTypeProvider
>;

export async function buildApp(deps: ApiDeps): Promise<App> {
  // Typed as Fastify's logger interface so the instance type stays FastifyBaseLogger (pino satisfies it).
  const loggerInstance: FastifyBaseLogger = deps.log;
  const app = Fastify({
    loggerInstance,
    bodyLimit: BODY_LIMIT_BYTES,
    genReqId: (req) => {
      const incoming = req.headers["x-request-id"];
      return typeof incoming === "string" && /^[\w-]{1,64}$/.test(incoming) ? incoming : randomUUID();
    },
    requestIdHeader: false,
    trustProxy: true,
    // One compact line per request at debug level instead of two at info (see the onResponse hook below).
    disableRequestLogging: true,
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.addHook("onSend", async (request, reply) => {
    reply.header("x-request-id", request.id);
  });
  // The route pattern, never the raw URL (query strings can hold search terms or tokens); errors stand out.
  app.addHook("onResponse", async (request, reply) => {
    const line = {
      method: request.method,
      route: request.routeOptions.url ?? "(no route)",
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime),
    };
    if (reply.statusCode >= 500) request.log.warn(line, "request failed");
    else request.log.debug(line, "request");
  });
  registerErrorHandler(app);

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
  await app.register(adminRoutes(deps));
  await app.register(liveRoutes(deps));
  await app.register(webhookRoutes(deps));
  await app.register(messageRoutes(deps));
  await app.register(attachmentRoutes(deps));
  await app.register(channelAdminRoutes(deps));
  await app.register(conversationTemplateRoutes(deps));
  await app.register(consentRequestRoutes(deps));
  await app.register(autoReplyRoutes(deps));
  await app.register(twoFactorRoutes(deps));
  await app.register(businessProfileRoutes(deps));

  await registerConsole(app, deps.consoleDir);
  return app;
}
