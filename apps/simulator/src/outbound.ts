/**
 * The business sends: acceptance of a send (Meta's synchronous checks, throughput, templates), the asynchronous
 * failures, status webhooks with pricing, and reads.
 */
import { createHash } from "node:crypto";
import {
  StatusSchema,
  type MessageTemplate,
  type SendMessageRequest,
  type SendMessageResponse,
  type Status,
} from "@inbox/whatsapp";
import {
  addCustomer,
  contactOf,
  envelope,
  findCustomer,
  graphVersionMajor,
  normalizePhone,
  pushChat,
  unixSeconds,
} from "./customers";
import { webhookError } from "./errors";
import { countPlaceholders } from "./templates";
import type { ChatEntry, Customer, ForcedFailure, SimulatorState } from "./types";

/** Throws GraphError for synchronous failures; otherwise answers like Meta and schedules status webhooks. */
export function acceptSend(sim: SimulatorState, body: SendMessageRequest, receivedAt?: number): SendMessageResponse {
  const forced = sim.takeForced("error");
  if (forced?.kind === "error" && forced.mode === "sync") throw sim.error(forced.code);
  if (!sim.isRegistered) throw sim.error(133010);

  const to = body.to.trim();
  const isBsuid = !/^\+?[\d\s\-()]+$/.test(to);
  const digits = isBsuid ? "" : normalizePhone(to);
  if (!isBsuid && (digits.length < 6 || digits.length > 15)) throw sim.error(131009, "Invalid recipient phone number.");
  if (digits && digits === normalizePhone(sim.options.displayNumber)) throw sim.error(131021);

  let template: MessageTemplate | undefined;
  if (body.type === "template") template = checkTemplate(sim, body, isBsuid);
  if (body.type === "reaction" || body.context) {
    // Reactions and replies must point at a message id; unknown ids are accepted by Meta too.
  }
  for (const key of ["image", "audio", "video", "document", "sticker"] as const) {
    const media = (body as Record<string, unknown>)[key] as { id?: string } | undefined;
    if (body.type === key && media?.id && !sim.media.has(media.id)) throw sim.error(131009, "Invalid media id.");
  }

  // Throughput: at most `throughputPerSec` accepted messages per number in any sliding second, counted when the
  // request arrived (the Graph route stamps it before parsing), not when this process got round to handling it:
  // Meta's edge sees arrival times; a busy simulator must not turn an even stream into a burst.
  const now = sim.now();
  const arrivedAt = receivedAt === undefined ? now : receivedAt + sim.clockOffsetMs;
  if (!sim.sendWindow.admit(arrivedAt, sim.throughputPerSec)) throw sim.error(130429);

  const customer =
    findCustomer(sim, isBsuid ? to : digits) ??
    addCustomer(sim, isBsuid ? { userId: to, isBsuidOnly: true } : { phone: digits });
  const wamid = sim.newWamid();
  const category = template ? template.category.toLowerCase() : "service";

  const asyncCode = asyncFailure(sim, body, customer, template, forced);
  pushChat(sim, customer.id, {
    direction: "outbound",
    wamid,
    type: body.type,
    text: summarizeOutbound(body, template),
    status: "accepted",
    at: now,
    ...(buttonsOf(body, template) ? { buttons: buttonsOf(body, template) } : {}),
  });
  // Meta echoes biz_opaque_callback_data in every status webhook of the message.
  sim.outbound.set(wamid, {
    customerId: customer.id,
    status: "accepted",
    ...(body.biz_opaque_callback_data ? { callbackData: body.biz_opaque_callback_data } : {}),
  });
  scheduleStatuses(sim, wamid, customer, category, asyncCode, template);

  return {
    messaging_product: "whatsapp",
    contacts: [
      {
        input: body.to,
        wa_id: customer.waId,
        ...(customer.userId && !customer.waId ? { user_id: customer.userId } : {}),
      },
    ],
    messages: [{ id: wamid, ...(template ? { message_status: "accepted" } : {}) }],
  };
}

