/**
 * The simulator's state and Meta's rules, independent of HTTP. Routes translate requests into calls here.
 * See docs/simulator.md for where it simplifies compared with Meta.
 */
import { createHash, randomBytes } from "node:crypto";
import {
  CLOUD_API_ERRORS,
  InboundMessageSchema,
  StatusSchema,
  type GraphErrorResponse,
  type InboundMessage,
  type MessageTemplate,
  type SendMessageRequest,
  type SendMessageResponse,
  type Status,
  type StorageConfiguration,
  type WebhookContact,
  type WebhookError,
  type WebhookPayload,
} from "@inbox/whatsapp";
import type { Logger } from "@inbox/logger";
import { seedTemplates } from "./templates";
import { checkTemplateSend, renderTemplateSend } from "./template-check";
import { WebhookSender } from "./webhook-sender";

export interface SimulatorOptions {
  accessToken: string;
  appSecret: string;
  /** where webhooks go: the product's /webhooks/whatsapp */
  webhookUrl: string;
  phoneNumberId: string;
  wabaId: string;
  /** e.g. "+49 30 1234567" */
  displayNumber: string;
  /** Graph version whose webhook shapes to emit; from v24.0 statuses carry no `conversation` */
  graphVersion?: string;
  /** per-number throughput (messages per second), Meta's default 80 */
  throughputPerSec?: number;
  /** delay between sent → delivered → read */
  statusStepMs?: number;
  /** share of reads reported without a prior `delivered` (Meta skips it when both happen together) */
  readWithoutDeliveredRate?: number;
  /** customers read the business's messages on their own */
  isAutoRead?: boolean;
  /** marketing templates per user per 24 h before 131049 (Meta's real rule is not public) */
  marketingPerUserPerDay?: number;
  webhookMaxAttempts?: number;
  webhookRetryBaseMs?: number;
  webhookTimeoutMs?: number;
  log: Logger;
  random?: () => number;
  now?: () => number;
  fetch?: typeof globalThis.fetch;
}

export interface Customer {
  id: string;
  /** digits without +; "" for username users Meta identifies only by BSUID */
  waId: string;
  userId: string | undefined;
  name: string;
  username: string | undefined;
  /** ms; undefined when the simulator never delivered a message from them (treated as inside the window) */
  lastInboundAt: number | undefined;
  isMarketingOptedOut: boolean;
  marketingSent: number[];
  pairTokens: number;
  pairUpdatedAt: number;
}

export interface ChatEntry {
  direction: "inbound" | "outbound";
  wamid: string;
  type: string;
  text: string;
  status: "sent" | "delivered" | "read" | "failed" | "accepted";
  errorCode?: number;
  buttons?: { id: string; title: string; kind: "reply" | "template" }[];
  at: number;
}

export type ForcedFailure =
  | { kind: "error"; code: number; mode: "sync" | "async"; remaining: number }
  | { kind: "http"; status: number; remaining: number }
  | { kind: "timeout"; remaining: number }
  | { kind: "slow"; delayMs: number; remaining: number };

export interface WebhookBehaviour {
  /** chance that a status webhook is delivered twice */
  duplicateRate: number;
  /** chance that a status webhook is delayed so later ones overtake it */
  reorderRate: number;
}

export class GraphError extends Error {
  constructor(
    readonly httpStatus: number,
    readonly body: GraphErrorResponse,
  ) {
    super(body.error.message);
  }
}

export const SIM_USER_ID_PREFIX = "DE.";

export class CloudApiSimulator {
  readonly options: Required<Omit<SimulatorOptions, "fetch" | "random" | "now">> & Pick<SimulatorOptions, "fetch">;
  readonly sender: WebhookSender;
  readonly customers = new Map<string, Customer>();
  readonly chats = new Map<string, ChatEntry[]>();
  readonly outbound = new Map<string, { customerId: string; status: ChatEntry["status"]; callbackData?: string }>();
  readonly media = new Map<string, { bytes: Buffer; mimeType: string; sha256: string; createdAt: number }>();
  readonly mediaUrlTokens = new Map<string, { mediaId: string; expiresAt: number }>();
  readonly forced: ForcedFailure[] = [];
  readonly webhookBehaviour: WebhookBehaviour = { duplicateRate: 0, reorderRate: 0 };
  templates: MessageTemplate[] = seedTemplates();
  isRegistered = true;
  storage: StorageConfiguration = { status: "IN_COUNTRY_STORAGE_DISABLED" };
  registerAttempts: number[] = [];
  throughputPerSec: number;
  /** Arrival times of accepted sends, sorted; entries before sendTimesStart have left the sliding second. */
  private sendTimes: number[] = [];
  private sendTimesStart = 0;
  private clockOffsetMs = 0;
  private readonly random: () => number;
  private readonly baseNow: () => number;
  private readonly timers = new Set<Promise<void>>();
  private seq = 0;

