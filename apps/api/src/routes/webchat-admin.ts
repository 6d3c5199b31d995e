import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import QRCode from "qrcode";
import { z } from "zod";
import {
  ApiErrorSchema,
  ClickToChatDtoSchema,
  CreateWebchatChannelBodySchema,
  UpdateWebchatChannelBodySchema,
  WebchatChannelDtoSchema,
  type WebchatChannelDto,
} from "@inbox/contracts";
import {
  clickToChatUrl,
  createWebchatChannel,
  findWhatsAppNumber,
  listWebchatChannels,
  updateWebchatChannel,
  type WebchatChannelView,
} from "@inbox/core";
import type { ApiDeps } from "../types";
import { requireRole, userOf } from "../plugins/auth";

const errors = { 400: ApiErrorSchema, 401: ApiErrorSchema, 403: ApiErrorSchema, 404: ApiErrorSchema };

/** A QR code as SVG, rendered on the server (no third-party request from the browser). */
export function renderQrSvg(text: string): Promise<string> {
  return QRCode.toString(text, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
}

/** The `<script>` tag admins paste into their website. */
function webchatSnippet(publicUrl: string, key: string): string {
  return `<script src="${new URL("/widget.js", publicUrl).href}" data-channel="${key}" async></script>`;
}

/** Admins create and edit web chat channels (name, colours, greeting, allowed origins) and copy the snippet. */
export function webchatAdminRoutes(deps: ApiDeps): FastifyPluginAsyncZod {
  return async (app) => {
    const toDto = (view: WebchatChannelView): WebchatChannelDto => ({
      id: view.id,
      name: view.name,
      key: view.key,
      status: view.status,
      settings: view.settings,
      snippet: webchatSnippet(deps.env.PUBLIC_URL, view.key),
      createdAt: view.createdAt.toISOString(),
    });
    const admin = { onRequest: [app.authenticate, requireRole("admin")] };

    app.get(
      "/api/admin/webchat-channels",
      {
        ...admin,
        schema: {
          tags: ["admin"],
          summary: "Web chat channels with their embed snippet",
          security: [{ session: [] }],
          response: { 200: z.object({ items: z.array(WebchatChannelDtoSchema) }), ...errors },
        },
      },
      async () => ({ items: (await listWebchatChannels(deps.db)).map(toDto) }),
    );

    app.post(
      "/api/admin/webchat-channels",
      {
        ...admin,
        schema: {
          tags: ["admin"],
          summary: "Create a web chat channel",
          security: [{ session: [] }],
          body: CreateWebchatChannelBodySchema,
          response: { 201: WebchatChannelDtoSchema, ...errors },
        },
      },
      async (request, reply) => {
        const user = userOf(request);
        const view = await createWebchatChannel(deps.db, request.body, {
          type: "user",
          userId: user.id,
          ip: request.ip,
        });
        return reply.status(201).send(toDto(view));
      },
    );

    app.get(
      "/api/admin/channels/:id/click-to-chat",
      {
        ...admin,
        schema: {
          tags: ["admin"],
          summary: "A WhatsApp number's click-to-chat link (wa.me) and its QR code",
          security: [{ session: [] }],
          params: z.object({ id: z.uuid() }),
          response: { 200: ClickToChatDtoSchema, 409: ApiErrorSchema, ...errors },
        },
      },
      async (request) => {
        const displayNumber = await findWhatsAppNumber(deps.db, request.params.id);
        const url = clickToChatUrl(displayNumber);
        return { url, displayNumber, qrSvg: await renderQrSvg(url) };
      },
    );

    app.patch(
      "/api/admin/webchat-channels/:id",
      {
        ...admin,
        schema: {
          tags: ["admin"],
          summary: "Change a web chat channel's name or settings",
          security: [{ session: [] }],
          params: z.object({ id: z.uuid() }),
          body: UpdateWebchatChannelBodySchema,
          response: { 200: WebchatChannelDtoSchema, ...errors },
        },
      },
      async (request) => {
        const user = userOf(request);
        const view = await updateWebchatChannel(deps.db, request.params.id, request.body, {
          type: "user",
          userId: user.id,
          ip: request.ip,
        });
        return toDto(view);
      },
    );
  };
}