/** The business marks an inbound message (and earlier ones) as read: the phone shows blue ticks. */
export function markRead(sim: SimulatorState, messageId: string): void {
  for (const entries of sim.chats.values()) {
    const index = entries.findIndex((e) => e.wamid === messageId && e.direction === "inbound");
    if (index === -1) continue;
    for (const entry of entries.slice(0, index + 1)) if (entry.direction === "inbound") entry.status = "read";
    return;
  }
  throw sim.error(100, "Invalid message id.");
}

function checkTemplate(
  sim: SimulatorState,
  body: Extract<SendMessageRequest, { type: "template" }>,
  isBsuid: boolean,
): MessageTemplate {
  const { name, language, components = [] } = body.template;
  const template = sim.templates.find((t) => t.name === name && t.language === language.code);
  if (!template) throw sim.error(132001, `template name (${name}) does not exist in ${language.code}`);
  if (template.status === "PAUSED") throw sim.error(132015);
  if (template.status === "DISABLED") throw sim.error(132016);
  if (template.status !== "APPROVED") throw sim.error(132001, `template name (${name}) is not approved`);
  if (template.category === "AUTHENTICATION" && isBsuid) throw sim.error(131062);

  const bodyText = template.components.find((c) => c.type === "BODY")?.text ?? "";
  const header = template.components.find((c) => c.type === "HEADER");
  const sent = (type: string) => components.filter((c) => c.type.toLowerCase() === type);
  const paramsOf = (type: string) => sent(type)[0]?.parameters ?? [];
  checkTextParams(sim, "body", bodyText, paramsOf("body"));
  const bodyParams = paramsOf("body");
  if (bodyParams.some((p) => p.type !== "text" && p.type !== "currency" && p.type !== "date_time"))
    throw sim.error(132012, "body: parameters must be text, currency or date_time");
  bodyParams.forEach((p) => checkTypedParam(sim, p));

  const headerParams = paramsOf("header");
  const headerFormat = header?.format?.toUpperCase() ?? (header ? "TEXT" : undefined);
  if (headerFormat && ["IMAGE", "VIDEO", "DOCUMENT"].includes(headerFormat)) {
    const kind = headerFormat.toLowerCase();
    if (headerParams.length !== 1)
      throw sim.error(132000, `header: expected 1 ${kind} parameter, got ${headerParams.length}`);
    const param = headerParams[0]!;
    if (param.type !== kind) throw sim.error(132012, `header: expected ${kind}, got ${param.type}`);
    const media = (param as Record<string, unknown>)[kind] as { id?: string; link?: string } | undefined;
    if (!media || (!media.id && !media.link)) throw sim.error(131008, `header: ${kind} needs an id or a link`);
    if (media.id && !sim.media.has(media.id)) throw sim.error(131009, "header: invalid media id");
    if (media.link && !/^https:\/\//.test(media.link)) throw sim.error(131009, "header: the media link must be https");
  } else if (headerFormat === "LOCATION") {
    if (headerParams.length !== 1)
      throw sim.error(132000, `header: expected 1 location parameter, got ${headerParams.length}`);
    checkLocationParam(sim, headerParams[0]!);
  } else {
    checkTextParams(sim, "header", headerFormat === "TEXT" ? (header?.text ?? "") : "", headerParams);
  }

  const buttons = template.components.find((c) => c.type === "BUTTONS")?.buttons ?? [];
  const buttonComponents = sent("button");
  for (const c of buttonComponents) {
    const index = Number(c.index);
    const button = buttons[index];
    if (!Number.isInteger(index) || !button) throw sim.error(131009, `button: no button at index ${String(c.index)}`);
    const subType = c.sub_type?.toLowerCase();
    if (button.type === "URL" && subType !== "url") throw sim.error(132012, `button ${index}: sub_type must be url`);
    if (button.type === "QUICK_REPLY" && subType !== "quick_reply")
      throw sim.error(132012, `button ${index}: sub_type must be quick_reply`);
    const params = c.parameters ?? [];
    if (button.type === "QUICK_REPLY" && (params.length !== 1 || params[0]?.type !== "payload" || !params[0].payload))
      throw sim.error(132012, `button ${index}: a quick reply takes one payload parameter`);
  }
  buttons.forEach((button, index) => {
    if (button.type !== "URL" || countPlaceholders(button.url) === 0) return;
    const c = buttonComponents.find((b) => Number(b.index) === index);
    const params = c?.parameters ?? [];
    if (params.length !== 1)
      throw sim.error(132000, `button ${index}: number of params (${params.length}) does not match the expected (1)`);
    if (params[0]?.type !== "text" || !params[0].text)
      throw sim.error(132012, `button ${index}: expected a text parameter`);
  });

  if (hydrate(bodyText, bodyParams).length > 1024) throw sim.error(132005);
  return template;
}

type SentParameter = NonNullable<
  NonNullable<Extract<SendMessageRequest, { type: "template" }>["template"]["components"]>[number]["parameters"]
>[number];

/** Currency: a fallback text, an upper-case ISO 4217 code, a whole amount in thousandths; date_time: a fallback. */
function checkTypedParam(sim: SimulatorState, p: SentParameter): void {
  if (p.type === "currency") {
    const c = p.currency;
    if (!c?.fallback_value) throw sim.error(131008, "body: currency needs a fallback_value");
    if (!/^[A-Z]{3}$/.test(c.code)) throw sim.error(131009, `body: currency code ${c.code} is not ISO 4217`);
    if (!Number.isSafeInteger(c.amount_1000)) throw sim.error(131009, "body: amount_1000 must be an integer");
  } else if (p.type === "date_time" && !p.date_time?.fallback_value) {
    throw sim.error(131008, "body: date_time needs a fallback_value");
  }
}

/** A LOCATION header's pin: latitude within ±90, longitude within ±180 (numbers or numeric text), name, address. */
function checkLocationParam(sim: SimulatorState, p: SentParameter): void {
  if (p.type !== "location") throw sim.error(132012, `header: expected location, got ${p.type}`);
  const location = p.location;
  if (!location) throw sim.error(131008, "header: location is required");
  for (const [key, limit] of [
    ["latitude", 90],
    ["longitude", 180],
  ] as const) {
    const raw = location[key];
    if (raw === undefined || raw === "") throw sim.error(131008, `header: location.${key} is required`);
    const n = typeof raw === "number" ? raw : /^[+-]?\d+(\.\d+)?$/.test(raw.trim()) ? Number(raw) : NaN;
    if (!Number.isFinite(n) || Math.abs(n) > limit)
      throw sim.error(131009, `header: location.${key} must be a number between -${limit} and ${limit}`);
  }
  if (!location.name?.trim()) throw sim.error(131008, "header: location.name is required");
  if (!location.address?.trim()) throw sim.error(131008, "header: location.address is required");
}

/** Positional templates take plain text parameters in order; named ones take each name once (`parameter_name`). */
function checkTextParams(
  sim: SimulatorState,
  where: "body" | "header",
  text: string,
  params: NonNullable<
    Extract<SendMessageRequest, { type: "template" }>["template"]["components"]
  >[number]["parameters"] = [],
): void {
  const names = [...new Set([...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]!))];
  if (params.length !== names.length) {
    throw sim.error(
      132000,
      `${where}: number of localizable_params (${params.length}) does not match the expected number of params (${names.length})`,
    );
  }
  const isNamed = names.some((n) => !/^\d+$/.test(n));
  for (const p of params) {
    if (isNamed !== (p.parameter_name !== undefined))
      throw sim.error(
        132012,
        `${where}: parameter format does not match the template (${isNamed ? "named" : "positional"})`,
      );
    if (isNamed && !names.includes(p.parameter_name!))
      throw sim.error(132000, `${where}: unknown parameter name ${p.parameter_name}`);
    if (p.type === "text" && (p.text === undefined || p.text === ""))
      throw sim.error(131008, "Parameter text is missing.");
  }
  if (isNamed && new Set(params.map((p) => p.parameter_name)).size !== params.length)
    throw sim.error(132000, `${where}: a parameter name is given twice`);
}

