/** Customers write: Meta's `messages`, `user_preferences` and value-level error webhooks, signed and delivered. */
import type { InboundMessage } from "@inbox/whatsapp";
import { InboundMessageSchema } from "@inbox/whatsapp";
import {
  contactOf,
  envelope,
  normalizePhone,
  pushChat,
  randomDigits,
  SIM_USER_ID_PREFIX,
  unixSeconds,
} from "./customers";
import { webhookError } from "./errors";
import type { Customer, SimulatorState } from "./types";

/**
 * A customer sends a message: builds Meta's `messages` webhook (validated against the shared schema),
 * records it, opens/refreshes the 24 h window and delivers it signed.
 */
export async function receiveFromCustomer(
  sim: SimulatorState,
  customer: Customer,
  content: Record<string, unknown> & { type: string },
  options: {
    timestampMs?: number;
    wait?: boolean;
    maxAttempts?: number;
    withContacts?: boolean;
    /** Meta's user_changed_user_id names the customer only inside `system` (no `from`). */
    withoutSender?: boolean;
  } = {},
): Promise<{ wamid: string; message: InboundMessage; delivered: boolean | undefined }> {
  const at = options.timestampMs ?? sim.now();
  const wamid = sim.newWamid();
  const message = InboundMessageSchema.parse({
    ...(options.withoutSender ? {} : { from: customer.waId }),
    ...(customer.waId === "" && customer.userId && !options.withoutSender ? { from_user_id: customer.userId } : {}),
    id: wamid,
    timestamp: unixSeconds(at),
    ...content,
  });
  customer.lastInboundAt = Math.max(customer.lastInboundAt ?? 0, at);
  pushChat(sim, customer.id, {
    direction: "inbound",
    wamid,
    type: content.type,
    text: summarize(content),
    status: "sent",
    at,
  });
  // Meta's system-message webhooks carry no contacts[].
  const withContacts = options.withContacts ?? content.type !== "system";
  const payload = envelope(sim, {
    ...(withContacts ? { contacts: [contactOf(customer)] } : {}),
    messages: [message],
  });
  if (options.wait === false) {
    sim.sender.deliver(payload);
    return { wamid, message, delivered: undefined };
  }
  const record = options.maxAttempts
    ? await sim.sender.send(payload, { maxAttempts: options.maxAttempts })
    : await sim.sender.sendThenRetry(payload);
  const entry = sim.chats.get(customer.id)?.find((e) => e.wamid === wamid);
  if (entry && record.delivered && entry.status === "sent") entry.status = "delivered";
  return { wamid, message, delivered: record.delivered };
}

/** Marketing opt-out (or resume) made inside WhatsApp → `user_preferences` webhook; later marketing fails with 131050. */
export async function setMarketingPreference(
  sim: SimulatorState,
  customer: Customer,
  value: "stop" | "resume",
): Promise<boolean> {
  customer.isMarketingOptedOut = value === "stop";
  const payload = envelope(
    sim,
    {
      contacts: [contactOf(customer)],
      user_preferences: [
        {
          ...(customer.waId ? { wa_id: customer.waId } : {}),
          ...(customer.userId ? { user_id: customer.userId } : {}),
          detail:
            value === "stop"
              ? "User requested to stop marketing messages"
              : "User requested to resume marketing messages",
          category: "marketing_messages",
          value,
          timestamp: Math.floor(sim.now() / 1000),
        },
      ],
    },
    "user_preferences",
  );
  return (await sim.sender.sendThenRetry(payload)).delivered;
}

/** System messages: a changed phone number or business-scoped user id. */
export async function changeIdentity(
  sim: SimulatorState,
  customer: Customer,
  change: { newPhone?: string; newUserId?: string },
): Promise<{ wamid: string }> {
  if (change.newPhone) {
    const newWaId = normalizePhone(change.newPhone);
    const result = await receiveFromCustomer(sim, customer, {
      type: "system",
      system: {
        body: `User ${customer.name} changed from ${customer.waId} to ${newWaId}`,
        wa_id: newWaId,
        type: "user_changed_number",
      },
    });
    customer.waId = newWaId;
    return result;
  }
  const previous = customer.userId;
  const next = change.newUserId ?? `${SIM_USER_ID_PREFIX}${randomDigits(19)}`;
  // Meta's shape since Aug 2026: no `from`, no contacts[]; the customer is named by system.previous_user_id.
  const result = await receiveFromCustomer(
    sim,
    customer,
    {
      type: "system",
      system: {
        body: `User ${customer.name} changed their business-scoped user ID`,
        type: "user_changed_user_id",
        user_id: next,
        ...(previous ? { previous_user_id: previous } : {}),
      },
    },
    { withoutSender: !!previous },
  );
  customer.userId = next;
  return result;
}

export async function emitValueError(sim: SimulatorState, code: number): Promise<boolean> {
  return (await sim.sender.sendThenRetry(envelope(sim, { errors: [webhookError(code)] }))).delivered;
}

/**
 * A `messages` (or other field's) value sent as given, signed but not checked against the documented shapes:
 * unknown message types, elements without their body, value-level errors next to messages, new fields — what
 * the product must keep rather than refuse.
 */
export async function emitRawValue(
  sim: SimulatorState,
  value: Record<string, unknown>,
  field = "messages",
): Promise<boolean> {
  return (await sim.sender.sendThenRetry(envelope(sim, value, field), { unchecked: true })).delivered;
}

function str(value: unknown): string {
  return typeof value === "string" || typeof value === "number" ? String(value) : "";
}

function summarize(content: Record<string, unknown>): string {
  const c = content as Record<string, Record<string, unknown> | undefined> & { type: string };
  switch (c.type) {
    case "text":
      return str(c.text?.body);
    case "interactive": {
      const reply = (c.interactive?.button_reply ?? c.interactive?.list_reply) as { title?: string } | undefined;
      return `↩ ${reply?.title ?? ""}`;
    }
    case "button":
      return `↩ ${str(c.button?.text)}`;
    case "reaction":
      return `${str(c.reaction?.emoji)} (Reaktion)`;
    case "location":
      return `📍 ${str(c.location?.name) || `${str(c.location?.latitude)}, ${str(c.location?.longitude)}`}`;
    case "system":
      return `⚙ ${str(c.system?.body)}`;
    default:
      return `[${c.type}]`;
  }
}