  constructor(options: SimulatorOptions) {
    this.options = {
      graphVersion: "v25.0",
      throughputPerSec: 80,
      statusStepMs: 300,
      readWithoutDeliveredRate: 0.1,
      isAutoRead: true,
      marketingPerUserPerDay: 10,
      webhookMaxAttempts: 6,
      webhookRetryBaseMs: 500,
      webhookTimeoutMs: 10_000,
      ...options,
    };
    this.random = options.random ?? Math.random;
    this.baseNow = options.now ?? Date.now;
    this.throughputPerSec = this.options.throughputPerSec;
    this.sender = new WebhookSender({
      url: options.webhookUrl,
      appSecret: options.appSecret,
      maxAttempts: this.options.webhookMaxAttempts,
      retryBaseMs: this.options.webhookRetryBaseMs,
      timeoutMs: this.options.webhookTimeoutMs,
      log: options.log,
      fetch: options.fetch,
    });
  }

  now(): number {
    return this.baseNow() + this.clockOffsetMs;
  }

  advanceClock(ms: number): void {
    this.clockOffsetMs += ms;
  }

  reset(): void {
    this.customers.clear();
    this.chats.clear();
    this.outbound.clear();
    this.media.clear();
    this.mediaUrlTokens.clear();
    this.forced.length = 0;
    this.webhookBehaviour.duplicateRate = 0;
    this.webhookBehaviour.reorderRate = 0;
    this.templates = seedTemplates();
    this.isRegistered = true;
    this.storage = { status: "IN_COUNTRY_STORAGE_DISABLED" };
    this.registerAttempts = [];
    this.throughputPerSec = this.options.throughputPerSec;
    this.sendTimes = [];
    this.sendTimesStart = 0;
    this.clockOffsetMs = 0;
  }

  /** Waits until every scheduled status and webhook delivery has settled (tests). */
  async idle(): Promise<void> {
    while (this.timers.size) await Promise.allSettled([...this.timers]);
    await this.sender.idle();
    if (this.timers.size) await this.idle();
  }

  // ---- ids ----------------------------------------------------------------------------------------------

  newWamid(): string {
    const raw = Buffer.concat([Buffer.from(`SIM${(++this.seq).toString(16)}`), randomBytes(12)]);
    return `wamid.${raw.toString("base64")}`;
  }

  private timestamp(ms = this.now()): string {
    return String(Math.floor(ms / 1000));
  }

  private graphVersionMajor(): number {
    return Number(/v(\d+)/.exec(this.options.graphVersion)?.[1] ?? 25);
  }

  // ---- customers ----------------------------------------------------------------------------------------