/** The template text with its parameters filled in: by name, or by position. */
function hydrate(
  text: string,
  params: NonNullable<
    Extract<SendMessageRequest, { type: "template" }>["template"]["components"]
  >[number]["parameters"] = [],
): string {
  return params.reduce(
    (t, p, i) =>
      t.replace(
        new RegExp(`\\{\\{\\s*${p.parameter_name ?? String(i + 1)}\\s*\\}\\}`, "g"),
        // The customer's phone shows a currency's or date's fallback text.
        p.text ?? p.currency?.fallback_value ?? p.date_time?.fallback_value ?? "",
      ),
    text,
  );
}

/** Failures Meta reports asynchronously (accepted with a wamid, then a `failed` status webhook). */
function asyncFailure(
  sim: SimulatorState,
  body: SendMessageRequest,
  customer: Customer,
  template: MessageTemplate | undefined,
  forced: ForcedFailure | undefined,
): number | undefined {
  if (forced?.kind === "error" && forced.mode === "async") return forced.code;
  if (customer.waId.startsWith("999")) return 131026;
  const now = sim.now();
  if (body.type !== "template" && customer.lastInboundAt !== undefined && now - customer.lastInboundAt > 24 * 3600_000)
    return 131047;
  if (template?.category === "MARKETING") {
    if (customer.isMarketingOptedOut) return 131050;
    customer.marketingSent = customer.marketingSent.filter((t) => now - t < 24 * 3600_000);
    if (customer.marketingSent.length >= sim.options.marketingPerUserPerDay) return 131049;
    customer.marketingSent.push(now);
  }
  // Pair rate: 1 message per 6 s to one user, bursts of up to 45 borrowed from later quota.
  customer.pairTokens = Math.min(45, customer.pairTokens + (now - customer.pairUpdatedAt) / 6000);
  customer.pairUpdatedAt = now;
  if (customer.pairTokens < 1) return 131056;
  customer.pairTokens -= 1;
  return undefined;
}

