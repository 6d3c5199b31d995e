import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import {
  ApiErrorSchema,
  AssignBodySchema,
  ContactDetailsDtoSchema,
  ConversationDtoSchema,
  ConversationListQuerySchema,
  ConversationPageSchema,
  HandoverBodySchema,
  MessagePageSchema,
  PageQuerySchema,
  SetLabelsBodySchema,
  SetStatusBodySchema,
  SnoozeBodySchema,
  type ConversationAction,
} from "@inbox/contracts";
import {
  changeConversation,
  getConversation,
  recordConversationRead,
  getConversationContact,
  listConversationMessages,
  listConversations,
  openMediaAsset,
} from "@inbox/core";
import type { FastifyRequest } from "fastify";
import type { ApiDeps } from "../types";
import { userOf } from "../plugins/auth";

const errors = {
  400: ApiErrorSchema,
  401: ApiErrorSchema,
  403: ApiErrorSchema,
  404: ApiErrorSchema,
  409: ApiErrorSchema,
};
const params = z.object({ id: z.string() });
const security = [{ session: [] }];

/** The inbox: lists, one conversation, its history, and the actions on it. Thin: parse → core → DTO. */
export function conversationRoutes(deps: ApiDeps): FastifyPluginAsyncZod {
  return async (app) => {
    const onRequest = app.authenticate;

    app.get(
      "/api/conversations",
      {
        onRequest,
        schema: {
          tags: ["conversations"],
          summary: "Conversations the user may see, newest activity first (keyset-paged)",
          description:
            "Views: Mine = assignee=me, Unassigned = assignee=none, My teams = team=mine, All = no filter (lead/admin see more).",
          security,
          querystring: ConversationListQuerySchema,
          response: { 200: ConversationPageSchema, ...errors },
        },
      },
      async (request) => listConversations(deps.db, userOf(request), request.query),
    );

    app.get(
      "/api/conversations/:id",
      {
        onRequest,
        schema: {
          tags: ["conversations"],
          summary: "One conversation",
          security,
          params,
          response: { 200: ConversationDtoSchema, ...errors },
        },
      },
      async (request) => getConversation(deps.db, userOf(request), request.params.id),
    );

    app.get(
      "/api/conversations/:id/messages",
      {
        onRequest,
        schema: {
          tags: ["conversations"],
          summary: "A conversation's messages, newest first (keyset-paged)",
          security,
          params,
          querystring: PageQuerySchema,
          response: { 200: MessagePageSchema, ...errors },
        },
      },
      async (request) => {
        const page = await listConversationMessages(deps.db, userOf(request), {
          conversationId: request.params.id,
          limit: request.query.limit,
          cursor: request.query.cursor,
        });
        // Audit log: reading a conversation outside one's own teams (first page only).
        if (!request.query.cursor)
          await recordConversationRead(deps.db, userOf(request), request.params.id, request.ip);
        return page;
      },
    );

    app.get(
      "/api/conversations/:id/contact",
      {
        onRequest,
        schema: {
          tags: ["conversations"],
          summary: "Contact panel: consents with evidence, labels, past conversations",
          security,
          params,
          response: { 200: ContactDetailsDtoSchema, ...errors },
        },
      },
      async (request) => getConversationContact(deps.db, userOf(request), request.params.id),
    );

    app.get(
      "/api/media/:id",
      {
        onRequest,
        schema: {
          tags: ["conversations"],
          summary: "A message's media file (images, audio, documents)",
          security,
          params,
        },
      },
      async (request, reply) => {
        const file = await openMediaAsset(deps.db, deps.media, userOf(request), request.params.id);
        // Customer files: a fixed type, never rendered as a page of the console's origin (a document is
        // downloaded; even opened directly, the sandbox gives it no script and no origin).
        reply.header("content-type", file.contentType);
        reply.header("cache-control", "private, max-age=3600");
        reply.header("x-content-type-options", "nosniff");
        reply.header("content-security-policy", "sandbox; default-src 'none'; img-src 'self'; media-src 'self'");
        const disposition = file.isInline ? "inline" : "attachment";
        reply.header(
          "content-disposition",
          file.filename ? `${disposition}; filename*=UTF-8''${encodeURIComponent(file.filename)}` : disposition,
        );
        return reply.send(file.stream);
      },
    );

    const act = (request: FastifyRequest, conversationId: string, action: ConversationAction) =>
      changeConversation(deps, { user: userOf(request), conversationId, action, ip: request.ip });
    const actionSchema = (summary: string, body?: z.ZodType) => ({
      tags: ["conversations"],
      summary,
      security,
      params,
      // Fastify warns about a `body: undefined` key: only routes that take a body declare one.
      ...(body ? { body } : {}),
      response: { 200: ConversationDtoSchema, ...errors },
    });

    app.post(
      "/api/conversations/:id/assign",
      {
        onRequest,
        schema: {
          ...actionSchema("Assign (assigneeId) or unassign (null); others only by leads/admins"),
          body: AssignBodySchema,
        },
      },
      async (request) => act(request, request.params.id, { type: "assign", assigneeId: request.body.assigneeId }),
    );
    app.post(
      "/api/conversations/:id/handover",
      { onRequest, schema: { ...actionSchema("Hand over to a team (unassigns)"), body: HandoverBodySchema } },
      async (request) => act(request, request.params.id, { type: "handover", teamId: request.body.teamId }),
    );
    app.post(
      "/api/conversations/:id/status",
      { onRequest, schema: { ...actionSchema("Resolve, reopen or set pending"), body: SetStatusBodySchema } },
      async (request) => act(request, request.params.id, { type: "status", status: request.body.status }),
    );
    app.post(
      "/api/conversations/:id/snooze",
      { onRequest, schema: { ...actionSchema("Snooze until a time (null wakes it)"), body: SnoozeBodySchema } },
      async (request) => act(request, request.params.id, { type: "snooze", until: request.body.until }),
    );
    app.put(
      "/api/conversations/:id/labels",
      { onRequest, schema: { ...actionSchema("Set the conversation's labels"), body: SetLabelsBodySchema } },
      async (request) => act(request, request.params.id, { type: "labels", labelIds: request.body.labelIds }),
    );
    app.post(
      "/api/conversations/:id/read",
      { onRequest, schema: actionSchema("Mark read (unread count 0)") },
      async (request) => act(request, request.params.id, { type: "read" }),
    );
  };
}
