/** The customer API (`/_customer/*`): customers write, opt out of marketing, change identity, read. */
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { CloudApiSimulator, Customer } from "./simulator";

// A 1×1 PNG customers "send" as their photo.
const SAMPLE_PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
  "base64",
);

export async function customerRoutes(app: FastifyInstance, { sim }: { sim: CloudApiSimulator }): Promise<void> {
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
}