function scheduleStatuses(
  sim: SimulatorState,
  wamid: string,
  customer: Customer,
  category: string,
  failCode: number | undefined,
  template: MessageTemplate | undefined,
): void {
  const step = sim.options.statusStepMs;
  const pricing = pricingFor(sim, category, customer, template);
  if (failCode !== undefined) {
    sim.schedule(step, () => emitStatus(sim, wamid, customer, "failed", undefined, failCode));
    return;
  }
  sim.schedule(step, () => emitStatus(sim, wamid, customer, "sent", pricing));
  if (!sim.options.isAutoRead) {
    sim.schedule(step * 2, () => emitStatus(sim, wamid, customer, "delivered", pricing));
    return;
  }
  const skipDelivered = sim.random() < sim.options.readWithoutDeliveredRate;
  if (!skipDelivered) sim.schedule(step * 2, () => emitStatus(sim, wamid, customer, "delivered", pricing));
  sim.schedule(step * 3, () => emitStatus(sim, wamid, customer, "read", skipDelivered ? pricing : undefined));
}

/** Customer-side read of everything delivered so far (phone page opened). */
export function readAll(sim: SimulatorState, customer: Customer): void {
  for (const entry of sim.chats.get(customer.id) ?? []) {
    if (entry.direction === "outbound" && (entry.status === "sent" || entry.status === "delivered")) {
      emitStatus(sim, entry.wamid, customer, "read");
    }
  }
}

/**
 * PMP pricing as in the v24+ status webhooks. Non-template messages: free customer service before
 * 2026-10-01, charged as `regular`/`service` afterwards (Meta's announced change); utility templates inside
 * an open window follow the same switch.
 */
function pricingFor(
  sim: SimulatorState,
  category: string,
  customer: Customer,
  template: MessageTemplate | undefined,
): Status["pricing"] {
  const now = sim.now();
  const isServiceCharged = now >= Date.UTC(2026, 9, 1);
  const isWindowOpen = customer.lastInboundAt !== undefined && now - customer.lastInboundAt <= 24 * 3600_000;
  if (!template)
    return {
      billable: isServiceCharged,
      pricing_model: "PMP",
      type: isServiceCharged ? "regular" : "free_customer_service",
      category: "service",
    };
  if (template.category === "UTILITY" && isWindowOpen && !isServiceCharged) {
    return { billable: false, pricing_model: "PMP", type: "free_customer_service", category: "utility" };
  }
  return { billable: true, pricing_model: "PMP", type: "regular", category };
}

