/** The simulator's customers (WhatsApp users) and their chats, and the envelope of every webhook. */
import type { WebhookContact, WebhookPayload } from "@inbox/whatsapp";
import type { ChatEntry, Customer, ResolvedSimulatorOptions, SimulatorState } from "./types";

export const SIM_USER_ID_PREFIX = "DE.";

export function addCustomer(
  sim: SimulatorState,
  input: {
    phone?: string;
    name?: string;
    username?: string;
    userId?: string;
    isBsuidOnly?: boolean;
  },
): Customer {
  const waId = input.phone ? normalizePhone(input.phone) : "";
  const existing =
    findCustomer(sim, waId || input.userId || "") ??
    (input.username ? [...sim.customers.values()].find((c) => c.username === input.username) : undefined);
  if (existing) return existing;
  const userId =
    input.userId ??
    (input.username || input.isBsuidOnly || !waId ? `${SIM_USER_ID_PREFIX}${randomDigits(19)}` : undefined);
  const customer: Customer = {
    id: userId && !waId ? userId : waId,
    waId: input.isBsuidOnly ? "" : waId,
    userId,
    name: input.name ?? (waId ? `Kunde ${waId.slice(-4)}` : (input.username ?? "Kunde")),
    username: input.username ?? (input.isBsuidOnly ? `user${randomDigits(4)}` : undefined),
    lastInboundAt: undefined,
    isMarketingOptedOut: false,
    marketingSent: [],
    pairTokens: 45,
    pairUpdatedAt: sim.now(),
  };
  if (!customer.id) customer.id = userId ?? waId;
  sim.customers.set(customer.id, customer);
  return customer;
}

/** By customer id, phone (with or without +) or BSUID. */
export function findCustomer(sim: SimulatorState, ref: string): Customer | undefined {
  if (!ref) return undefined;
  const direct = sim.customers.get(ref);
  if (direct) return direct;
  const digits = normalizePhone(ref);
  for (const c of sim.customers.values()) {
    if ((digits && c.waId === digits) || c.userId === ref || (digits && c.id === digits)) return c;
  }
  return undefined;
}

export function contactOf(customer: Customer, withProfile = true): WebhookContact {
  return {
    ...(withProfile
      ? {
          profile: {
            name: customer.name,
            ...(customer.username ? { username: customer.username, country_code: "DE" } : {}),
          },
        }
      : {}),
    wa_id: customer.waId,
    ...(customer.userId ? { user_id: customer.userId } : {}),
  };
}

export function envelope(sim: SimulatorState, value: Record<string, unknown>, field = "messages"): WebhookPayload {
  return {
    object: "whatsapp_business_account",
    entry: [
      {
        id: sim.options.wabaId,
        changes: [
          {
            field,
            value: {
              messaging_product: "whatsapp",
              metadata: {
                display_phone_number: normalizePhone(sim.options.displayNumber),
                phone_number_id: sim.options.phoneNumberId,
              },
              ...value,
            },
          },
        ],
      },
    ],
  };
}

/** Unix seconds as Meta writes them in webhooks. */
export function unixSeconds(ms: number): string {
  return String(Math.floor(ms / 1000));
}

export function graphVersionMajor(options: ResolvedSimulatorOptions): number {
  return Number(/v(\d+)/.exec(options.graphVersion)?.[1] ?? 25);
}

export function pushChat(sim: SimulatorState, customerId: string, entry: ChatEntry): void {
  const list = sim.chats.get(customerId) ?? [];
  list.push(entry);
  if (list.length > 500) list.shift();
  sim.chats.set(customerId, list);
}

export function normalizePhone(phone: string): string {
  return phone.replace(/[^\d]/g, "");
}

export function randomDigits(n: number): string {
  let out = String(1 + Math.floor(Math.random() * 9));
  while (out.length < n) out += String(Math.floor(Math.random() * 10));
  return out;
}
