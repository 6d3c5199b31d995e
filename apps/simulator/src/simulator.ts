/**
 * The simulator's state and Meta's rules, independent of HTTP. Routes translate requests into calls here.
 * `CloudApiSimulator` is a façade: it owns the state and delegates to customers.ts, inbound.ts, outbound.ts and
 * media-registration.ts. See docs/simulator.md for where it simplifies compared with Meta.
 */
import { randomBytes } from "node:crypto";
import type {
  InboundMessage,
  MessageTemplate,
  SendMessageRequest,
  SendMessageResponse,
  StorageConfiguration,
} from "@inbox/whatsapp";
import { addCustomer, findCustomer } from "./customers";
import { graphError, type GraphError } from "./errors";
import { changeIdentity, emitRawValue, emitValueError, receiveFromCustomer, setMarketingPreference } from "./inbound";
import { seedBusinessProfile, type BusinessProfileState } from "./business-profile";
import { deregister, mediaUrl, register, storeMedia, updateStorage } from "./media-registration";
import { acceptSend, markRead, readAll } from "./outbound";
import { SlidingSecond } from "./sliding-second";
import { seedTemplates } from "./templates";
import type {
  ChatEntry,
  Customer,
  ForcedFailure,
  OutboundRecord,
  ResolvedSimulatorOptions,
  SimulatorOptions,
  SimulatorState,
  StoredMedia,
  WebhookBehaviour,
} from "./types";
import { WebhookSender } from "./webhook-sender";

export { GraphError } from "./errors";
export { normalizePhone } from "./customers";
export type { ChatEntry, Customer, ForcedFailure, SimulatorOptions, WebhookBehaviour } from "./types";

