/* eslint-disable @typescript-eslint/no-explicit-any -- tests edit Meta's raw JSON examples */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createHash } from "node:crypto";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseEnv } from "@inbox/config";
import { applyWhatsAppDelivery, ChannelDirectory, saveConsentSettings, subscribeLiveEvents } from "@inbox/core";
type LiveEnvelope = Parameters<Parameters<typeof subscribeLiveEvents>[2]>[0];
import { createTestDatabase, createTestRedisPrefix, TEST_REDIS_URL, type TestDatabase } from "@inbox/db/testing";
import { createRedis, JobQueues } from "@inbox/jobs";
import { createLogger } from "@inbox/logger";
import { GraphClient, parseWebhookDelivery } from "@inbox/whatsapp";
import * as fx from "@inbox/whatsapp/fixtures";
import type { JobContext, WorkerDeps } from "../context";
import { createWorkerServices } from "../services";
import { handleMediaDownload } from "./media-download";
import { handleConsentConfirm } from "./consent-confirm";
import { handleConversationRoute } from "./conversation-route";
import { sweepPendingMediaOnce, sweepUnroutedOnce } from "../maintenance/sweeper";
import { sweepWhenUnlocked } from "../maintenance/run-unlocked.testing";

const log = createLogger({ name: "test", level: "silent", pretty: false });
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(200, 7)]);

let t: TestDatabase;
let dir: string;
let deps: WorkerDeps;
let served: { bytes: Buffer; mime: string; sha256: string };
const redis = createRedis(TEST_REDIS_URL);
const prefix = createTestRedisPrefix();
let seq = 0;

/** These handlers never defer their job. */
const noDefer = (): Promise<never> => Promise.reject(new Error("not deferred"));
const ctx = (attemptsMade = 0): JobContext => ({
  deps,
  log,
  attemptsMade,
  maxAttempts: 3,
  startedCount: attemptsMade + 1,
  defer: noDefer,
});

async function deliver(fixture: unknown, mutate: (v: any) => void = () => undefined) {
  const p = JSON.parse(JSON.stringify(fixture));
  const v = p.entry[0].changes[0].value;
  for (const m of v.messages ?? []) m.id = `wamid.worker-${++seq}`;
  mutate(v);
  const parsed = parseWebhookDelivery(p);
  if (!parsed.ok) throw new Error(parsed.issues.join());
  return applyWhatsAppDelivery({ db: t.db, channels: new ChannelDirectory(0) }, parsed.delivery);
}

beforeAll(async () => {
  t = await createTestDatabase();
  dir = await mkdtemp(path.join(tmpdir(), "inbox-media-"));
  const team = await t.db.team.create({ data: { name: "Support" } });
  await t.db.channel.create({
    data: { type: "whatsapp", name: "WA", externalId: fx.META_METADATA.phone_number_id, defaultTeamId: team.id },
  });
  const fakeFetch: typeof fetch = async (input) => {
    const url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url);
    if (url.hostname === "media.example")
      return new Response(new Uint8Array(served.bytes), { headers: { "content-type": served.mime } });
    const id = url.pathname.split("/").pop()!;
    return Response.json({
      messaging_product: "whatsapp",
      url: `https://media.example/${id}`,
      mime_type: served.mime,
      sha256: served.sha256,
      file_size: served.bytes.length,
      id,
    });
  };
  const infra = {
    env: parseEnv({ LOG_LEVEL: "silent", MEDIA_DIR: dir }),
    db: t.db,
    pgPool: t.pgPool,
    redis,
    queues: new JobQueues(redis, prefix),
    log,
    clock: () => new Date(),
  };
  const graph = new GraphClient({ baseUrl: "https://graph.example/v25.0", accessToken: "t", fetch: fakeFetch });
  deps = { ...infra, ...createWorkerServices(infra, { graph }) };
});
afterAll(async () => {
  await deps.close();
  await deps.queues.close();
  redis.disconnect();
  await t.drop();
  await rm(dir, { recursive: true, force: true });
});