function emitStatus(
  sim: SimulatorState,
  wamid: string,
  customer: Customer,
  status: "sent" | "delivered" | "read" | "failed",
  pricing?: Status["pricing"],
  errorCode?: number,
): void {
  const record = sim.outbound.get(wamid);
  const order = { accepted: 0, sent: 1, delivered: 2, read: 3, failed: 4 } as const;
  if (record && order[status] > order[record.status]) {
    record.status = status;
    const entry = sim.chats.get(customer.id)?.find((e) => e.wamid === wamid);
    if (entry) {
      entry.status = status;
      if (errorCode) entry.errorCode = errorCode;
    }
  }
  const statusObject: Status = StatusSchema.parse({
    id: wamid,
    status,
    timestamp: unixSeconds(sim.now()),
    recipient_id: customer.waId,
    ...(customer.userId ? { recipient_user_id: customer.userId } : {}),
    ...(graphVersionMajor(sim.options) < 24 && status !== "failed" && pricing
      ? {
          conversation: {
            id: createHash("md5").update(wamid).digest("hex"),
            ...(status === "sent" ? { expiration_timestamp: unixSeconds(sim.now() + 24 * 3600_000) } : {}),
            origin: { type: pricing.category },
          },
        }
      : {}),
    ...(pricing ? { pricing } : {}),
    ...(errorCode ? { errors: [webhookError(errorCode)] } : {}),
    ...(record?.callbackData ? { biz_opaque_callback_data: record.callbackData } : {}),
  });
  const payload = envelope(sim, {
    ...(status !== "failed" ? { contacts: [contactOf(customer, false)] } : {}),
    statuses: [statusObject],
  });
  const isLate = sim.random() < sim.webhookBehaviour.reorderRate;
  sim.sender.deliver(payload, isLate ? { delayMs: sim.options.statusStepMs * 4 + 50 } : {});
  if (sim.random() < sim.webhookBehaviour.duplicateRate) sim.sender.deliver(payload, { delayMs: 20 });
}

function summarizeOutbound(body: SendMessageRequest, template: MessageTemplate | undefined): string {
  switch (body.type) {
    case "text":
      return body.text.body;
    case "template": {
      const params = (type: string) =>
        body.template.components?.find((c) => c.type.toLowerCase() === type)?.parameters ?? [];
      const text = hydrate(
        template?.components.find((c) => c.type === "BODY")?.text ?? body.template.name,
        params("body"),
      );
      const header = template?.components.find((c) => c.type === "HEADER");
      const format = header?.format?.toUpperCase() ?? "TEXT";
      // The phone shows the header above the body: its text, or which media came with it.
      const pin = params("header")[0]?.location;
      const top = !header
        ? ""
        : format === "TEXT"
          ? hydrate(header.text ?? "", params("header"))
          : format === "LOCATION"
            ? `📍 ${pin?.name ?? ""}, ${pin?.address ?? ""}`
            : `[${format.toLowerCase()}]`;
      return top ? `${top}\n${text}` : text;
    }
    case "interactive":
      return body.interactive.body.text;
    case "reaction":
      return `${body.reaction.emoji} (Reaktion)`;
    case "location":
      return `📍 ${body.location.name ?? `${body.location.latitude}, ${body.location.longitude}`}`;
    case "contacts":
      return `👤 ${body.contacts.map((c) => c.name.formatted_name).join(", ")}`;
    default: {
      const media = (body as Record<string, unknown>)[body.type] as { caption?: string } | undefined;
      return `[${body.type}]${media?.caption ? ` ${media.caption}` : ""}`;
    }
  }
}

function buttonsOf(body: SendMessageRequest, template: MessageTemplate | undefined): ChatEntry["buttons"] {
  if (body.type === "interactive" && body.interactive.type === "button") {
    return body.interactive.action.buttons.map((b) => ({
      id: b.reply.id,
      title: b.reply.title,
      kind: "reply" as const,
    }));
  }
  if (body.type === "interactive" && body.interactive.type === "list") {
    return body.interactive.action.sections.flatMap((s) =>
      s.rows.map((r) => ({ id: r.id, title: r.title, kind: "reply" as const })),
    );
  }
  const quick = template?.components
    .find((c) => c.type === "BUTTONS")
    ?.buttons?.filter((b) => b.type === "QUICK_REPLY");
  if (quick?.length) return quick.map((b) => ({ id: b.text, title: b.text, kind: "template" as const }));
  return undefined;
}
