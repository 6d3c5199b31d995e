/**
 * The outbound pipeline against the Cloud API simulator on a loopback port (the Graph side is never mocked):
 * real Postgres, real Redis/BullMQ, real HTTP. Meta's error codes and wording: [ERR] in
 * the team's Cloud API notes §5.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { parseEnv } from "@inbox/config";
import {
  createSendStatements,
  ORPHANED_CLAIM_MS,
  queueOutboundMessage,
  resumeChannel,
  sendQueuedMessage,
  subscribeLiveEvents,
  type Throttle,
  syncTemplates,
  isRetryableSendError,
  isThroughputWait,
  type SendQueuedMessageDeps,
} from "@inbox/core";
import { queueDepsFor } from "@inbox/core/testing";
import { createTestDatabase, createTestRedisPrefix, TEST_REDIS_URL, type TestDatabase } from "@inbox/db/testing";
import { createRedis, drainOutbox, JobQueues } from "@inbox/jobs";
import { createLogger } from "@inbox/logger";
import { GraphClient } from "@inbox/whatsapp";
import { NO_RECEIVER, startTestSimulator, type TestSimulator } from "@inbox/simulator/testing";
import { startWorker } from "../worker";
import type { WorkerDeps, WorkerInfra } from "../context";
import { createWorkerServices } from "../services";
import { sendDepsFor } from "./message-send";

type LiveEnvelope = Parameters<Parameters<typeof subscribeLiveEvents>[2]>[0];

const PHONE_NUMBER_ID = "100000000000001";
const WABA_ID = "200000000000001";
const TOKEN = "test-access-token";
const log = createLogger({ name: "test", level: "silent", pretty: false });

describe("message.send against the simulator", () => {
  let t: TestDatabase;
  let built: TestSimulator;
  let graphUrl: string;
  let graph: GraphClient;
  const redis = createRedis(TEST_REDIS_URL);
  const prefix = createTestRedisPrefix();
  const queues = new JobQueues(redis, prefix);
  let channelId: string;
  let n = 0;
  let services: WorkerDeps;

  beforeAll(async () => {
    t = await createTestDatabase();
    built = await startTestSimulator(NO_RECEIVER, {
      accessToken: TOKEN,
      appSecret: "test-app-secret",
      phoneNumberId: PHONE_NUMBER_ID,
      wabaId: WABA_ID,
      displayNumber: "+49 30 1234567",
      webhookMaxAttempts: 1,
      isAutoRead: false,
      log,
    });
    graphUrl = built.graphUrl;
    graph = new GraphClient({ baseUrl: graphUrl, accessToken: TOKEN, timeoutMs: 1_000 });
    const channel = await t.db.channel.create({
      data: { type: "whatsapp", name: "WhatsApp", externalId: PHONE_NUMBER_ID, accountId: WABA_ID },
    });
    channelId = channel.id;
    await syncTemplates({ db: t.db, graph }, { channelId });
    services = { ...infra(), ...createWorkerServices(infra(), { graph }) };
  });
  afterAll(async () => {
    await services?.close();
    await built.close();
    await queues.close();
    redis.disconnect();
    await t.drop();
  });
  beforeEach(async () => {
    built.sim.forced.length = 0;
    await t.db.channel.update({ where: { id: channelId }, data: { status: "active", statusReason: null } });
  });

  const sends = () => built.sim.outbound.size;

  async function newConversation(opts: { lastInboundAt?: Date | null; waId?: string } = {}) {
    n++;
    const contact = await t.db.contact.create({
      data: { channelId, waId: opts.waId ?? `4915100${String(n).padStart(5, "0")}` },
    });
    const lastInboundAt = opts.lastInboundAt === undefined ? new Date() : opts.lastInboundAt;
    return t.db.conversation.create({
      data: { channelId, contactId: contact.id, activeContactId: contact.id, lastInboundAt },
      include: { contact: true },
    });
  }

  async function queueText(text = "Hallo") {
    const conversation = await newConversation();
    const { message } = await queueOutboundMessage(queueDepsFor(t.db), {
      conversationId: conversation.id,
      body: { type: "text", text, clientId: `c${n}` },
    });
    return { conversation, message };
  }

  /** The send use case wired as the worker wires it (its services), with a test's replacements. */
  const deps = (over: Partial<SendQueuedMessageDeps> = {}): SendQueuedMessageDeps => ({
    ...sendDepsFor(services, log),
    ...over,
  });
  const force = (body: object) =>
    built.app
      .inject({ method: "POST", url: "/_control/force", payload: body })
      .then((r) => expect(r.statusCode).toBe(200));
  const stored = (id: string) => t.db.message.findUniqueOrThrow({ where: { id } });

  it("syncs the simulator's templates with category, status and parameter count", async () => {
    const templates = await t.db.template.findMany({ where: { channelId } });
    expect(templates.length).toBeGreaterThanOrEqual(3);
    expect(new Set(templates.map((x) => x.category))).toEqual(new Set(["utility", "marketing", "authentication"]));
    expect(templates.every((x) => x.status === "APPROVED" || x.status !== "")).toBe(true);
  });

  it("sends a queued text and records Meta's wamid atomically with `sent`", async () => {
    const before = sends();
    const { message } = await queueText();
    const result = await sendQueuedMessage(deps(), { messageId: message.id, isLastAttempt: false });
    expect(result.outcome).toBe("sent");
    const row = await stored(message.id);
    expect(row).toMatchObject({ status: "sent", attempts: 1 });
    expect(row.externalId).toMatch(/^wamid\./);
    expect(built.sim.outbound.has(row.externalId!)).toBe(true);
    expect(sends()).toBe(before + 1);
    // A second job for the same message (redelivery) sends nothing.
    expect(await sendQueuedMessage(deps(), { messageId: message.id, isLastAttempt: false })).toEqual({
      outcome: "skipped",
      reason: "already_sent",
    });
    expect(sends()).toBe(before + 1);
  });

  it("sends an approved template outside the window when consent exists", async () => {
    // spring_sale: a text header without placeholders (media headers need a header parameter, not supported yet).
    const template = await t.db.template.findFirstOrThrow({
      where: { channelId, name: "spring_sale", language: "de" },
    });
    const conversation = await newConversation({ lastInboundAt: new Date(Date.now() - 48 * 3600_000) });
    await t.db.consent.create({
      data: { contactId: conversation.contactId, purpose: "marketing", status: "granted", source: "web_form" },
    });
    const parameters = Object.fromEntries(
      Array.from({ length: template.parameterCount }, (_, i) => [String(i + 1), `v${i + 1}`]),
    );
    const { message } = await queueOutboundMessage(queueDepsFor(t.db), {
      conversationId: conversation.id,
      body: {
        type: "template",
        clientId: "tpl",
        template: { name: template.name, language: template.language, parameters },
      },
    });
    expect(await sendQueuedMessage(deps(), { messageId: message.id, isLastAttempt: false })).toMatchObject({
      outcome: "sent",
    });
  });

  it("re-checks the rules at send time: consent withdrawn after queuing → failed, nothing sent", async () => {
    const before = sends();
    const { message, conversation } = await queueText();
    await t.db.consent.create({
      data: { contactId: conversation.contactId, purpose: "service", status: "withdrawn", source: "chat_keyword" },
    });
    expect(await sendQueuedMessage(deps(), { messageId: message.id, isLastAttempt: false })).toEqual({
      outcome: "failed",
      code: "opted_out",
    });
    expect(await stored(message.id)).toMatchObject({ status: "failed", errorTitle: "opted_out" });
    expect(sends()).toBe(before);
  });

  it("re-checks the window at send time", async () => {
    const { message, conversation } = await queueText();
    await t.db.conversation.update({
      where: { id: conversation.id },
      data: { lastInboundAt: new Date(Date.now() - 25 * 3600_000) },
    });
    expect(await sendQueuedMessage(deps(), { messageId: message.id, isLastAttempt: false })).toEqual({
      outcome: "failed",
      code: "window_closed",
    });
  });

  it("130429 (throughput reached): books the number's next slot and sends again in the same attempt", async () => {
    const { message } = await queueText();
    const before = sends();
    const bookings: { isPairHeld: boolean }[] = [];
    const counted: string[] = [];
    const counting: Throttle = async (request) => {
      bookings.push({ isPairHeld: request.isPairHeld ?? false });
      return services.throttle(request);
    };
    await force({ code: 130429, mode: "sync" });
    const result = await sendQueuedMessage(deps({ throttle: counting, countThrottling: (e) => counted.push(e) }), {
      messageId: message.id,
      isLastAttempt: false,
    });
    expect(result.outcome).toBe("sent");
    // One claim (the attempt), a second slot after the 130429; the recipient's pair slot is charged once (nothing
    // reached it the first time). A slot this process reaches more than MAX_SLOT_LATENESS_MS late (a loaded CI
    // machine) is booked once more, also without charging the pair again.
    expect(await stored(message.id)).toMatchObject({ status: "sent", attempts: 1 });
    expect(bookings.length).toBeGreaterThanOrEqual(2);
    expect(bookings).toEqual([{ isPairHeld: false }, ...bookings.slice(1).map(() => ({ isPairHeld: true }))]);
    const missed = bookings.length - 2;
    expect(counted.sort()).toEqual([...Array<string>(missed).fill("slot_missed"), "throughput_refused"]);
    expect(sends()).toBe(before + 1);
  });

  it("130429 again after every re-booking: back to queued as a throughput wait; on the last attempt it fails visibly", async () => {
    const { message } = await queueText();
    for (let i = 0; i < 4; i++) await force({ code: 130429, mode: "sync" });
    const error = await sendQueuedMessage(deps(), { messageId: message.id, isLastAttempt: false }).catch(
      (e: unknown) => e,
    );
    expect(isThroughputWait(error)).toBe(true);
    expect(await stored(message.id)).toMatchObject({ status: "queued", externalId: null });
    for (let i = 0; i < 4; i++) await force({ code: 130429, mode: "sync" });
    expect(await sendQueuedMessage(deps(), { messageId: message.id, isLastAttempt: true })).toEqual({
      outcome: "failed",
      code: "130429",
    });
    expect(await stored(message.id)).toMatchObject({ status: "failed", errorCode: 130429 });
  });

  it("no slot within the inline wait: back to queued as a throughput wait, nothing sent", async () => {
    const { message } = await queueText();
    const before = sends();
    const far: Throttle = async () => ({ isBooked: false, waitMs: 60_000 });
    const error = await sendQueuedMessage(deps({ throttle: far }), {
      messageId: message.id,
      isLastAttempt: false,
    }).catch((e: unknown) => e);
    expect(isThroughputWait(error) && error.retryAfterMs).toBe(60_000);
    expect(await stored(message.id)).toMatchObject({ status: "queued", sendStartedAt: null });
    expect(sends()).toBe(before);
    // The next run, with a slot near, sends it.
    expect(await sendQueuedMessage(deps(), { messageId: message.id, isLastAttempt: false })).toMatchObject({
      outcome: "sent",
    });
  });

  describe.each([
    { code: 131056, what: "pair rate limit" },
    { code: 131000, what: "unknown error" },
    { code: 2, what: "service temporarily unavailable" },
  ])("retryable $code ($what)", ({ code }) => {
    it("goes back to queued and throws for a BullMQ retry; on the last attempt it fails visibly", async () => {
      const { message } = await queueText();
      await force({ code, mode: "sync" });
      const error = await sendQueuedMessage(deps(), { messageId: message.id, isLastAttempt: false }).catch(
        (e: unknown) => e,
      );
      expect(isRetryableSendError(error)).toBe(true);
      expect(await stored(message.id)).toMatchObject({ status: "queued", externalId: null });
      await force({ code, mode: "sync" });
      expect(await sendQueuedMessage(deps(), { messageId: message.id, isLastAttempt: true })).toEqual({
        outcome: "failed",
        code: String(code),
      });
      const row = await stored(message.id);
      expect(row).toMatchObject({ status: "failed", errorCode: code });
      expect(row.errorDetails).toMatch(/\n/); // German and English reason
    });
  });

  it("HTTP 500 without a Graph body is retried", async () => {
    const { message } = await queueText();
    await force({ http: 500 });
    const error = await sendQueuedMessage(deps(), { messageId: message.id, isLastAttempt: false }).catch(
      (e: unknown) => e,
    );
    expect(isRetryableSendError(error)).toBe(true);
    expect(await sendQueuedMessage(deps(), { messageId: message.id, isLastAttempt: false })).toMatchObject({
      outcome: "sent",
    });
  });

  describe.each([131047, 131026, 131049, 131050, 131008, 131009, 100, 132000, 132001, 132015])(
    "permanent %i",
    (code) => {
      it("marks the message failed with Meta's code and a German/English reason, no retry", async () => {
        const { message, conversation } = await queueText();
        await force({ code, mode: "sync" });
        expect(await sendQueuedMessage(deps(), { messageId: message.id, isLastAttempt: false })).toEqual({
          outcome: "failed",
          code: String(code),
        });
        const row = await stored(message.id);
        expect(row).toMatchObject({ status: "failed", errorCode: code, externalId: null });
        expect(row.errorTitle).toBeTruthy();
        const [de, en] = row.errorDetails!.split("\n");
        expect(de).toBeTruthy();
        expect(en).toBeTruthy();
        const marketing = await t.db.consent.findFirst({
          where: { contactId: conversation.contactId, purpose: "marketing" },
        });
        if (code === 131050) expect(marketing).toMatchObject({ status: "withdrawn", source: "whatsapp" });
        else expect(marketing).toBeNull();
      });
    },
  );

  it("190 pauses the channel with an audit entry; messages stay queued and go out after resumeChannel", async () => {
    const first = await queueText();
    const second = await queueText();
    await force({ code: 190, mode: "sync" });
    expect(await sendQueuedMessage(deps(), { messageId: first.message.id, isLastAttempt: false })).toEqual({
      outcome: "channel_paused",
    });
    const channel = await t.db.channel.findUniqueOrThrow({ where: { id: channelId } });
    expect(channel).toMatchObject({ status: "paused" });
    expect(channel.statusReason).toContain("190");
    expect(await t.db.auditLog.count({ where: { action: "channel.paused", entityId: channelId } })).toBe(1);
    expect(await stored(first.message.id)).toMatchObject({ status: "queued" });
    // The queue does not burn: the next message is not sent while paused.
    const before = sends();
    expect(await sendQueuedMessage(deps(), { messageId: second.message.id, isLastAttempt: false })).toEqual({
      outcome: "channel_paused",
    });
    expect(sends()).toBe(before);
    const { requeued } = await resumeChannel(queueDepsFor(t.db), { channelId, actor: { type: "system" } });
    expect(requeued).toBeGreaterThanOrEqual(2);
    expect(await sendQueuedMessage(deps(), { messageId: first.message.id, isLastAttempt: false })).toMatchObject({
      outcome: "sent",
    });
    expect(await sendQueuedMessage(deps(), { messageId: second.message.id, isLastAttempt: false })).toMatchObject({
      outcome: "sent",
    });
  });

  it("a worker killed after Graph accepted, before recording: the retry does not send again", async () => {
    const { message } = await queueText();
    const before = sends();
    // The real Graph call goes through; then the process "dies" before the wamid is committed.
    const dying = {
      sendMessage: async (...args: Parameters<GraphClient["sendMessage"]>) => {
        await graph.sendMessage(...args);
        throw new Error("worker killed");
      },
    };
    await expect(
      sendQueuedMessage(deps({ graph: dying }), { messageId: message.id, isLastAttempt: false }),
    ).rejects.toThrow("worker killed");
    expect(sends()).toBe(before + 1);
    expect(await stored(message.id)).toMatchObject({ status: "sending", externalId: null });

    // Restarted worker, inside the grace period: waits for the status webhook instead of sending.
    const waiting = await sendQueuedMessage(deps(), { messageId: message.id, isLastAttempt: false }).catch(
      (e: unknown) => e,
    );
    expect(isRetryableSendError(waiting) && waiting.reason).toBe("awaiting_status");
    // After the grace period with no wamid linked: failed as unconfirmed, never re-sent.
    expect(
      await sendQueuedMessage(deps({ reconcileGraceMs: 0 }), { messageId: message.id, isLastAttempt: false }),
    ).toEqual({
      outcome: "failed",
      code: "delivery_unconfirmed",
    });
    expect(sends()).toBe(before + 1);
  });

  it("a worker killed while it waited for its send slot: the message was never sent, so a later attempt sends it once", async () => {
    const { message } = await queueText();
    const before = sends();
    // The dead job's claim: `sending`, never marked as handed to Graph.
    expect(await createSendStatements(t.db).claim(message.id, new Date())).toBeDefined();
    expect(await stored(message.id)).toMatchObject({ status: "sending", sendStartedAt: null });
    // While the claim may still be a live job's, the next attempt waits instead of sending.
    const early = await sendQueuedMessage(deps(), { messageId: message.id, isLastAttempt: false }).catch(
      (e: unknown) => e,
    );
    expect(isRetryableSendError(early) && early.reason).toBe("awaiting_claim");
    expect(sends()).toBe(before);
    // Once the claim is orphaned, the message is taken over and sent.
    const later = () => new Date(Date.now() + ORPHANED_CLAIM_MS + 1_000);
    expect(
      await sendQueuedMessage(deps({ clock: later }), { messageId: message.id, isLastAttempt: false }),
    ).toMatchObject({ outcome: "sent" });
    expect(sends()).toBe(before + 1);
    expect((await stored(message.id)).sendStartedAt).not.toBeNull();
  });

  it("an attempt whose claim was taken over while it waited for its slot sends nothing", async () => {
    const { message } = await queueText();
    const before = sends();
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let booked!: () => void;
    const isBooked = new Promise<void>((r) => (booked = r));
    // Attempt A books a slot far ahead and waits (its process is stalled)…
    const slow: Throttle = async () => {
      booked();
      await released;
      return { isBooked: true, waitMs: 0 };
    };
    const a = sendQueuedMessage(deps({ throttle: slow }), { messageId: message.id, isLastAttempt: false });
    await isBooked;
    // …attempt B finds the claim orphaned and sends the message…
    const later = () => new Date(Date.now() + ORPHANED_CLAIM_MS + 1_000);
    expect(
      await sendQueuedMessage(deps({ clock: later }), { messageId: message.id, isLastAttempt: false }),
    ).toMatchObject({ outcome: "sent" });
    // …and A, waking up, may not send it again.
    release();
    expect(await a).toEqual({ outcome: "skipped", reason: "claimed_elsewhere" });
    expect(sends()).toBe(before + 1);
  });

  it("…and when the status webhook linked the wamid meanwhile, the retry just finishes", async () => {
    const { message } = await queueText();
    const dying = {
      sendMessage: async (...args: Parameters<GraphClient["sendMessage"]>) => {
        const res = await graph.sendMessage(...args);
        // What the receiver does with a status whose biz_opaque_callback_data names our message.
        await t.db.message.update({ where: { id: message.id }, data: { externalId: res.messages[0]!.id } });
        throw new Error("worker killed");
      },
    };
    const before = sends();
    await expect(
      sendQueuedMessage(deps({ graph: dying }), { messageId: message.id, isLastAttempt: false }),
    ).rejects.toThrow();
    expect(await sendQueuedMessage(deps(), { messageId: message.id, isLastAttempt: false })).toEqual({
      outcome: "skipped",
      reason: "already_sent",
    });
    expect(sends()).toBe(before + 1);
  });

  it("a Graph timeout leaves the outcome open: no blind re-send", async () => {
    const { message } = await queueText();
    await force({ timeout: true });
    const error = await sendQueuedMessage(deps(), { messageId: message.id, isLastAttempt: false }).catch(
      (e: unknown) => e,
    );
    expect(isRetryableSendError(error) && error.reason).toBe("awaiting_status");
    expect(await stored(message.id)).toMatchObject({ status: "sending" });
  });

  /** Wired as `pnpm start` wires it: Prisma, the plain pg pool, Redis, the Graph API of the simulator. */
  function infra(): WorkerInfra {
    const env = parseEnv({
      LOG_LEVEL: "silent",
      GRAPH_API_URL: graphUrl,
      WHATSAPP_ACCESS_TOKEN: TOKEN,
      WHATSAPP_APP_SECRET: "s",
      WHATSAPP_VERIFY_TOKEN: "v",
      WHATSAPP_PHONE_NUMBER_ID: PHONE_NUMBER_ID,
    });
    return { env, db: t.db, pgPool: t.pgPool, redis, queues, log, clock: () => new Date() };
  }

  it("end to end through BullMQ: a retryable error is retried with backoff and then sent", async () => {
    const worker = await startWorker(infra(), { scheduleTemplateSync: false });
    try {
      const { message } = await queueText();
      await force({ code: 131000, mode: "sync" });
      await drainOutbox(t.db, queues, log);
      await expect.poll(async () => (await stored(message.id)).status, { timeout: 15_000, interval: 100 }).toBe("sent");
      expect((await stored(message.id)).attempts).toBe(2);
    } finally {
      await worker.close();
    }
  });

  describe("through BullMQ: a send that only waits for throughput is deferred to its slot without using an attempt", () => {
    const job = (messageId: string) => queues.queues.outbound.getJob(`message.send-${messageId}`);

    /** The message is sent; its job started twice and used one attempt (BullMQ counts the one that completed). */
    const expectSentAfterOneDeferral = async (messageId: string) => {
      await expect.poll(async () => (await stored(messageId)).status, { timeout: 15_000, interval: 100 }).toBe("sent");
      const done = await job(messageId);
      // The deferral used no attempt.
      expect(done?.attemptsStarted).toBe(2);
      expect(done?.attemptsMade).toBe(1);
    };

    it("no slot soon enough: the job comes back before its slot, then sends in its first attempt", async () => {
      const { message } = await queueText();
      let refused = 0;
      // The first booking finds the number's next slot just beyond the inline wait (7 s); later ones get a slot.
      const throttle: Throttle = async (request) => {
        if (refused++ === 0) return { isBooked: false, waitMs: 7_001 };
        return services.throttle(request);
      };
      const worker = await startWorker(infra(), { scheduleTemplateSync: false, services: { graph, throttle } });
      try {
        await drainOutbox(t.db, queues, log);
        await expect
          .poll(async () => (await job(message.id))?.isDelayed(), { timeout: 5_000, interval: 50 })
          .toBe(true);
        expect(await stored(message.id)).toMatchObject({ status: "queued" });
        await expectSentAfterOneDeferral(message.id);
      } finally {
        await worker.close();
      }
    });

    it("130429 on every re-booked slot: deferred, then sent in the first attempt", async () => {
      const { message } = await queueText();
      const worker = await startWorker(infra(), { scheduleTemplateSync: false });
      try {
        for (let i = 0; i < 4; i++) await force({ code: 130429, mode: "sync" });
        await drainOutbox(t.db, queues, log);
        await expectSentAfterOneDeferral(message.id);
        // Two claims: the deferred one and the one that sent.
        expect((await stored(message.id)).attempts).toBe(2);
      } finally {
        await worker.close();
      }
    });
  });

  it("tells consoles live when a send was accepted and when it failed, with Meta's code and the reason", async () => {
    const got: LiveEnvelope[] = [];
    const sub = redis.duplicate();
    const subscription = await subscribeLiveEvents(sub, prefix, (e) => got.push(e));
    const worker = await startWorker(infra(), { scheduleTemplateSync: false });
    try {
      const ok = await queueText("geht raus");
      await drainOutbox(t.db, queues, log);
      const updated = (id: string) => got.find((e) => e.event.type === "message.updated" && e.event.message.id === id);
      await expect
        .poll(() => updated(ok.message.id)?.event)
        .toMatchObject({ message: { status: "sent", externalId: expect.stringMatching(/^wamid\./) } });
      await force({ code: 131026, mode: "sync" });
      const bad = await queueText("kommt nicht an");
      await drainOutbox(t.db, queues, log);
      await expect
        .poll(() => updated(bad.message.id)?.event)
        .toMatchObject({
          conversationId: bad.conversation.id,
          message: { status: "failed", errorCode: 131026, errorDetails: expect.stringContaining("\n") },
        });
    } finally {
      await worker.close();
      await subscription.close();
      sub.disconnect();
    }
  });

  it("Redis unavailable while queuing: the outbox keeps the job, and it is sent once Redis is back", async () => {
    const deadRedis = createRedis("redis://127.0.0.1:1", {
      lazyConnect: true,
      retryStrategy: () => null,
      maxRetriesPerRequest: 0,
    });
    deadRedis.on("error", () => undefined);
    const deadQueues = new JobQueues(deadRedis, prefix);
    const { message } = await queueText();
    const drained = await drainOutbox(t.db, deadQueues, log);
    expect(drained.dispatched).toBe(0);
    const row = await t.db.outboxJob.findUniqueOrThrow({ where: { jobId: `message.send-${message.id}` } });
    expect(row.dispatchedAt).toBeNull();
    expect(row.attempts).toBeGreaterThanOrEqual(1);
    await deadQueues.close().catch(() => undefined);
    deadRedis.disconnect();

    const before = sends();
    const worker = await startWorker(infra(), { scheduleTemplateSync: false });
    try {
      await expect.poll(async () => (await stored(message.id)).status, { timeout: 15_000, interval: 100 }).toBe("sent");
      expect(sends()).toBe(before + 1);
    } finally {
      await worker.close();
    }
  });
});
