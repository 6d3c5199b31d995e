import type { FastifyReply } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { matchesVerifyToken, parseWebhookDelivery, SIGNATURE_HEADER, verifySignature } from "@inbox/whatsapp";
import type { ApiDeps } from "../types";

const HandshakeQuerySchema = z.object({
  "hub.mode": z.string().optional(),
  "hub.verify_token": z.string().optional(),
  "hub.challenge": z.string().optional(),
});

/**
 * The acknowledgement, serialised once: every delivery gets the same bytes, and a response schema would run zod and
 * JSON.stringify for each of them (the route is hidden from the API docs, so the schema documented nothing).
 */
const ACK_JSON = JSON.stringify({ status: "ok" });
const ErrorSchema = z.object({ code: z.string(), message: z.string() });

/**
 * Meta's webhook endpoint. The JSON body is kept as the raw Buffer (content-type parser scoped to this plugin)
 * because the signature is an HMAC of the exact bytes. Order: signature (401, nothing stored) → JSON and
 * object check (400, the only refusals) → stored element by element, whatever the elements look like (200 after
 * the commit; what cannot be tied to a conversation is quarantined) → poke the outbox relay → live events.
 */
export function webhookRoutes(deps: ApiDeps): FastifyPluginAsyncZod {
  return async (app) => {
    const keepRaw = (_req: unknown, body: Buffer, done: (err: Error | null, body?: Buffer) => void) => done(null, body);
    app.removeAllContentTypeParsers();
    app.addContentTypeParser("application/json", { parseAs: "buffer" }, keepRaw);
    app.addContentTypeParser("*", { parseAs: "buffer" }, keepRaw);

    app.get(
      "/webhooks/whatsapp",
      { schema: { hide: true, querystring: HandshakeQuerySchema } },
      async (request, reply) => {
        const q = request.query;
        const token = deps.env.WHATSAPP_VERIFY_TOKEN;
        if (
          q["hub.mode"] === "subscribe" &&
          matchesVerifyToken(q["hub.verify_token"], token) &&
          q["hub.challenge"] !== undefined
        ) {
          return reply.status(200).type("text/plain; charset=utf-8").send(q["hub.challenge"]);
        }
        request.log.warn("webhook verification refused");
        return reply.status(403).type("text/plain; charset=utf-8").send("Forbidden");
      },
    );

    app.post(
      "/webhooks/whatsapp",
      { schema: { hide: true, response: { 400: ErrorSchema, 401: ErrorSchema } } },
      async (request, reply) => {
        const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        const secret = deps.env.WHATSAPP_APP_SECRET;
        if (!secret || !verifySignature(raw, request.headers[SIGNATURE_HEADER], secret)) {
          request.log.warn({ bytes: raw.length }, "webhook signature missing or wrong; rejected");
          return reply
            .status(401)
            .send({ code: "unauthenticated", message: "Missing or invalid X-Hub-Signature-256." });
        }
        const parsed = parseWebhookDelivery(raw);
        if (!parsed.ok) {
          request.log.warn({ reason: parsed.reason }, "webhook rejected");
          const message =
            parsed.reason === "invalid_json"
              ? "The body is not JSON."
              : 'Not a WhatsApp Business Account webhook (object must be "whatsapp_business_account").';
          return reply.status(400).send({ code: "bad_request", message });
        }
        // Stored in a group-committed transaction ("continue on WhatsApp" references linked after its commit).
        const result = await deps.deliveries.submit(parsed.delivery);
        if (result.outboxWritten) deps.onOutboxWritten();
        request.log.debug({ counts: result.counts }, "webhook stored");
        // Live updates after the commit, batched and off the request path: Redis never delays Meta's ack.
        deps.live.add(result);
        // Already JSON: a string with a JSON content type is sent as it is (no response serializer runs).
        return (reply as FastifyReply).status(200).type("application/json; charset=utf-8").send(ACK_JSON);
      },
    );
  };
}