  addCustomer(input: {
    phone?: string;
    name?: string;
    username?: string;
    userId?: string;
    isBsuidOnly?: boolean;
  }): Customer {
    const waId = input.phone ? normalizePhone(input.phone) : "";
    const existing =
      this.findCustomer(waId || input.userId || "") ??
      (input.username ? [...this.customers.values()].find((c) => c.username === input.username) : undefined);
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
      pairUpdatedAt: this.now(),
    };
    if (!customer.id) customer.id = userId ?? waId;
    this.customers.set(customer.id, customer);
    return customer;
  }

  /** By customer id, phone (with or without +) or BSUID. */
  findCustomer(ref: string): Customer | undefined {
    if (!ref) return undefined;
    const direct = this.customers.get(ref);
    if (direct) return direct;
    const digits = normalizePhone(ref);
    for (const c of this.customers.values()) {
      if ((digits && c.waId === digits) || c.userId === ref || (digits && c.id === digits)) return c;
    }
    return undefined;
  }

  private contactOf(customer: Customer, withProfile = true): WebhookContact {
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

  private envelope(value: Record<string, unknown>, field = "messages"): WebhookPayload {
    return {
      object: "whatsapp_business_account",
      entry: [
        {
          id: this.options.wabaId,
          changes: [
            {
              field,
              value: {
                messaging_product: "whatsapp",
                metadata: {
                  display_phone_number: normalizePhone(this.options.displayNumber),
                  phone_number_id: this.options.phoneNumberId,
                },
                ...value,
              },
            },
          ],
        },
      ],
    };
  }

  // ---- customer side ------------------------------------------------------------------------------------

  /**
   * A customer sends a message: builds Meta's `messages` webhook (validated against the shared schema),
   * records it, opens/refreshes the 24 h window and delivers it signed.
   */
  async receiveFromCustomer(
    customer: Customer,
    content: Record<string, unknown> & { type: string },
    options: { timestampMs?: number; wait?: boolean; maxAttempts?: number; withContacts?: boolean } = {},
  ): Promise<{ wamid: string; message: InboundMessage; delivered: boolean | undefined }> {
    const at = options.timestampMs ?? this.now();
    const wamid = this.newWamid();
    const message = InboundMessageSchema.parse({
      from: customer.waId,
      ...(customer.waId === "" && customer.userId ? { from_user_id: customer.userId } : {}),
      id: wamid,
      timestamp: this.timestamp(at),
      ...content,
    });
    customer.lastInboundAt = Math.max(customer.lastInboundAt ?? 0, at);
    this.pushChat(customer.id, {
      direction: "inbound",
      wamid,
      type: content.type,
      text: summarize(content),
      status: "sent",
      at,
    });
    // Meta's system-message webhooks carry no contacts[].
    const withContacts = options.withContacts ?? content.type !== "system";
    const payload = this.envelope({
      ...(withContacts ? { contacts: [this.contactOf(customer)] } : {}),
      messages: [message],
    });
    if (options.wait === false) {
      this.sender.deliver(payload);
      return { wamid, message, delivered: undefined };
    }
    const record = options.maxAttempts
      ? await this.sender.send(payload, { maxAttempts: options.maxAttempts })
      : await this.sender.sendThenRetry(payload);
    const entry = this.chats.get(customer.id)?.find((e) => e.wamid === wamid);
    if (entry && record.delivered && entry.status === "sent") entry.status = "delivered";
    return { wamid, message, delivered: record.delivered };
  }

  /** Marketing opt-out (or resume) made inside WhatsApp → `user_preferences` webhook; later marketing fails with 131050. */
  async setMarketingPreference(customer: Customer, value: "stop" | "resume"): Promise<boolean> {
    customer.isMarketingOptedOut = value === "stop";
    const payload = this.envelope(
      {
        contacts: [this.contactOf(customer)],
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
            timestamp: Math.floor(this.now() / 1000),
          },
        ],
      },
      "user_preferences",
    );
    return (await this.sender.sendThenRetry(payload)).delivered;
  }

  /** System messages: a changed phone number or business-scoped user id. */
  async changeIdentity(
    customer: Customer,
    change: { newPhone?: string; newUserId?: string },
  ): Promise<{ wamid: string }> {
    if (change.newPhone) {
      const newWaId = normalizePhone(change.newPhone);
      const result = await this.receiveFromCustomer(customer, {
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
    const result = await this.receiveFromCustomer(customer, {
      type: "system",
      system: {
        body: `User ${customer.name} changed their user id`,
        type: "user_changed_user_id",
        user_id: next,
        ...(previous ? { previous_user_id: previous } : {}),
      },
    });
    customer.userId = next;
    return result;
  }

  // ---- business side: sends -----------------------------------------------------------------------------

  /** Throws GraphError for synchronous failures; otherwise answers like Meta and schedules status webhooks. */
  acceptSend(body: SendMessageRequest, receivedAt?: number): SendMessageResponse {
    const forced = this.takeForced("error");
    if (forced?.kind === "error" && forced.mode === "sync") throw this.error(forced.code);
    if (!this.isRegistered) throw this.error(133010);

    const to = body.to.trim();
    const isBsuid = !/^\+?[\d\s\-()]+$/.test(to);
    const digits = isBsuid ? "" : normalizePhone(to);
    if (!isBsuid && (digits.length < 6 || digits.length > 15))
      throw this.error(131009, "Invalid recipient phone number.");
    if (digits && digits === normalizePhone(this.options.displayNumber)) throw this.error(131021);

    let template: MessageTemplate | undefined;
    if (body.type === "template") template = this.checkTemplate(body, isBsuid);
    if (body.type === "reaction" || body.context) {
      // Reactions and replies must point at a message id; unknown ids are accepted by Meta too.
    }
    for (const key of ["image", "audio", "video", "document", "sticker"] as const) {
      const media = (body as Record<string, unknown>)[key] as { id?: string } | undefined;
      if (body.type === key && media?.id && !this.media.has(media.id)) throw this.error(131009, "Invalid media id.");
    }

    // Throughput: at most `throughputPerSec` accepted messages per number in any sliding second, counted when the
    // request arrived (the Graph route stamps it before parsing), not when this process got round to handling it:
    // Meta's edge sees arrival times; a busy simulator must not turn an even stream into a burst.
    const now = this.now();
    const arrivedAt = receivedAt === undefined ? now : receivedAt + this.clockOffsetMs;
    while (this.sendTimesStart < this.sendTimes.length && arrivedAt - this.sendTimes[this.sendTimesStart]! >= 1000)
      this.sendTimesStart++;
    if (this.sendTimesStart > 4096) {
      this.sendTimes = this.sendTimes.slice(this.sendTimesStart);
      this.sendTimesStart = 0;
    }
    if (this.sendTimes.length - this.sendTimesStart >= this.throughputPerSec) throw this.error(130429);
    // Requests handled out of arrival order keep the window sorted.
    let at = this.sendTimes.length;
    while (at > this.sendTimesStart && this.sendTimes[at - 1]! > arrivedAt) at--;
    this.sendTimes.splice(at, 0, arrivedAt);

    const customer =
      this.findCustomer(isBsuid ? to : digits) ??
      this.addCustomer(isBsuid ? { userId: to, isBsuidOnly: true } : { phone: digits });
    const wamid = this.newWamid();
    const category = template ? template.category.toLowerCase() : "service";

    const asyncCode = this.asyncFailure(body, customer, template, forced);
    this.pushChat(customer.id, {
      direction: "outbound",
      wamid,
      type: body.type,
      text: summarizeOutbound(body, template),
      status: "accepted",
      at: now,
      ...(buttonsOf(body, template) ? { buttons: buttonsOf(body, template) } : {}),
    });
    // Meta echoes biz_opaque_callback_data in every status webhook of the message.
    this.outbound.set(wamid, {
      customerId: customer.id,
      status: "accepted",
      ...(body.biz_opaque_callback_data ? { callbackData: body.biz_opaque_callback_data } : {}),
    });
    this.scheduleStatuses(wamid, customer, category, asyncCode, template);

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
  markRead(messageId: string): void {
    for (const entries of this.chats.values()) {
      const index = entries.findIndex((e) => e.wamid === messageId && e.direction === "inbound");
      if (index === -1) continue;
      for (const entry of entries.slice(0, index + 1)) if (entry.direction === "inbound") entry.status = "read";
      return;
    }
    throw this.error(100, "Invalid message id.");
  }

  private checkTemplate(body: Extract<SendMessageRequest, { type: "template" }>, isBsuid: boolean): MessageTemplate {
    const { name, language, components = [] } = body.template;
    const template = this.templates.find((t) => t.name === name && t.language === language.code);
    if (!template) throw this.error(132001, `template name (${name}) does not exist in ${language.code}`);
    if (template.status === "PAUSED") throw this.error(132015);
    if (template.status === "DISABLED") throw this.error(132016);
    if (template.status !== "APPROVED") throw this.error(132001, `template name (${name}) is not approved`);
    if (template.category === "AUTHENTICATION" && isBsuid) throw this.error(131062);

    const failure = checkTemplateSend(template, components, (id) => this.media.has(id));
    if (failure) throw this.error(failure.code, failure.details);
    return template;
  }

  /** Failures Meta reports asynchronously (accepted with a wamid, then a `failed` status webhook). */
  private asyncFailure(
    body: SendMessageRequest,
    customer: Customer,
    template: MessageTemplate | undefined,
    forced: ForcedFailure | undefined,
  ): number | undefined {
    if (forced?.kind === "error" && forced.mode === "async") return forced.code;
    if (customer.waId.startsWith("999")) return 131026;
    const now = this.now();
    if (
      body.type !== "template" &&
      customer.lastInboundAt !== undefined &&
      now - customer.lastInboundAt > 24 * 3600_000
    )
      return 131047;
    if (template?.category === "MARKETING") {
      if (customer.isMarketingOptedOut) return 131050;
      customer.marketingSent = customer.marketingSent.filter((t) => now - t < 24 * 3600_000);
      if (customer.marketingSent.length >= this.options.marketingPerUserPerDay) return 131049;
      customer.marketingSent.push(now);
    }
    // Pair rate: 1 message per 6 s to one user, bursts of up to 45 borrowed from later quota.
    customer.pairTokens = Math.min(45, customer.pairTokens + (now - customer.pairUpdatedAt) / 6000);
    customer.pairUpdatedAt = now;
    if (customer.pairTokens < 1) return 131056;
    customer.pairTokens -= 1;
    return undefined;
  }

  private scheduleStatuses(
    wamid: string,
    customer: Customer,
    category: string,
    failCode: number | undefined,
    template: MessageTemplate | undefined,
  ): void {
    const step = this.options.statusStepMs;
    const pricing = this.pricingFor(category, customer, template);
    if (failCode !== undefined) {
      this.schedule(step, () => this.emitStatus(wamid, customer, "failed", undefined, failCode));
      return;
    }
    this.schedule(step, () => this.emitStatus(wamid, customer, "sent", pricing));
    if (!this.options.isAutoRead) {
      this.schedule(step * 2, () => this.emitStatus(wamid, customer, "delivered", pricing));
      return;
    }
    const skipDelivered = this.random() < this.options.readWithoutDeliveredRate;
    if (!skipDelivered) this.schedule(step * 2, () => this.emitStatus(wamid, customer, "delivered", pricing));
    this.schedule(step * 3, () => this.emitStatus(wamid, customer, "read", skipDelivered ? pricing : undefined));
  }

  /** Customer-side read of everything delivered so far (phone page opened). */
  readAll(customer: Customer): void {
    for (const entry of this.chats.get(customer.id) ?? []) {
      if (entry.direction === "outbound" && (entry.status === "sent" || entry.status === "delivered")) {
        this.emitStatus(entry.wamid, customer, "read");
      }
    }
  }

  /**
   * PMP pricing as in the v24+ status webhooks. Non-template messages: free customer service before
   * 2026-10-01, charged as `regular`/`service` afterwards (Meta's announced change); utility templates inside
   * an open window follow the same switch.
   */
  private pricingFor(category: string, customer: Customer, template: MessageTemplate | undefined): Status["pricing"] {
    const now = this.now();
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

  private emitStatus(
    wamid: string,
    customer: Customer,
    status: "sent" | "delivered" | "read" | "failed",
    pricing?: Status["pricing"],
    errorCode?: number,
  ): void {
    const record = this.outbound.get(wamid);
    const order = { accepted: 0, sent: 1, delivered: 2, read: 3, failed: 4 } as const;
    if (record && order[status] > order[record.status]) {
      record.status = status;
      const entry = this.chats.get(customer.id)?.find((e) => e.wamid === wamid);
      if (entry) {
        entry.status = status;
        if (errorCode) entry.errorCode = errorCode;
      }
    }
    const statusObject: Status = StatusSchema.parse({
      id: wamid,
      status,
      timestamp: this.timestamp(),
      recipient_id: customer.waId,
      ...(customer.userId ? { recipient_user_id: customer.userId } : {}),
      ...(this.graphVersionMajor() < 24 && status !== "failed" && pricing
        ? {
            conversation: {
              id: createHash("md5").update(wamid).digest("hex"),
              ...(status === "sent" ? { expiration_timestamp: this.timestamp(this.now() + 24 * 3600_000) } : {}),
              origin: { type: pricing.category },
            },
          }
        : {}),
      ...(pricing ? { pricing } : {}),
      ...(errorCode ? { errors: [this.webhookError(errorCode)] } : {}),
      ...(record?.callbackData ? { biz_opaque_callback_data: record.callbackData } : {}),
    });
    const payload = this.envelope({
      ...(status !== "failed" ? { contacts: [this.contactOf(customer, false)] } : {}),
      statuses: [statusObject],
    });
    const isLate = this.random() < this.webhookBehaviour.reorderRate;
    this.sender.deliver(payload, isLate ? { delayMs: this.options.statusStepMs * 4 + 50 } : {});
    if (this.random() < this.webhookBehaviour.duplicateRate) this.sender.deliver(payload, { delayMs: 20 });
  }

  async emitValueError(code: number): Promise<boolean> {
    return (await this.sender.sendThenRetry(this.envelope({ errors: [this.webhookError(code)] }))).delivered;
  }

  private webhookError(code: number): WebhookError {
    const info = CLOUD_API_ERRORS[code];
    const title = info?.title ?? "Unknown error";
    return {
      code,
      title,
      message: title,
      error_data: { details: info?.details ?? title },
      href: "https://developers.facebook.com/documentation/business-messaging/whatsapp/support/error-codes",
    };
  }

  private schedule(ms: number, fn: () => void): void {
    const task = new Promise<void>((resolve) => {
      setTimeout(() => {
        try {
          fn();
        } catch (err) {
          this.options.log.error({ err }, "scheduled status failed");
        }
        resolve();
      }, ms);
    });
    this.timers.add(task);
    void task.finally(() => this.timers.delete(task));
  }

  private pushChat(customerId: string, entry: ChatEntry): void {
    const list = this.chats.get(customerId) ?? [];
    list.push(entry);
    if (list.length > 500) list.shift();
    this.chats.set(customerId, list);
  }

  // ---- errors and forced failures ----------------------------------------------------------------------

  /** Meta's error envelope for a code of the table. */
  error(code: number, details?: string): GraphError {
    const info = CLOUD_API_ERRORS[code];
    const title = info?.title ?? (code === 133010 ? "Account not registered" : "Unknown error");
    return new GraphError(info?.httpStatus ?? 400, {
      error: {
        message: `(#${code}) ${title}`,
        type: info?.type ?? "OAuthException",
        code,
        error_data: { messaging_product: "whatsapp", details: details ?? info?.details ?? title },
        fbtrace_id: randomBytes(9).toString("base64url"),
      },
    });
  }

  force(failure: ForcedFailure): void {
    this.forced.push(failure);
  }

  /** Takes one pending forced failure of a kind (errors) or of the HTTP kinds (http/timeout/slow). */
  takeForced(kind: "error" | "transport"): ForcedFailure | undefined {
    const index = this.forced.findIndex((f) => (kind === "error" ? f.kind === "error" : f.kind !== "error"));
    if (index === -1) return undefined;
    const failure = this.forced[index]!;
    failure.remaining--;
    if (failure.remaining <= 0) this.forced.splice(index, 1);
    return failure;
  }

  // ---- media --------------------------------------------------------------------------------------------

  storeMedia(bytes: Buffer, mimeType: string): string {
    const id = randomDigits(16);
    this.media.set(id, {
      bytes,
      mimeType,
      sha256: createHash("sha256").update(bytes).digest("base64"),
      createdAt: this.now(),
    });
    return id;
  }

  /** A URL valid for 5 minutes, like Meta's. */
  mediaUrl(mediaId: string, baseUrl: string): string {
    const token = randomBytes(16).toString("hex");
    this.mediaUrlTokens.set(token, { mediaId, expiresAt: this.now() + 5 * 60_000 });
    return `${baseUrl}/_media/${token}`;
  }

  // ---- number settings ---------------------------------------------------------------------------------

  register(pin: string, dataLocalizationRegion: string | undefined): void {
    const now = this.now();
    this.registerAttempts = this.registerAttempts.filter((t) => now - t < 3600_000);
    if (this.registerAttempts.length >= 10) throw this.error(133016);
    this.registerAttempts.push(now);
    if (!/^\d{6}$/.test(pin)) throw this.error(100, "pin must be 6 digits");
    if (dataLocalizationRegion && this.graphVersionMajor() >= 21)
      throw this.error(100, "(#12) Deprecated for versions v21.0 or higher");
    this.isRegistered = true;
  }

  deregister(): void {
    this.registerAttempts.push(this.now());
    this.isRegistered = false;
  }

  updateStorage(config: StorageConfiguration): void {
    if (this.isRegistered) {
      throw this.error(
        100,
        "Local storage can only be changed while the phone number is not registered. Deregister it, change the setting, then register again.",
      );
    }
    if (config.status === "IN_COUNTRY_STORAGE_ENABLED" && !config.data_localization_region) {
      throw this.error(131008, "data_localization_region is required to enable local storage.");
    }
    this.storage = config.status === "IN_COUNTRY_STORAGE_ENABLED" ? config : { status: "IN_COUNTRY_STORAGE_DISABLED" };
  }
}

// ---- helpers ----------------------------------------------------------------------------------------------

export function normalizePhone(phone: string): string {
  return phone.replace(/[^\d]/g, "");
}

function randomDigits(n: number): string {
  let out = String(1 + Math.floor(Math.random() * 9));
  while (out.length < n) out += String(Math.floor(Math.random() * 10));
  return out;
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

function summarizeOutbound(body: SendMessageRequest, template: MessageTemplate | undefined): string {
  switch (body.type) {
    case "text":
      return body.text.body;
    case "template":
      return template ? renderTemplateSend(template, body.template.components ?? []) : body.template.name;
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
