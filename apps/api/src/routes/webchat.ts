import fastifyMultipart from "@fastify/multipart";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { FastifyPluginAsyncZod, ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import {
  ApiErrorSchema,
  SendWebchatMessageBodySchema,
  StartWebchatSessionBodySchema,
  WebchatAttachmentQuerySchema,
  WebchatClientFrameSchema,
  WebchatConsentBodySchema,
  WebchatMessageDtoSchema,
  WebchatSessionDtoSchema,
  WhatsAppHandoffBodySchema,
  WhatsAppHandoffDtoSchema,
} from "@inbox/contracts";
import {
  AppError,
  assertOriginAllowed,
  findWebchatChannelByKey,
  isAppError,
  markWebchatRead,
  maxCapabilityBytes,
  openVisitorMedia,
  receiveWebchatAttachment,
  receiveWebchatMessage,
  recordVisitorConsent,
  startWebchatSession,
  startWhatsAppHandoff,
  webchatChannel,
  type WebchatSettings,
} from "@inbox/core";
import type { ApiDeps } from "../types";
import type { VisitorClient, VisitorSocket } from "../live/visitor-hub";
import { renderQrSvg } from "./webchat-admin";

/** Per IP and minute, for every public web chat request (a shared office IP gets room for a few visitors). */
const WEBCHAT_IP_LIMIT = 120;
/** Messages per visitor and minute. */
export const WEBCHAT_VISITOR_MESSAGE_LIMIT = 20;
/** Attachments per visitor and minute (besides the message limit, which they count towards as well). */
export const WEBCHAT_VISITOR_ATTACHMENT_LIMIT = 5;
/** The largest file any kind the web chat channel declares accepts (images 5 MB, documents 10 MB). */
const WEBCHAT_MAX_UPLOAD_BYTES = maxCapabilityBytes(webchatChannel.capabilities.media);
/** A socket must authenticate within this time. */
const SOCKET_AUTH_TIMEOUT_MS = 5_000;

interface WebchatContext {
  channel: { id: string; name: string; defaultTeamId: string | null; settings: WebchatSettings };
  origin: string;
}

const keyParams = z.object({ key: z.string().min(1).max(64) });
const errors = {
  400: ApiErrorSchema,
  401: ApiErrorSchema,
  403: ApiErrorSchema,
  404: ApiErrorSchema,
  409: ApiErrorSchema,
  413: ApiErrorSchema,
  415: ApiErrorSchema,
  429: ApiErrorSchema,
};

/** The client's IP (behind the configured proxies); a socket injected in tests has none. */
function ipKeyOf(request: FastifyRequest): string {
  try {
    return request.ip;
  } catch {
    return "unknown";
  }
}

function bearerOf(request: FastifyRequest): string {
  const header = request.headers.authorization;
  if (!header?.startsWith("Bearer ")) throw new AppError("visitor_token_invalid", "Start the chat session first.");
  return header.slice("Bearer ".length).trim();
}

/**
 * The website chat's public endpoints, used by the embeddable widget from the company's pages:
 * `POST /webchat/:key/sessions` (start or resume: a signed visitor token), `POST /webchat/:key/consent`,
 * `POST /webchat/:key/messages`, and the visitor's websocket `GET /webchat/:key/ws` (agent replies, typing and read
 * state, pushed from Redis pub/sub so any api instance can hold the socket). Every request must come from an origin
 * on the channel's allow-list; rate limits per IP and per visitor; conversations are reached only through a token
 * signed by the server, never by an id a visitor could guess.
 */
export function webchatRoutes(deps: ApiDeps): FastifyPluginAsyncZod {
  return async (app) => {
    const { clock, visitorTokens: signer, visitorHub } = deps;
    const contexts = new WeakMap<FastifyRequest, WebchatContext>();
    const ipLimit = { rateLimit: { max: WEBCHAT_IP_LIMIT, timeWindow: "1 minute", keyGenerator: ipKeyOf } };
    const visitorKey = (prefix: string) => (request: FastifyRequest) => {
      try {
        return `${prefix}:${visitorOf(request)}`;
      } catch {
        return `${prefix}-ip:${ipKeyOf(request)}`; // an invalid token fails in the handler with 401
      }
    };
    const visitorMessageLimit = app.createRateLimit({
      max: WEBCHAT_VISITOR_MESSAGE_LIMIT,
      timeWindow: "1 minute",
      keyGenerator: visitorKey("webchat-visitor"),
    });
    const visitorAttachmentLimit = app.createRateLimit({
      max: WEBCHAT_VISITOR_ATTACHMENT_LIMIT,
      timeWindow: "1 minute",
      keyGenerator: visitorKey("webchat-visitor-attachment"),
    });
    /** After the IP limit (onRequest): the visitor's own limits, keyed on the id in their signed token. */
    const visitorLimit = (limits: (typeof visitorMessageLimit)[]) => async (request: FastifyRequest) => {
      for (const limit of limits) {
        const result = await limit(request);
        if (!result.isAllowed && result.isExceeded) {
          throw new AppError("rate_limited", "Too many messages. Please wait a moment.");
        }
      }
    };

    /**
     * Channel by key + origin check, first thing (onRequest). Every answer is readable by the page that asked —
     * refusals included, so the widget can say why —, and nothing gets past this unless the origin is allowed.
     */
    const webchatContext = async (request: FastifyRequest, reply: FastifyReply) => {
      const { key } = request.params as { key: string };
      if (request.headers.origin) {
        reply.header("access-control-allow-origin", request.headers.origin).header("vary", "Origin");
      }
      const channel = await findWebchatChannelByKey(deps.db, key);
      const origin = assertOriginAllowed(channel.settings, request.headers.origin);
      contexts.set(request, { channel, origin });
    };
    const contextOf = (request: FastifyRequest): WebchatContext => {
      const context = contexts.get(request);
      if (!context) throw new AppError("internal", "web chat context missing");
      return context;
    };
    const visitorOf = (request: FastifyRequest) =>
      signer.verify(bearerOf(request), contextOf(request).channel.id, clock()).visitorId;

    // CORS preflight: the widget posts JSON with a bearer token from the company's page. Answered for any origin of
    // a known channel, so that a page that is not allowed gets to read its refusal (403 origin_not_allowed) from
    // the request itself, which is where the origin is checked.
    app.options(
      "/webchat/:key/*",
      { config: ipLimit, schema: { hide: true, params: z.object({ key: z.string().max(64), "*": z.string() }) } },
      async (request, reply) => {
        await findWebchatChannelByKey(deps.db, request.params.key);
        const origin = request.headers.origin;
        if (!origin) throw new AppError("origin_not_allowed", "This website may not use this chat.");
        return reply
          .status(204)
          .header("access-control-allow-origin", origin)
          .header("access-control-allow-methods", "POST, GET")
          .header("access-control-expose-headers", "content-disposition")
          .header("access-control-allow-headers", "content-type, authorization")
          .header("access-control-max-age", "600")
          .header("vary", "Origin")
          .send();
      },
    );

    app.post(
      "/webchat/:key/sessions",
      {
        config: ipLimit,
        onRequest: webchatContext,
        schema: {
          tags: ["webchat"],
          summary: "Start or resume a visitor's chat (public, from an allowed origin)",
          params: keyParams,
          body: StartWebchatSessionBodySchema,
          response: { 200: WebchatSessionDtoSchema, ...errors },
        },
      },
      async (request) => {
        const { channel } = contextOf(request);
        return startWebchatSession(
          { db: deps.db, signer },
          { channel, token: request.body.token, language: request.body.language, now: clock() },
        );
      },
    );

    app.post(
      "/webchat/:key/consent",
      {
        config: ipLimit,
        onRequest: webchatContext,
        schema: {
          tags: ["webchat"],
          summary: "Record the visitor's consent to the privacy notice (wording version shown)",
          params: keyParams,
          body: WebchatConsentBodySchema,
          response: { 201: z.object({ ok: z.literal(true) }), ...errors },
        },
      },
      async (request, reply) => {
        const { channel, origin } = contextOf(request);
        await recordVisitorConsent(deps.db, {
          channelId: channel.id,
          visitorId: visitorOf(request),
          language: request.body.language,
          wordingVersion: request.body.wordingVersion,
          purposes: ["service"],
          evidence: {
            origin,
            ip: request.ip,
            userAgent: request.headers["user-agent"]?.slice(0, 300) ?? null,
            via: "webchat",
          },
          now: clock(),
        });
        return reply.status(201).send({ ok: true as const });
      },
    );

    app.post(
      "/webchat/:key/messages",
      {
        config: ipLimit,
        bodyLimit: 128 * 1024,
        onRequest: webchatContext,
        preHandler: visitorLimit([visitorMessageLimit]),
        schema: {
          tags: ["webchat"],
          summary: "A visitor's message (after consent); stored and routed like every inbound message",
          params: keyParams,
          body: SendWebchatMessageBodySchema,
          response: { 201: WebchatMessageDtoSchema, 200: WebchatMessageDtoSchema, ...errors },
        },
      },
      async (request, reply) => {
        const { channel } = contextOf(request);
        const result = await receiveWebchatMessage(deps.db, {
          channel,
          visitorId: visitorOf(request),
          clientMessageId: request.body.clientMessageId,
          text: request.body.text,
          now: clock(),
        });
        if (result.isNew) {
          if (result.wroteOutbox) deps.onOutboxWritten();
          deps.live.add({ createdMessageIds: [result.messageId], conversationIds: [result.conversationId] });
        }
        return reply.status(result.isNew ? 201 : 200).send(result.message);
      },
    );

    app.post(
      "/webchat/:key/whatsapp",
      {
        config: ipLimit,
        onRequest: webchatContext,
        schema: {
          tags: ["webchat"],
          summary: "Continue on WhatsApp: record the consent, get the wa.me link with a reference and its QR code",
          params: keyParams,
          body: WhatsAppHandoffBodySchema,
          response: { 201: WhatsAppHandoffDtoSchema, ...errors },
        },
      },
      async (request, reply) => {
        const { channel, origin } = contextOf(request);
        const { reference, url } = await startWhatsAppHandoff(deps.db, {
          channel,
          visitorId: visitorOf(request),
          language: request.body.language,
          wordingVersion: request.body.wordingVersion,
          purposes: ["service"],
          evidence: { origin, ip: request.ip, userAgent: request.headers["user-agent"]?.slice(0, 300) ?? null },
          now: clock(),
        });
        return reply.status(201).send({ reference, url, qrSvg: await renderQrSvg(url) });
      },
    );

    // ── attachments: the visitor's uploads and the thread's files ─────────────────────────────────────────────────

    // Its own scope: only this route accepts multipart bodies.
    await app.register(async (scope) => {
      const uploads = scope.withTypeProvider<ZodTypeProvider>();
      await uploads.register(fastifyMultipart, {
        limits: { files: 1, fields: 0, fileSize: WEBCHAT_MAX_UPLOAD_BYTES, parts: 2 },
      });
      uploads.post(
        "/webchat/:key/attachments",
        {
          config: ipLimit,
          bodyLimit: WEBCHAT_MAX_UPLOAD_BYTES + 64 * 1024,
          onRequest: webchatContext,
          preHandler: visitorLimit([visitorAttachmentLimit, visitorMessageLimit]),
          schema: {
            tags: ["webchat"],
            summary:
              "A visitor's attachment (multipart field `file`, after consent): type from its bytes, size per kind",
            consumes: ["multipart/form-data"],
            params: keyParams,
            querystring: WebchatAttachmentQuerySchema,
            response: { 201: WebchatMessageDtoSchema, 200: WebchatMessageDtoSchema, ...errors },
          },
        },
        async (request, reply) => {
          const { channel } = contextOf(request);
          const visitorId = visitorOf(request);
          if (!request.isMultipart())
            throw new AppError("unsupported_media_type", "Send the file as multipart/form-data (field `file`).");
          const readFile = async () => {
            const file = await request.file();
            if (!file) throw new AppError("bad_request", "No file in the request.");
            try {
              return { bytes: await file.toBuffer(), filename: file.filename };
            } catch (error) {
              if (error instanceof uploads.multipartErrors.RequestFileTooLargeError) {
                throw new AppError("payload_too_large", "The file is too large.", {
                  reason: "size",
                  maxBytes: WEBCHAT_MAX_UPLOAD_BYTES,
                });
              }
              throw error;
            }
          };
          const result = await receiveWebchatAttachment(
            { db: deps.db, store: deps.media },
            { channel, visitorId, clientMessageId: request.query.clientMessageId, readFile, now: clock() },
          );
          if (result.isNew) {
            if (result.wroteOutbox) deps.onOutboxWritten();
            deps.live.add({ createdMessageIds: [result.messageId], conversationIds: [result.conversationId] });
            request.log.info(
              {
                conversationId: result.conversationId,
                messageId: result.messageId,
                mediaAssetId: result.message.media?.id,
              },
              "web chat attachment stored",
            );
          }
          return reply.status(result.isNew ? 201 : 200).send(result.message);
        },
      );
    });

    app.get(
      "/webchat/:key/media/:id",
      {
        config: ipLimit,
        onRequest: webchatContext,
        schema: {
          tags: ["webchat"],
          summary: "A file of the visitor's own thread (bearer visitor token), e.g. an agent's attachment",
          params: keyParams.extend({ id: z.string().max(64) }),
        },
      },
      async (request, reply) => {
        const { channel } = contextOf(request);
        const file = await openVisitorMedia(deps.db, deps.media, {
          channelId: channel.id,
          visitorId: visitorOf(request),
          mediaId: request.params.id,
        });
        // As /api/media/:id: a fixed type from the allow-list, never rendered as a page.
        reply.header("content-type", file.contentType);
        reply.header("cache-control", "private, no-store");
        reply.header("x-content-type-options", "nosniff");
        reply.header("content-security-policy", "sandbox; default-src 'none'");
        const disposition = file.isInline ? "inline" : "attachment";
        reply.header(
          "content-disposition",
          file.filename ? `${disposition}; filename*=UTF-8''${encodeURIComponent(file.filename)}` : disposition,
        );
        return reply.send(file.stream);
      },
    );

    // ── the visitor's socket ────────────────────────────────────────────────────────────────────────────────────

    app.get(
      "/webchat/:key/ws",
      {
        websocket: true,
        config: ipLimit,
        // Before the upgrade: unknown channel 404, foreign origin 403.
        onRequest: webchatContext,
        schema: {
          tags: ["webchat"],
          summary: "The visitor's websocket: send {type:'auth',token} first; then messages, typing and read arrive",
          params: keyParams,
        },
      },
      (rawSocket, request) => {
        // Synchronous: handlers must be attached before the first frame can arrive.
        const socket = rawSocket as unknown as VisitorSocket;
        const { channel } = contextOf(request);
        let client: VisitorClient | null = null;
        const timeout = setTimeout(() => socket.close(4401, "authenticate first"), SOCKET_AUTH_TIMEOUT_MS);
        socket.on("close", () => {
          clearTimeout(timeout);
          if (client) visitorHub.remove(client);
        });
        socket.on("message", (data) => {
          let parsed;
          try {
            parsed = WebchatClientFrameSchema.safeParse(JSON.parse(String(data)));
          } catch {
            return;
          }
          if (!parsed.success) return;
          const f = parsed.data;
          if (f.type === "auth") {
            if (client) return;
            try {
              const { visitorId } = signer.verify(f.token, channel.id, clock());
              clearTimeout(timeout);
              const authed: VisitorClient = {
                socket,
                channelId: channel.id,
                visitorId,
                contactId: null,
                conversationIds: new Set(),
              };
              client = authed;
              visitorHub.add(authed);
            } catch (error) {
              const code = isAppError(error) ? error.code : "visitor_token_invalid";
              if (socket.readyState === 1) {
                socket.send(
                  JSON.stringify({ type: "error", code, message: "The chat session is invalid or expired." }),
                );
              }
              socket.close(4401, "invalid token");
            }
            return;
          }
          if (f.type === "read" && client) {
            const { visitorId } = client;
            void markWebchatRead(deps.db, { channelId: channel.id, visitorId, now: clock() })
              .then(({ messageIds }) => {
                if (messageIds.length > 0) deps.live.add({ updatedMessageIds: messageIds });
              })
              .catch((err: unknown) => deps.log.warn({ err }, "web chat read state not stored"));
          }
        });
      },
    );
  };
}
