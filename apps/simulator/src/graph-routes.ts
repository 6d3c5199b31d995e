/**
 * Meta's Graph API under any `/vNN.N/` prefix: sends and mark-as-read, media upload/download, the number's settings
 * and registration, message templates, the business profile (business-profile.ts). Bearer token required; forced 5xx, timeouts and slow answers come first.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import {
  MarkReadRequestSchema,
  RegisterRequestSchema,
  SendMessageRequestSchema,
  UpdateSettingsRequestSchema,
  type MessageTemplatesResponse,
} from "@inbox/whatsapp";
import { businessProfileRoutes } from "./business-profile";
import { GraphError, type CloudApiSimulator, type SimulatorOptions } from "./simulator";
import { sleep } from "./webhook-sender";

export type GraphRoutesOptions = {
  sim: CloudApiSimulator;
  options: SimulatorOptions;
  /** When each request arrived (stamped before its body was read): Meta's throughput counts arrivals. */
  arrivals: WeakMap<object, number>;
  /** Requests held open by a forced timeout; closing the app releases them. */
  hangingRequests: Set<() => void>;
};

const VERSION_RE = /^v\d+\.\d+$/;
const MEDIA_LIMITS: Record<string, number> = {
  "audio/aac": 16,
  "audio/amr": 16,
  "audio/mpeg": 16,
  "audio/mp4": 16,
  "audio/ogg": 16,
  "text/plain": 100,
  "application/pdf": 100,
  "application/vnd.ms-excel": 100,
  "application/msword": 100,
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": 100,
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document": 100,
  "application/vnd.ms-powerpoint": 100,
  "application/vnd.openxmlformats-officedocument.presentationml.presentation": 100,
  "image/jpeg": 5,
  "image/png": 5,
  "image/webp": 0.5,
  "video/mp4": 16,
  "video/3gpp": 16,
};

