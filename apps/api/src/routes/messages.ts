import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import {
  ApiErrorSchema,
  ConsentRequestBodySchema,
  ConversationTemplateDtoSchema,
  MessageDtoSchema,
  SendMessageBodySchema,
  TemplateDtoSchema,
  TemplateListQuerySchema,
  TemplateSyncBodySchema,
} from "@inbox/contracts";
import {
  assertConversationAccess,
  listConversationTemplates,
  listTemplates,
  queueOutboundMessage,
  requestConsent,
  requestTemplateSync,
} from "@inbox/core";
import type { ApiDeps } from "../types";
import { requireRole, userOf } from "../plugins/auth";

const errors = {
  400: ApiErrorSchema,
  401: ApiErrorSchema,
  403: ApiErrorSchema,
  404: ApiErrorSchema,
  409: ApiErrorSchema,
};

/** Outbound messages and the template picker. Thin: parse → use case (which checks the user's access) → DTO. */
export function messageRoutes(deps: ApiDeps): FastifyPluginAsyncZod {
  return async (app) => {
    const onRequest = app.authenticate;

    app.post(
      "/api/conversations/:id/messages",
      {
        onRequest,
        schema: {
          tags: ["messages"],
          summary: "Queue an outbound message (idempotent on clientId)",
          security: [{ session: [] }],
          params: z.object({ id: z.string() }),
          body: SendMessageBodySchema,
          response: { 202: MessageDtoSchema, ...errors },
        },
      },
      async (request, reply) => {
        const user = userOf(request);
        const conversationId = request.params.id;
        const { message, isNew } = await queueOutboundMessage(deps, {
          conversationId,
          access: user,
          body: request.body,
          senderId: user.id,
        });
        request.log.info({ conversationId, messageId: message.id, isNew }, "outbound message queued");
        return reply.status(202).send(message);
      },
    );

    app.get(
      "/api/conversations/:id/templates",
      {
        onRequest,
        schema: {
          tags: ["templates"],
          summary: "The channel's templates for this conversation: which may go to the contact now, and why not",
          security: [{ session: [] }],
          params: z.object({ id: z.string() }),
          response: { 200: z.object({ items: z.array(ConversationTemplateDtoSchema) }), ...errors },
        },
      },
      async (request) => {
        const user = userOf(request);
        await assertConversationAccess(deps.db, user, request.params.id);
        const templates = await listConversationTemplates(deps.db, {
          conversationId: request.params.id,
          now: deps.clock(),
        });
        return {
          items: templates.map((t) => ({
            ...t,
            components: Array.isArray(t.components) ? (t.components as Record<string, unknown>[]) : [],
            syncedAt: t.syncedAt.toISOString(),
          })),
        };
      },
    );

    app.post(
      "/api/conversations/:id/consent-request",
      {
        onRequest,
        schema: {
          tags: ["messages"],
          summary: "Ask the customer for consent: the configured question in their language (window open only)",
          security: [{ session: [] }],
          params: z.object({ id: z.string() }),
          body: ConsentRequestBodySchema,
          response: { 202: MessageDtoSchema, ...errors },
        },
      },
      async (request, reply) => {
        const user = userOf(request);
        const conversationId = request.params.id;
        await assertConversationAccess(deps.db, user, conversationId);
        const { message, isNew } = await requestConsent(
          { ...deps, defaultLanguage: deps.env.DEFAULT_CUSTOMER_LANGUAGE },
          { conversationId, senderId: user.id, clientId: request.body.clientId, purpose: request.body.purpose },
        );
        request.log.info({ conversationId, messageId: message.id, isNew }, "consent question queued");
        return reply.status(202).send(message);
      },
    );

    app.get(
      "/api/templates",
      {
        onRequest,
        schema: {
          tags: ["templates"],
          summary: "Synced message templates (approved ones unless includeUnapproved=true)",
          security: [{ session: [] }],
          querystring: TemplateListQuerySchema,
          response: { 200: z.object({ items: z.array(TemplateDtoSchema) }), 401: ApiErrorSchema },
        },
      },
      async (request) => {
        userOf(request);
        const templates = await listTemplates(deps.db, {
          channelId: request.query.channelId,
          includeUnapproved: request.query.includeUnapproved,
        });
        return {
          items: templates.map((t) => ({
            ...t,
            components: Array.isArray(t.components) ? (t.components as Record<string, unknown>[]) : [],
            syncedAt: t.syncedAt.toISOString(),
          })),
        };
      },
    );

    app.post(
      "/api/templates/sync",
      {
        onRequest: [app.authenticate, requireRole("admin")],
        schema: {
          tags: ["templates"],
          summary: "Sync templates from the WhatsApp Business Account now (admins)",
          security: [{ session: [] }],
          body: TemplateSyncBodySchema,
          response: { 202: z.object({ channelIds: z.array(z.string()) }), 401: ApiErrorSchema, 403: ApiErrorSchema },
        },
      },
      async (request, reply) => {
        const user = userOf(request);
        const result = await requestTemplateSync(deps, {
          actor: { type: "user", userId: user.id, ip: request.ip },
          channelId: request.body?.channelId,
        });
        return reply.status(202).send(result);
      },
    );
  };
}
