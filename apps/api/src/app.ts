import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import Fastify, { type FastifyBaseLogger, type FastifyReply, type FastifyRequest } from "fastify";
import fastifyCookie from "@fastify/cookie";
import fastifySwagger from "@fastify/swagger";
import fastifySwaggerUi from "@fastify/swagger-ui";
import fastifyWebsocket from "@fastify/websocket";
import helmet from "helmet";
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from "fastify-type-provider-zod";
import { createLazyChildLogger, type Logger } from "@inbox/logger";
import { createApiServices } from "./services";
import type { ApiDeps, ApiInfra, App } from "./types";
import { registerErrorHandler } from "./plugins/error-handler";
import { registerMetrics } from "./plugins/metrics";
import { registerConsole } from "./plugins/console-static";
import { registerAuth, requireRole } from "./plugins/auth";
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
import { consentRoutes } from "./routes/consents";
import { availabilityRoutes } from "./routes/availability";
import { absenceRoutes } from "./routes/absences";
import { CompactRequestLog } from "./plugins/request-log";
import { teamLeadRoutes } from "./routes/team-lead";

/** Largest webhook Meta sends is 3 MB; leave room for JSON overhead of our own API. */
const BODY_LIMIT_BYTES = 4 * 1024 * 1024;

/** TRUST_PROXY as Fastify takes it: a hop count as "the first n hops", addresses/ranges as they are. */
function trustProxyOf(
  setting: false | number | string[],
): boolean | string[] | ((address: string, hop: number) => boolean) {
  return typeof setting === "number" ? (_address, hop) => hop < setting : setting;
}

/**
 * Builds the api without listening: its services (the composition root, closed with the app), plugins for external
 * concerns, then routes. Tests use app.inject().
 */
export async function buildApp(infra: ApiInfra): Promise<App> {
  // Typed as Fastify's logger interface so the instance type stays FastifyBaseLogger (pino satisfies it).
  const loggerInstance: FastifyBaseLogger = infra.log;
  const app = Fastify({
    loggerInstance,
    // One compact line per request at debug; nothing at the default level (see plugins/request-log.ts).
    logController: new CompactRequestLog(),
    // Each request's logger (with its request id) is built only when the request logs something: see logger.
    childLoggerFactory: (logger, bindings, options) => createLazyChildLogger(logger as Logger, bindings, options),
    bodyLimit: BODY_LIMIT_BYTES,
    genReqId: (req) => {
      const incoming = req.headers["x-request-id"];
      return typeof incoming === "string" && /^[\w-]{1,64}$/.test(incoming) ? incoming : randomUUID();
    },
    requestIdHeader: false,
    // request.ip feeds rate limits, sign-in waits, sessions and the audit log: believe X-Forwarded-For only from
    // the configured proxies (TRUST_PROXY, off by default), never from any client.
    trustProxy: trustProxyOf(infra.env.TRUST_PROXY),
  }).withTypeProvider<ZodTypeProvider>();

  const deps: ApiDeps = { ...infra, ...(await createApiServices(infra)) };
  app.addHook("onClose", () => deps.close());
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // Callback hooks, not async ones: an async hook costs every request a promise and a turn of the microtask queue.
  app.addHook("onSend", (request, reply, payload, done) => {
    reply.header("x-request-id", request.id);
    done(null, payload);
  });
  registerErrorHandler(app, { onRefusal: (code) => deps.metrics.sendRefusals.inc({ code }) });
  await registerMetrics(app, deps);

  registerSecurityHeaders(app, deps);
  await app.register(fastifyCookie, { secret: deps.env.SESSION_SECRET });
  await registerAuth(app, deps);
  await registerApiDocs(app, deps);
  await app.register(fastifyWebsocket, { options: { maxPayload: 64 * 1024 } });

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
  await app.register(consentRoutes(deps));
  await app.register(availabilityRoutes(deps));
  await app.register(absenceRoutes(deps));
  await app.register(teamLeadRoutes(deps));

  await registerConsole(app, deps.consoleDir, { serveSourceMaps: deps.env.NODE_ENV !== "production" });
  return app;
}

/**
 * Security headers on every answer (helmet): a CSP without inline script (the console is built to need none),
 * frame-ancestors none, nosniff, Referrer-Policy same-origin, HSTS when PUBLIC_URL is https. A route may replace one
 * (media: a sandboxing CSP; the widget script: cross-origin). The headers are the same for every request, so helmet
 * computes them once at startup (the Fastify plugin built helmet's middleware anew per request, parsing the CSP
 * directives each time: a few percent of a webhook's CPU).
 */
function registerSecurityHeaders(app: App, deps: ApiDeps): void {
  const publicUrl = new URL(deps.env.PUBLIC_URL);
  const isHttps = publicUrl.protocol === "https:";
  const middleware = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", "data:", "blob:"],
        mediaSrc: ["'self'", "blob:"],
        fontSrc: ["'self'", "data:"],
        // 'self' covers same-origin websockets in current browsers; the explicit origin helps older ones.
        connectSrc: ["'self'", `${isHttps ? "wss" : "ws"}://${publicUrl.host}`],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        ...(isHttps ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    strictTransportSecurity: isHttps ? { maxAge: 31_536_000, includeSubDomains: false } : false,
    referrerPolicy: { policy: "same-origin" },
    frameguard: { action: "deny" },
    crossOriginEmbedderPolicy: false,
    crossOriginResourcePolicy: { policy: "same-origin" },
  });
  const headers: Record<string, string> = {};
  const collect = {
    setHeader: (name: string, value: string) => void (headers[name.toLowerCase()] = value),
    removeHeader: () => undefined,
  };
  middleware({} as IncomingMessage, collect as unknown as ServerResponse, (error?: unknown) => {
    if (error) throw new Error("helmet refused the security header options", { cause: error });
  });
  app.addHook("onRequest", (_request, reply, done) => {
    reply.headers(headers);
    done();
  });
}

/**
 * OpenAPI at /api/docs (CONTRACT): open in development, for signed-in admins in production (API_DOCS=admin), or not
 * served at all (API_DOCS=off). The description is still built from the routes' schemas in every mode.
 */
async function registerApiDocs(app: App, deps: ApiDeps): Promise<void> {
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
  if (deps.env.API_DOCS === "off") return;
  const adminOnly = requireRole("admin");
  await app.register(fastifySwaggerUi, {
    routePrefix: "/api/docs",
    // Swagger UI's page carries its own CSP (hashes of its inline bits) instead of the console's.
    staticCSP: true,
    ...(deps.env.API_DOCS === "admin"
      ? {
          uiHooks: {
            onRequest: (request: FastifyRequest, reply: FastifyReply, done: (error?: Error) => void) => {
              app.authenticate
                .call(app, request, reply)
                .then(() => adminOnly.call(app, request, reply))
                .then(() => done(), done);
            },
          },
        }
      : {}),
  });
}