describe("media.download", () => {
  it("stores Meta's image in the media store with checksum and size, and tells consoles", async () => {
    served = { bytes: JPEG, mime: "image/jpeg", sha256: createHash("sha256").update(JPEG).digest("hex") };
    await deliver(fx.IMAGE_MESSAGE_WEBHOOK);
    const asset = await t.db.mediaAsset.findFirstOrThrow({ where: { status: "pending" } });
    const sub = redis.duplicate();
    const got: LiveEnvelope[] = [];
    const s = await subscribeLiveEvents(sub, prefix, (e) => got.push(e));
    await handleMediaDownload({ mediaAssetId: asset.id }, ctx());
    const stored = await t.db.mediaAsset.findUniqueOrThrow({ where: { id: asset.id } });
    expect(stored).toMatchObject({
      status: "stored",
      sizeBytes: JPEG.length,
      sha256: served.sha256,
      mimeType: "image/jpeg",
    });
    expect(await readFile(path.join(dir, stored.storageKey!))).toEqual(JPEG);
    await expect.poll(() => got.some((e) => e.event.type === "message.updated")).toBe(true);
    expect(got.find((e) => e.event.type === "message.updated")!.event).toMatchObject({
      message: { media: [{ id: asset.id, status: "stored" }] },
    });
    await s.close();
    sub.disconnect();
    // a second run of the same job changes nothing
    await handleMediaDownload({ mediaAssetId: asset.id }, ctx());
  });

  it("a checksum mismatch throws (retry) and fails the asset on the last attempt; wrong content is rejected at once", async () => {
    served = { bytes: JPEG, mime: "image/jpeg", sha256: "0".repeat(64) };
    await deliver(fx.IMAGE_MESSAGE_WEBHOOK, (v) => (v.messages[0].image.sha256 = "nope"));
    const asset = await t.db.mediaAsset.findFirstOrThrow({ where: { status: "pending" } });
    await expect(handleMediaDownload({ mediaAssetId: asset.id }, ctx(0))).rejects.toThrow(/checksum/);
    await handleMediaDownload({ mediaAssetId: asset.id }, ctx(2));
    expect(await t.db.mediaAsset.findUniqueOrThrow({ where: { id: asset.id } })).toMatchObject({
      status: "failed",
      error: "checksum mismatch",
    });

    const html = Buffer.from("<html><script>alert(1)</script></html>");
    served = { bytes: html, mime: "image/jpeg", sha256: createHash("sha256").update(html).digest("hex") };
    await deliver(fx.IMAGE_MESSAGE_WEBHOOK);
    const bad = await t.db.mediaAsset.findFirstOrThrow({ where: { status: "pending" } });
    await handleMediaDownload({ mediaAssetId: bad.id }, ctx(0));
    expect(await t.db.mediaAsset.findUniqueOrThrow({ where: { id: bad.id } })).toMatchObject({ status: "failed" });
  });
});

describe("media.download with a hostile MIME string", () => {
  const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");

  it("refuses a declared type list (text/plain;a=b, text/html): browsers would render the last one", async () => {
    const page = Buffer.from("<img src=x onerror=alert(document.domain)>");
    served = { bytes: page, mime: "text/plain;a=b, text/html", sha256: sha(page) };
    await deliver(fx.DOCUMENT_MESSAGE_WEBHOOK, (v) => {
      v.messages[0].document.mime_type = served.mime;
      v.messages[0].document.sha256 = served.sha256;
    });
    const asset = await t.db.mediaAsset.findFirstOrThrow({ where: { status: "pending" } });
    await handleMediaDownload({ mediaAssetId: asset.id }, ctx());
    expect(await t.db.mediaAsset.findUniqueOrThrow({ where: { id: asset.id } })).toMatchObject({
      status: "failed",
      storageKey: null,
    });
  });

  it("stores the checked base type, never the declared string with its parameters", async () => {
    const ogg = Buffer.concat([Buffer.from("OggS"), Buffer.alloc(100, 1)]);
    served = { bytes: ogg, mime: "audio/ogg; codecs=opus", sha256: sha(ogg) };
    await deliver(fx.AUDIO_MESSAGE_WEBHOOK, (v) => (v.messages[0].audio.sha256 = served.sha256));
    const asset = await t.db.mediaAsset.findFirstOrThrow({ where: { status: "pending" } });
    await handleMediaDownload({ mediaAssetId: asset.id }, ctx());
    expect(await t.db.mediaAsset.findUniqueOrThrow({ where: { id: asset.id } })).toMatchObject({
      status: "stored",
      mimeType: "audio/ogg",
    });
  });
});