export class CloudApiSimulator implements SimulatorState {
  readonly options: ResolvedSimulatorOptions;
  readonly sender: WebhookSender;
  readonly customers = new Map<string, Customer>();
  readonly chats = new Map<string, ChatEntry[]>();
  readonly outbound = new Map<string, OutboundRecord>();
  readonly media = new Map<string, StoredMedia>();
  readonly mediaUrlTokens = new Map<string, { mediaId: string; expiresAt: number }>();
  readonly forced: ForcedFailure[] = [];
  readonly webhookBehaviour: WebhookBehaviour = { duplicateRate: 0, reorderRate: 0 };
  readonly sendWindow = new SlidingSecond();
  templates: MessageTemplate[] = seedTemplates();
  /** The number's business profile and the Resumable Upload sessions and handles (business-profile-routes.ts). */
  businessProfile: BusinessProfileState = seedBusinessProfile();
  readonly uploads = new Map<string, { length: number; mimeType: string; bytes?: Buffer }>();
  isRegistered = true;
  storage: StorageConfiguration = { status: "IN_COUNTRY_STORAGE_DISABLED" };
  registerAttempts: number[] = [];
  throughputPerSec: number;
  private offsetMs = 0;
  private readonly randomSource: () => number;
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
    this.randomSource = options.random ?? Math.random;
    this.baseNow = options.now ?? Date.now;
    this.throughputPerSec = this.options.throughputPerSec;
    this.sender = new WebhookSender({
      url: options.webhookUrl,
      appSecret: options.appSecret,
      maxAttempts: this.options.webhookMaxAttempts,
      retryBaseMs: this.options.webhookRetryBaseMs,
      timeoutMs: this.options.webhookTimeoutMs,
      log: options.log,
    });
  }

  // ---- clock, ids, timers -------------------------------------------------------------------------------

  now(): number {
    return this.baseNow() + this.offsetMs;
  }

  get clockOffsetMs(): number {
    return this.offsetMs;
  }

  advanceClock(ms: number): void {
    this.offsetMs += ms;
  }

  random(): number {
    return this.randomSource();
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
    this.businessProfile = seedBusinessProfile();
    this.uploads.clear();
    this.isRegistered = true;
    this.storage = { status: "IN_COUNTRY_STORAGE_DISABLED" };
    this.registerAttempts = [];
    this.throughputPerSec = this.options.throughputPerSec;
    this.sendWindow.clear();
    this.offsetMs = 0;
  }

  /** Waits until every scheduled status and webhook delivery has settled (tests). */
  async idle(): Promise<void> {
    while (this.timers.size) await Promise.allSettled([...this.timers]);
    await this.sender.idle();
    if (this.timers.size) await this.idle();
  }

  newWamid(): string {
    const raw = Buffer.concat([Buffer.from(`SIM${(++this.seq).toString(16)}`), randomBytes(12)]);
    return `wamid.${raw.toString("base64")}`;
  }

  schedule(ms: number, fn: () => void): void {
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

  // ---- errors and forced failures ----------------------------------------------------------------------

  /** Meta's error envelope for a code of the table. */
  error(code: number, details?: string): GraphError {
    return graphError(code, details);
  }

  force(failure: ForcedFailure): void {
    this.forced.push(failure);
  }

  /** Takes one pending forced failure of a kind (errors) or of the HTTP kinds (http/timeout/slow); periods end by time. */
  takeForced(kind: "error" | "transport"): ForcedFailure | undefined {
    const index = this.forced.findIndex((f) => (kind === "error" ? f.kind === "error" : f.kind !== "error"));
    if (index === -1) return undefined;
    const failure = this.forced[index]!;
    if (failure.until !== undefined) {
      if (Date.now() < failure.until) return failure;
      this.forced.splice(index, 1);
      return this.takeForced(kind);
    }
    failure.remaining--;
    if (failure.remaining <= 0) this.forced.splice(index, 1);
    return failure;
  }

  // ---- customers and what they send (customers.ts, inbound.ts) ------------------------------------------

  addCustomer(input: Parameters<typeof addCustomer>[1]): Customer {
    return addCustomer(this, input);
  }

  /** By customer id, phone (with or without +) or BSUID. */
  findCustomer(ref: string): Customer | undefined {
    return findCustomer(this, ref);
  }

  receiveFromCustomer(
    customer: Customer,
    content: Record<string, unknown> & { type: string },
    options?: Parameters<typeof receiveFromCustomer>[3],
  ): Promise<{ wamid: string; message: InboundMessage; delivered: boolean | undefined }> {
    return receiveFromCustomer(this, customer, content, options);
  }

  setMarketingPreference(customer: Customer, value: "stop" | "resume"): Promise<boolean> {
    return setMarketingPreference(this, customer, value);
  }

  changeIdentity(customer: Customer, change: { newPhone?: string; newUserId?: string }): Promise<{ wamid: string }> {
    return changeIdentity(this, customer, change);
  }

  emitValueError(code: number): Promise<boolean> {
    return emitValueError(this, code);
  }

  /** A value sent as given, signed but unchecked (shapes the product must keep rather than refuse). */
  emitRawValue(value: Record<string, unknown>, field = "messages"): Promise<boolean> {
    return emitRawValue(this, value, field);
  }

  // ---- business side: sends, statuses, reads (outbound.ts) ---------------------------------------------

  acceptSend(body: SendMessageRequest, receivedAt?: number): SendMessageResponse {
    return acceptSend(this, body, receivedAt);
  }

  markRead(messageId: string): void {
    markRead(this, messageId);
  }

  readAll(customer: Customer): void {
    readAll(this, customer);
  }

  // ---- media and number settings (media-registration.ts) -----------------------------------------------

  storeMedia(bytes: Buffer, mimeType: string): string {
    return storeMedia(this, bytes, mimeType);
  }

  mediaUrl(mediaId: string, baseUrl: string): string {
    return mediaUrl(this, mediaId, baseUrl);
  }

  register(pin: string, dataLocalizationRegion: string | undefined): void {
    register(this, pin, dataLocalizationRegion);
  }

  deregister(): void {
    deregister(this);
  }

  updateStorage(config: StorageConfiguration): void {
    updateStorage(this, config);
  }
}
