/**
 * `buildSimulator(opts)`: the Fastify app (no listen) — Graph routes under any `/vNN.N/` prefix, the control
 * API (`/_control/*`), the customer API (`/_customer/*`) and the customer phone page (`/phone`).
 */
import Fastify, { LogController, type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import { z } from "zod";
import {
  MarkReadRequestSchema,
  RegisterRequestSchema,
  SendMessageRequestSchema,
  UpdateSettingsRequestSchema,
  type MessageTemplatesResponse,
} from "@inbox/whatsapp";
import { CloudApiSimulator, GraphError, type Customer, type SimulatorOptions } from "./simulator";
import { runLoad, LoadOptionsSchema } from "./load";
import { PHONE_PAGE_HTML } from "./phone-page";
import { sleep } from "./webhook-sender";
import { registerBusinessProfileRoutes } from "./business-profile-routes";

export interface BuiltSimulator {
  app: FastifyInstance;
  sim: CloudApiSimulator;
}

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
// A 1×1 PNG customers "send" as their photo.
const SAMPLE_PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
  "base64",
);

export function buildSimulator(options: SimulatorOptions): BuiltSimulator {
  const sim = new CloudApiSimulator(options);
  const app = Fastify({
    loggerInstance: options.log,
    bodyLimit: 4 * 1024 * 1024,
    // Request lines would carry customer phone numbers (customer API query strings): keep them out of logs.
    logController: new LogController({ disableRequestLogging: true }),
    // A forced timeout holds its request open; closing the simulator must not wait for it.
    forceCloseConnections: true,
  }) as unknown as FastifyInstance;
  const hangingRequests = new Set<() => void>();
  app.addHook("onClose", async () => {
    for (const release of [...hangingRequests]) release();
  });

  app.addContentTypeParser(
    "multipart/form-data",
    { parseAs: "buffer", bodyLimit: 110 * 1024 * 1024 },
    (_req, body, done) => {
      done(null, body);
    },
  );

  app.setErrorHandler((error: unknown, request, reply) => {
    if (error instanceof GraphError) return reply.status(error.httpStatus).send(error.body);
    if (error instanceof z.ZodError) {
      const isMissing = error.issues.some((i) => i.code === "invalid_type" && i.message.includes("undefined"));
      const where = error.issues.map((i) => i.path.join(".") || "body").join(", ");
      const graphError = sim.error(isMissing ? 131008 : 100, `Invalid parameter: ${where}`);
      return reply.status(graphError.httpStatus).send(graphError.body);
    }
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    if (status < 500) {
      const graphError = sim.error(100, (error as Error).message);
      return reply.status(400).send(graphError.body);
    }
    request.log.error({ err: error }, "simulator error");
    return reply.status(500).send(sim.error(1).body);
  });

  // Throughput accounting counts arrivals: stamp each request before its body is read and parsed.
  const arrivals = new WeakMap<object, number>();
  app.addHook("onRequest", (request, _reply, done) => {
    arrivals.set(request.raw, options.now?.() ?? Date.now());
    done();
  });

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
      await new Promise<void>((resolve) => {
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
      reply.raw.destroy();
      return reply;
    }
  };

  const requirePhoneNumber = (id: string) => {
    if (id !== options.phoneNumberId) {
      throw sim.error(
        100,
        `Unsupported request - method type: post. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
      );
    }
  };

  type GraphParams = { Params: { version: string; id: string } };

  // ---- Graph API ---------------------------------------------------------------------------------------

  registerBusinessProfileRoutes(app, sim, graphGuard, requirePhoneNumber);

  app.post<GraphParams>("/:version/:id/messages", { preHandler: graphGuard }, async (request) => {
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
    return sim.acceptSend(parsed.data, arrivals.get(request.raw));
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

  // ---- control API -------------------------------------------------------------------------------------

  const ForceSchema = z.union([
    z.object({
      code: z.number().int(),
      mode: z.enum(["sync", "async"]).default("sync"),
      count: z.number().int().min(1).default(1),
    }),
    z.object({ http: z.number().int().min(500).max(599), count: z.number().int().min(1).default(1) }),
    z.object({ timeout: z.literal(true), count: z.number().int().min(1).default(1) }),
    z.object({ slowMs: z.number().int().min(1).max(120_000), count: z.number().int().min(1).default(1) }),
  ]);

  app.post("/_control/force", async (request) => {
    const f = ForceSchema.parse(request.body);
    if ("code" in f) sim.force({ kind: "error", code: f.code, mode: f.mode, remaining: f.count });
    else if ("http" in f) sim.force({ kind: "http", status: f.http, remaining: f.count });
    else if ("timeout" in f) sim.force({ kind: "timeout", remaining: f.count });
    else sim.force({ kind: "slow", delayMs: f.slowMs, remaining: f.count });
    return { ok: true, pending: sim.forced.length };
  });

  app.post("/_control/reset", async () => {
    sim.reset();
    return { ok: true };
  });

  app.post("/_control/clock", async (request) => {
    const { advanceMs } = z.object({ advanceMs: z.number().int() }).parse(request.body);
    sim.advanceClock(advanceMs);
    return { now: sim.now() };
  });

  app.post("/_control/config", async (request) => {
    const body = z
      .object({
        throughputPerSec: z.number().int().min(1).optional(),
        duplicateRate: z.number().min(0).max(1).optional(),
        reorderRate: z.number().min(0).max(1).optional(),
        webhookUrl: z.url().optional(),
        isRegistered: z.boolean().optional(),
      })
      .parse(request.body);
    if (body.throughputPerSec) sim.throughputPerSec = body.throughputPerSec;
    if (body.duplicateRate !== undefined) sim.webhookBehaviour.duplicateRate = body.duplicateRate;
    if (body.reorderRate !== undefined) sim.webhookBehaviour.reorderRate = body.reorderRate;
    if (body.webhookUrl) sim.sender.setUrl(body.webhookUrl);
    if (body.isRegistered !== undefined) sim.isRegistered = body.isRegistered;
    return { ok: true };
  });

  app.get("/_control/state", async () => ({
    phoneNumberId: options.phoneNumberId,
    wabaId: options.wabaId,
    isRegistered: sim.isRegistered,
    storage: sim.storage,
    throughputPerSec: sim.throughputPerSec,
    customers: sim.customers.size,
    outbound: [...sim.outbound.entries()].map(([wamid, o]) => ({ wamid, customerId: o.customerId, status: o.status })),
    webhooks: sim.sender.stats,
    forced: sim.forced,
  }));

  /** A value-level error (system, app or account problem) surfaced without a message, e.g. 131000 or 130429. */
  app.post("/_control/value-error", async (request) => {
    const { code } = z.object({ code: z.number().int() }).parse(request.body);
    return { delivered: await sim.emitValueError(code) };
  });

  app.post("/_control/load", async (request) => runLoad(sim, LoadOptionsSchema.parse(request.body)));

  // ---- customer API ------------------------------------------------------------------------------------

  const CustomerRefSchema = z.object({
    customer: z.string().optional(),
    phone: z.string().optional(),
    name: z.string().max(100).optional(),
    username: z.string().max(60).optional(),
    isBsuidOnly: z.boolean().optional(),
  });

  const resolveCustomer = (ref: z.infer<typeof CustomerRefSchema>): Customer => {
    const found = sim.findCustomer(ref.customer ?? ref.phone ?? "");
    if (found) return found;
    if (!ref.phone && !ref.username && !ref.isBsuidOnly)
      throw sim.error(131008, "customer, phone or username is required");
    return sim.addCustomer(ref);
  };

  const publicCustomer = (c: Customer) => ({
    id: c.id,
    waId: c.waId,
    userId: c.userId ?? null,
    name: c.name,
    username: c.username ?? null,
    isMarketingOptedOut: c.isMarketingOptedOut,
  });

  app.get("/_customer/customers", async () => ({ items: [...sim.customers.values()].map(publicCustomer) }));

  app.post("/_customer/customers", async (request) =>
    publicCustomer(resolveCustomer(CustomerRefSchema.parse(request.body))),
  );

  const CustomerMessageSchema = CustomerRefSchema.extend({
    type: z.enum([
      "text",
      "image",
      "document",
      "audio",
      "video",
      "sticker",
      "location",
      "button_reply",
      "list_reply",
      "button",
      "reaction",
      "contacts",
      "unsupported",
    ]),
    text: z.string().max(4096).optional(),
    caption: z.string().optional(),
    latitude: z.number().optional(),
    longitude: z.number().optional(),
    locationName: z.string().optional(),
    replyId: z.string().optional(),
    replyTitle: z.string().optional(),
    contextId: z.string().optional(),
    messageId: z.string().optional(),
    emoji: z.string().optional(),
    /** unix seconds; lets tests simulate late deliveries */
    timestamp: z.number().int().optional(),
  });

  app.post("/_customer/messages", async (request) => {
    const input = CustomerMessageSchema.parse(request.body);
    const customer = resolveCustomer(input);
    const context = input.contextId
      ? { context: { from: sim.options.displayNumber.replace(/\D/g, ""), id: input.contextId } }
      : {};
    let content: Record<string, unknown> & { type: string };
    switch (input.type) {
      case "text":
        content = { type: "text", text: { body: input.text ?? "" } };
        break;
      case "location":
        content = {
          type: "location",
          location: {
            latitude: input.latitude ?? 52.52,
            longitude: input.longitude ?? 13.405,
            ...(input.locationName ? { name: input.locationName } : {}),
          },
        };
        break;
      case "button_reply":
      case "list_reply":
        content = {
          type: "interactive",
          interactive: {
            type: input.type,
            [input.type]: {
              id: input.replyId ?? input.replyTitle ?? "",
              title: input.replyTitle ?? input.replyId ?? "",
            },
          },
        };
        break;
      case "button":
        content = {
          type: "button",
          button: { payload: input.replyId ?? input.text ?? "", text: input.text ?? input.replyTitle ?? "" },
        };
        break;
      case "reaction":
        content = {
          type: "reaction",
          reaction: {
            message_id: input.messageId ?? input.contextId ?? "",
            ...(input.emoji ? { emoji: input.emoji } : {}),
          },
        };
        break;
      case "unsupported":
        content = {
          type: "unsupported",
          unsupported: { type: input.text ?? "poll" },
          errors: [
            {
              code: 131051,
              title: "Message type unknown",
              message: "Message type unknown",
              error_data: { details: "Message type is currently not supported." },
            },
          ],
        };
        break;
      case "contacts":
        content = {
          type: "contacts",
          contacts: [
            {
              name: { formatted_name: input.text ?? "Erika Mustermann" },
              phones: [{ phone: "+49 30 1234567", type: "CELL" }],
            },
          ],
        };
        break;
      default: {
        const mime = {
          image: "image/png",
          sticker: "image/webp",
          document: "application/pdf",
          audio: "audio/ogg",
          video: "video/mp4",
        }[input.type];
        const id = sim.storeMedia(SAMPLE_PNG, mime);
        const media = sim.media.get(id)!;
        content = {
          type: input.type,
          [input.type]: {
            id,
            mime_type: mime,
            sha256: media.sha256,
            ...(input.caption ? { caption: input.caption } : {}),
            ...(input.type === "document" ? { filename: "dokument.pdf" } : {}),
            ...(input.type === "audio" ? { voice: true } : {}),
          },
        };
      }
    }
    if (input.type !== "reaction") Object.assign(content, context);
    const result = await sim.receiveFromCustomer(
      customer,
      content,
      input.timestamp ? { timestampMs: input.timestamp * 1000 } : {},
    );
    return { customer: publicCustomer(customer), wamid: result.wamid, delivered: result.delivered };
  });

  app.post("/_customer/preferences", async (request) => {
    const input = CustomerRefSchema.extend({ value: z.enum(["stop", "resume"]) }).parse(request.body);
    const customer = resolveCustomer(input);
    return { customer: publicCustomer(customer), delivered: await sim.setMarketingPreference(customer, input.value) };
  });

  app.post("/_customer/system", async (request) => {
    const input = CustomerRefSchema.extend({ newPhone: z.string().optional(), newUserId: z.string().optional() }).parse(
      request.body,
    );
    const customer = resolveCustomer(input);
    const result = await sim.changeIdentity(customer, { newPhone: input.newPhone, newUserId: input.newUserId });
    return { customer: publicCustomer(customer), wamid: result.wamid };
  });

  app.get<{ Querystring: { customer?: string } }>("/_customer/conversation", async (request) => {
    const customer = sim.findCustomer(request.query.customer ?? "");
    if (!customer) return { customer: null, messages: [] };
    return { customer: publicCustomer(customer), messages: sim.chats.get(customer.id) ?? [] };
  });

  app.post("/_customer/read", async (request) => {
    const customer = resolveCustomer(CustomerRefSchema.parse(request.body));
    sim.readAll(customer);
    return { ok: true };
  });

  app.get("/phone", async (_request, reply) => reply.type("text/html; charset=utf-8").send(PHONE_PAGE_HTML));
  app.get("/healthz", async () => ({ ok: true }));

  return { app, sim };
}