describe("media sweeper", () => {
  it("gives customer media whose download job was lost a new job, once, and leaves media with a live job alone", async () => {
    served = { bytes: JPEG, mime: "image/jpeg", sha256: createHash("sha256").update(JPEG).digest("hex") };
    await deliver(fx.IMAGE_MESSAGE_WEBHOOK);
    const lost = await t.db.mediaAsset.findFirstOrThrow({
      where: { status: "pending" },
      orderBy: { createdAt: "desc" },
    });
    // Its job reached Redis (outbox row dispatched) and was lost there.
    await t.db.outboxJob.updateMany({
      where: { name: "media.download", dispatchedAt: null },
      data: { dispatchedAt: new Date() },
    });
    await deliver(fx.IMAGE_MESSAGE_WEBHOOK);
    const waiting = await t.db.mediaAsset.findFirstOrThrow({
      where: { status: "pending", id: { not: lost.id } },
      orderBy: { createdAt: "desc" },
    });
    await t.db.outboxJob.updateMany({
      where: { name: "media.download", dispatchedAt: null },
      data: { dispatchedAt: new Date() },
    });
    await deps.queues.add(
      "media.download",
      { mediaAssetId: waiting.id },
      { jobId: `media.download-${waiting.id}`, delayMs: 60_000 },
    );

    const sweep = () => sweepWhenUnlocked(() => sweepPendingMediaOnce(deps, { pendingForMs: 0, lockMs: 1 }));
    const first = await sweep();
    expect(first.requeued).toContain(lost.id);
    expect(first.requeued).not.toContain(waiting.id);
    // The new job waits in the outbox: a second sweep does not add another.
    expect((await sweep()).requeued).not.toContain(lost.id);
    const row = await t.db.outboxJob.findFirstOrThrow({
      where: { jobId: { startsWith: `media.download-${lost.id}-sweep-` } },
    });
    await handleMediaDownload(row.payload as { mediaAssetId: string }, ctx());
    expect(await t.db.mediaAsset.findUniqueOrThrow({ where: { id: lost.id } })).toMatchObject({
      status: "stored",
      sizeBytes: JPEG.length,
    });
  });
});

describe("route sweeper", () => {
  /** A new customer's conversation, stored by the inbound write path (which writes its route job to the outbox). */
  async function newConversation(phone: string): Promise<string> {
    const r = await deliver(fx.TEXT_MESSAGE_WEBHOOK, (v) => {
      v.messages[0].from = phone;
      v.contacts[0].wa_id = phone;
    });
    return r.conversationIds[0]!;
  }
  /** Its route job's outbox row went to Redis (a second ago). */
  const dispatchRouteJobOf = (id: string) => t.db.$executeRaw`
    UPDATE "OutboxJob" SET "dispatchedAt" = now() - interval '1 second'
     WHERE name = 'conversation.route' AND "dispatchedAt" IS NULL AND payload->'conversationIds' ? ${id}`;
  const sweep = () => sweepWhenUnlocked(() => sweepUnroutedOnce(deps, { unroutedForMs: 0, lockMs: 1 }));

  it("routes a new conversation whose route job was lost, once; leaves routed, resolved, waiting and live ones alone", async () => {
    const lost = await newConversation("491755500001");
    const live = await newConversation("491755500002");
    const waiting = await newConversation("491755500003");
    const routed = await newConversation("491755500004");
    const resolved = await newConversation("491755500005");
    for (const id of [lost, live, routed, resolved]) await dispatchRouteJobOf(id);
    // `live` still has its job in Redis (delayed), `routed` was routed, `resolved` was closed before routing ran;
    // `waiting`'s row is still in the outbox. Only `lost` has nothing that will ever route it.
    await deps.queues.add(
      "conversation.route",
      { conversationIds: [live] },
      { jobId: `conversation.route-${live}`, delayMs: 60_000 },
    );
    await handleConversationRoute({ conversationIds: [routed] }, ctx());
    await t.db.conversation.update({ where: { id: resolved }, data: { status: "resolved", activeContactId: null } });

    const first = await sweep();
    expect(first.requeued).toContain(lost);
    for (const id of [live, waiting, routed, resolved]) expect(first.requeued).not.toContain(id);
    expect(await t.db.conversation.findUniqueOrThrow({ where: { id: routed } })).toMatchObject({
      routedAt: expect.any(Date),
      queuedAt: expect.any(Date),
    });
    // The new job waits in the outbox: a second sweep does not add another.
    expect((await sweep()).requeued).not.toContain(lost);
    const row = await t.db.outboxJob.findFirstOrThrow({
      where: { jobId: { startsWith: `conversation.route-${lost}-sweep-` } },
    });
    expect(row.payload).toEqual({ conversationIds: [lost] });
    await handleConversationRoute(row.payload as { conversationIds: string[] }, ctx());
    const conv = await t.db.conversation.findUniqueOrThrow({ where: { id: lost }, include: { channel: true } });
    expect(conv).toMatchObject({ teamId: conv.channel.defaultTeamId, queuedAt: expect.any(Date) });
    expect(conv.routedAt).toBeInstanceOf(Date);
    // Routed now: once its job has gone to Redis, nothing is swept again.
    await t.db.outboxJob.update({ where: { id: row.id }, data: { dispatchedAt: new Date(Date.now() - 1000) } });
    expect((await sweep()).requeued).not.toContain(lost);
  });

  it("counts a conversation a person assigned before its route job ran as routed once the job has run", async () => {
    const taken = await newConversation("491755500007");
    const agent = await t.db.user.create({ data: { email: "sweep@example.de", name: "Early", passwordHash: "x" } });
    await t.db.conversation.update({ where: { id: taken }, data: { assigneeId: agent.id } });
    await dispatchRouteJobOf(taken);
    await handleConversationRoute({ conversationIds: [taken] }, ctx());
    expect(await t.db.conversation.findUniqueOrThrow({ where: { id: taken } })).toMatchObject({
      assigneeId: agent.id,
      queuedAt: null,
      routedAt: expect.any(Date),
    });
    expect((await sweep()).requeued).not.toContain(taken);
  });

  it("waits ten minutes after the dispatch by default: a job that is merely slow is not doubled", async () => {
    const slow = await newConversation("491755500006");
    await dispatchRouteJobOf(slow);
    const sweepDefault = () => sweepWhenUnlocked(() => sweepUnroutedOnce(deps, { lockMs: 1 }));
    expect((await sweepDefault()).requeued).not.toContain(slow);
    await t.db.$executeRaw`
      UPDATE "OutboxJob" SET "dispatchedAt" = now() - interval '11 minutes'
       WHERE name = 'conversation.route' AND payload->'conversationIds' ? ${slow}`;
    expect((await sweepDefault()).requeued).toContain(slow);
  });
});