export async function graphRoutes(
  app: FastifyInstance,
  { sim, options, arrivals, hangingRequests }: GraphRoutesOptions,
): Promise<void> {
  const baseUrl = (request: FastifyRequest) => `${request.protocol}://${request.host}`;

  const checkBearer = (request: FastifyRequest) => {
    if (request.headers.authorization !== `Bearer ${options.accessToken}`) {
      throw new GraphError(401, {
        error: {
          message: "Invalid OAuth access token - Cannot parse access token",
          type: "OAuthException",
          code: 190,
          fbtrace_id: sim.error(190).body.error.fbtrace_id,
        },
      });
    }
  };

  /** Version prefix, bearer token, then forced 5xx/timeout/slow answers. */
  const graphGuard = async (request: FastifyRequest<{ Params: { version: string } }>, reply: FastifyReply) => {
    if (!VERSION_RE.test(request.params.version))
      throw sim.error(100, `Unknown path components: /${request.params.version}`);
    checkBearer(request);
    const forced = sim.takeForced("transport");
    if (!forced) return;
    if (forced.kind === "slow") await sleep(forced.delayMs);
    if (forced.kind === "http") {
      const body = sim.error(forced.status === 503 ? 2 : 1).body;
      return reply.status(forced.status).send(body);
    }
    if (forced.kind === "timeout") {
      // Accepted: the request goes through (sent, webhooks follow) and only its answer is withheld.
      if (forced.accepted) return void acceptedButUnanswered.add(request.raw);
      await holdWithoutAnswer(request);
      reply.hijack(); // ends the lifecycle here: the request is neither handled nor answered
      reply.raw.destroy();
      return reply;
    }
  };

  /** Requests whose answer a forced accepted timeout withholds once they are handled. */
  const acceptedButUnanswered = new WeakSet<object>();

  /** Holds a request without answering until the client gives up (or a minute passes, or the app closes). */
  const holdWithoutAnswer = (request: FastifyRequest) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        hangingRequests.delete(done);
        resolve();
      };
      const timer = setTimeout(done, 60_000);
      hangingRequests.add(done);
      // Only the client going away ends the hold. (A request's own "close" fires once its body has
      // been read, which could come after this point and would cut the hold short.)
      request.raw.socket.once("close", done);
    });

  const requirePhoneNumber = (id: string) => {
    if (id !== options.phoneNumberId) {
      throw sim.error(
        100,
        `Unsupported request - method type: post. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
      );
    }
  };

  type GraphParams = { Params: { version: string; id: string } };

  await app.register(businessProfileRoutes, { sim, options, guard: graphGuard });

  app.post<GraphParams>("/:version/:id/messages", { preHandler: graphGuard }, async (request, reply) => {
    requirePhoneNumber(request.params.id);
    const body = request.body as Record<string, unknown> | undefined;
    if (!body || typeof body !== "object") throw sim.error(100, "Request body must be JSON.");
    if (body.status === "read") {
      const read = MarkReadRequestSchema.parse(body);
      sim.markRead(read.message_id);
      return { success: true };
    }
    if (body.messaging_product !== "whatsapp") throw sim.error(100, "messaging_product must be whatsapp");
    if (!body.to) throw sim.error(131008, "Parameter 'to' is required.");
    if (!body.type) throw sim.error(131008, "Parameter 'type' is required.");
    const types = [
      "text",
      "template",
      "image",
      "audio",
      "video",
      "document",
      "sticker",
      "interactive",
      "reaction",
      "location",
      "contacts",
    ];
    if (typeof body.type !== "string" || !types.includes(body.type))
      throw sim.error(131051, `Unsupported message type: ${JSON.stringify(body.type)}`);
    if (body[body.type] === undefined) throw sim.error(131008, `Parameter '${body.type}' is required.`);
    const parsed = SendMessageRequestSchema.safeParse(body);
    if (!parsed.success) {
      throw sim.error(
        131009,
        `Parameter value is not valid: ${parsed.error.issues.map((i) => i.path.join(".")).join(", ")}`,
      );
    }
    const accepted = sim.acceptSend(parsed.data, arrivals.get(request.raw));
    if (acceptedButUnanswered.has(request.raw)) {
      await holdWithoutAnswer(request);
      reply.hijack(); // ends the lifecycle here: the request is neither handled nor answered
      reply.raw.destroy();
      return reply;
    }
    return accepted;
  });

  app.post<GraphParams>("/:version/:id/media", { preHandler: graphGuard }, async (request) => {
    requirePhoneNumber(request.params.id);
    if (!Buffer.isBuffer(request.body)) throw sim.error(131008, "multipart/form-data with a file is required.");
    const form = await new Response(new Uint8Array(request.body), {
      headers: { "content-type": String(request.headers["content-type"]) },
    }).formData();
    if (form.get("messaging_product") !== "whatsapp") throw sim.error(131008, "messaging_product is required.");
    const file = form.get("file");
    if (!file || typeof file === "string") throw sim.error(131008, "file is required.");
    const declared = form.get("type");
    const mimeType = ((typeof declared === "string" && declared) || file.type).split(";")[0]!.trim();
    const limitMb = MEDIA_LIMITS[mimeType];
    if (limitMb === undefined) throw sim.error(131053, `Unsupported file type ${mimeType}.`);
    if (file.size > limitMb * 1024 * 1024) throw sim.error(131053, `File is larger than ${limitMb} MB.`);
    return { id: sim.storeMedia(Buffer.from(await file.arrayBuffer()), mimeType) };
  });

  app.get<GraphParams>("/:version/:id", { preHandler: graphGuard }, async (request) => {
    const { id } = request.params;
    const media = sim.media.get(id);
    if (media) {
      return {
        messaging_product: "whatsapp",
        url: sim.mediaUrl(id, baseUrl(request)),
        mime_type: media.mimeType,
        sha256: media.sha256,
        file_size: media.bytes.length,
        id,
      };
    }
    if (id === options.phoneNumberId) {
      return {
        id,
        display_phone_number: options.displayNumber,
        verified_name: "Inbox Simulator",
        quality_rating: "GREEN",
        throughput: { level: sim.throughputPerSec > 80 ? "HIGH" : "STANDARD" },
      };
    }
    throw sim.error(100, `Object with ID '${id}' does not exist.`);
  });

  app.delete<GraphParams>("/:version/:id", { preHandler: graphGuard }, async (request) => {
    if (!sim.media.delete(request.params.id)) throw sim.error(100, "Media not found.");
    return { success: true };
  });

  app.get<GraphParams>("/:version/:id/settings", { preHandler: graphGuard }, async (request) => {
    requirePhoneNumber(request.params.id);
    return { storage_configuration: sim.storage };
  });

  app.post<GraphParams>("/:version/:id/settings", { preHandler: graphGuard }, async (request) => {
    requirePhoneNumber(request.params.id);
    const body = UpdateSettingsRequestSchema.parse(request.body);
    if (body.storage_configuration) sim.updateStorage(body.storage_configuration);
    return { success: true };
  });

  app.post<GraphParams>("/:version/:id/register", { preHandler: graphGuard }, async (request) => {
    requirePhoneNumber(request.params.id);
    const raw = (request.body ?? {}) as Record<string, unknown>;
    if (!raw.pin) throw sim.error(131008, "Parameter 'pin' is required.");
    const body = RegisterRequestSchema.safeParse(raw);
    sim.register(
      body.success ? body.data.pin : JSON.stringify(raw.pin),
      body.success ? body.data.data_localization_region : undefined,
    );
    return { success: true };
  });

  app.post<GraphParams>("/:version/:id/deregister", { preHandler: graphGuard }, async (request) => {
    requirePhoneNumber(request.params.id);
    sim.deregister();
    return { success: true };
  });

  app.get<GraphParams & { Querystring: { limit?: string; after?: string; status?: string } }>(
    "/:version/:id/message_templates",
    { preHandler: graphGuard },
    async (request): Promise<MessageTemplatesResponse> => {
      if (request.params.id !== options.wabaId)
        throw sim.error(100, `Object with ID '${request.params.id}' does not exist.`);
      const limit = Math.min(Number(request.query.limit ?? 25) || 25, 1000);
      const start = Number(request.query.after ?? 0) || 0;
      const all = sim.templates.filter((t) => !request.query.status || t.status === request.query.status.toUpperCase());
      const data = all.slice(start, start + limit);
      const next = start + limit < all.length ? String(start + limit) : undefined;
      const url = new URL(`${baseUrl(request)}${request.url}`);
      if (next) url.searchParams.set("after", next);
      return {
        data,
        paging: {
          cursors: { before: String(start), ...(next ? { after: next } : {}) },
          ...(next ? { next: url.toString() } : {}),
        },
      };
    },
  );

  /** Media bytes behind a short-lived URL; bearer token required, like Meta's lookaside URLs. */
  app.get<{ Params: { token: string } }>("/_media/:token", async (request, reply) => {
    checkBearer(request);
    const grant = sim.mediaUrlTokens.get(request.params.token);
    const media = grant && grant.expiresAt > sim.now() ? sim.media.get(grant.mediaId) : undefined;
    if (!media) return reply.status(404).send({ error: "expired or unknown media url" });
    return reply.type(media.mimeType).send(media.bytes);
  });
}