describe("consent.confirm and conversation.route", () => {
  it("queues one confirmation message with a message.send job, even when the job runs twice", async () => {
    await deliver(fx.TEXT_MESSAGE_WEBHOOK, (v) => {
      v.messages[0].text.body = "STOP";
      v.messages[0].from = "491799999999";
      v.contacts[0].wa_id = "491799999999";
    });
    const job = await t.db.outboxJob.findFirstOrThrow({ where: { name: "consent.confirm" } });
    const payload = job.payload as { contactId: string; conversationId: string; kind: "opt_out" };
    await handleConsentConfirm(payload, ctx());
    await handleConsentConfirm(payload, ctx());
    const out = await t.db.message.findMany({
      where: { conversationId: payload.conversationId, direction: "outbound" },
    });
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({
      status: "queued",
      type: "text",
      payload: { kind: "consent_confirmation", isOptOutConfirmation: true },
    });
    expect(await t.db.outboxJob.count({ where: { name: "message.send", jobId: `message.send-${out[0]!.id}` } })).toBe(
      1,
    );
    // One language: "STOP" says none, so the German number decides; nothing English glued on.
    expect(out[0]!.text).toBe("Sie erhalten keine Nachrichten mehr von uns. Mit START melden Sie sich wieder an.");
  });

  it("leaves a new conversation unassigned in the default team and publishes conversation.updated", async () => {
    const r = await deliver(fx.TEXT_MESSAGE_WEBHOOK, (v) => {
      v.messages[0].from = "491788888888";
      v.contacts[0].wa_id = "491788888888";
    });
    const id = r.conversationIds[0]!;
    await t.db.conversation.update({ where: { id }, data: { teamId: null } });
    const sub = redis.duplicate();
    const got: LiveEnvelope[] = [];
    const s = await subscribeLiveEvents(sub, prefix, (e) => got.push(e));
    await handleConversationRoute({ conversationId: id }, ctx());
    const conv = await t.db.conversation.findUniqueOrThrow({ where: { id }, include: { channel: true } });
    expect(conv.teamId).toBe(conv.channel.defaultTeamId);
    expect(conv.assigneeId).toBeNull();
    // Other tests' conversations may still be published late on the same prefix: look for this one's.
    await expect
      .poll(() => got.some((e) => e.event.type === "conversation.updated" && e.event.conversationId === id))
      .toBe(true);
    await s.close();
    sub.disconnect();
  });

  it('confirms an opt-in in the keyword\'s language: "YES" from a German number in English, "JA" from a UK number in German', async () => {
    const confirmationOf = async (keyword: string, phone: string) => {
      await deliver(fx.TEXT_MESSAGE_WEBHOOK, (v) => {
        v.messages[0].text.body = keyword;
        v.messages[0].from = phone;
        v.contacts[0].wa_id = phone;
      });
      const contact = await t.db.contact.findFirstOrThrow({ where: { waId: phone } });
      const job = await t.db.outboxJob.findFirstOrThrow({
        where: { name: "consent.confirm", payload: { path: ["contactId"], equals: contact.id } },
      });
      const payload = job.payload as { contactId: string; conversationId: string; kind: "opt_in" };
      await handleConsentConfirm(payload, ctx());
      const out = await t.db.message.findFirstOrThrow({
        where: { conversationId: payload.conversationId, direction: "outbound" },
      });
      return out.text;
    };
    expect(await confirmationOf("YES", "491777777777")).toBe(
      "Thank you! You will now receive messages from us. Reply STOP to opt out at any time.",
    );
    expect(await confirmationOf("JA", "447700900777")).toBe(
      "Danke! Sie erhalten ab jetzt Nachrichten von uns. Mit STOP können Sie jederzeit widerrufen.",
    );
  });

  it("sends the admin's confirmation in the customer's language, else the default language's, else the built-in one", async () => {
    await saveConsentSettings(
      t.db,
      { type: "system" },
      {
        optInKeywords: ["JA", "YES"],
        optOutKeywords: ["STOP"],
        optInPurpose: "marketing",
        optInConfirmation: { de: "", en: "Welcome aboard (admin text)." },
        optOutConfirmation: { de: "Abgemeldet (Admin-Text).", en: "Unsubscribed (admin text)." },
      },
      deps.env.DEFAULT_CUSTOMER_LANGUAGE,
    );
    const confirmationOf = async (keyword: string, phone: string) => {
      await deliver(fx.TEXT_MESSAGE_WEBHOOK, (v) => {
        v.messages[0].text.body = keyword;
        v.messages[0].from = phone;
        v.contacts[0].wa_id = phone;
      });
      const contact = await t.db.contact.findFirstOrThrow({ where: { waId: phone } });
      const job = await t.db.outboxJob.findFirstOrThrow({
        where: { name: "consent.confirm", payload: { path: ["contactId"], equals: contact.id } },
      });
      const payload = job.payload as { contactId: string; conversationId: string; kind: "opt_in" | "opt_out" };
      await handleConsentConfirm(payload, ctx());
      const out = await t.db.message.findFirstOrThrow({
        where: { conversationId: payload.conversationId, direction: "outbound" },
      });
      return out.text;
    };
    try {
      expect(deps.env.DEFAULT_CUSTOMER_LANGUAGE).toBe("en");
      // A German customer gets the German text, an English one the English text.
      expect(await confirmationOf("STOP", "491766666601")).toBe("Abgemeldet (Admin-Text).");
      expect(await confirmationOf("STOP", "447700900601")).toBe("Unsubscribed (admin text).");
      // No German opt-in text: the default language's (English) admin text, not the built-in German one.
      expect(await confirmationOf("JA", "491766666602")).toBe("Welcome aboard (admin text).");
      // A single text kept by the migration counts as the default language's.
      await t.db.setting.update({
        where: { key: "consent.optOutConfirmationText" },
        data: { value: { default: "Unsubscribed (kept text)." } },
      });
      expect(await confirmationOf("STOP", "491766666603")).toBe("Unsubscribed (kept text).");
      // Nothing set: the built-in text in the customer's language.
      await t.db.setting.deleteMany({ where: { key: { startsWith: "consent." } } });
      expect(await confirmationOf("STOP", "491766666604")).toBe(
        "Sie erhalten keine Nachrichten mehr von uns. Mit START melden Sie sich wieder an.",
      );
    } finally {
      await t.db.setting.deleteMany({ where: { key: { startsWith: "consent." } } });
    }
  });
});
