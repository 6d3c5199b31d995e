/**
 * Media messages in the worker against the Cloud API simulator on loopback (Graph is never mocked): an attachment
 * without a provider id is uploaded to /media right before the send, and the send carries that id.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseEnv } from "@inbox/config";
import {
  isRetryableSendError,
  LocalDiskMediaStore,
  queueOutboundMessage,
  sendQueuedMessage,
  storeOutboundAttachment,
} from "@inbox/core";
import { queueDepsFor } from "@inbox/core/testing";
import { createTestDatabase, createTestRedisPrefix, TEST_REDIS_URL, type TestDatabase } from "@inbox/db/testing";
import { createRedis, JobQueues } from "@inbox/jobs";
import { createLogger } from "@inbox/logger";
import { GraphClient } from "@inbox/whatsapp";
import { NO_RECEIVER, startTestSimulator, type TestSimulator } from "@inbox/simulator/testing";
import type { WorkerDeps } from "../context";
import { createWorkerServices } from "../services";
import { sendDepsFor } from "./message-send";

const PHONE_NUMBER_ID = "100000000000009";
const TOKEN = "media-test-token";
const log = createLogger({ name: "test", level: "silent", pretty: false });
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
  "base64",
);
const admin = { id: randomUUID(), role: "admin" as const, teamIds: [] };

describe("message.send with media against the simulator", () => {
  let t: TestDatabase;
  let sim: TestSimulator;
  let graph: GraphClient;
  let dir: string;
  let store: LocalDiskMediaStore;
  let deps: WorkerDeps;
  let n = 0;
  const redis = createRedis(TEST_REDIS_URL);

  beforeAll(async () => {
    t = await createTestDatabase();
    dir = await mkdtemp(path.join(tmpdir(), "worker-media-"));
    store = new LocalDiskMediaStore(dir);
    sim = await startTestSimulator(NO_RECEIVER, {
      accessToken: TOKEN,
      appSecret: "secret",
      phoneNumberId: PHONE_NUMBER_ID,
      wabaId: "200000000000009",
      displayNumber: "+49 30 1111111",
      webhookMaxAttempts: 1,
      log,
    });
    graph = new GraphClient({ baseUrl: sim.graphUrl, accessToken: TOKEN });
    // The worker's services, its media store on the same directory as `store`.
    const infra = {
      env: parseEnv({ LOG_LEVEL: "silent", MEDIA_DIR: dir }),
      db: t.db,
      pgPool: t.pgPool,
      redis,
      queues: new JobQueues(redis, createTestRedisPrefix()),
      log,
      clock: () => new Date(),
    };
    deps = { ...infra, ...createWorkerServices(infra, { graph }) };
  });
  afterAll(async () => {
    await deps?.close();
    await deps?.queues.close();
    redis.disconnect();
    await sim?.app.close();
    await t?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  async function queuedImage(bytes = PNG) {
    n++;
    const channel =
      (await t.db.channel.findFirst({ where: { externalId: PHONE_NUMBER_ID } })) ??
      (await t.db.channel.create({ data: { type: "whatsapp", name: "WA", externalId: PHONE_NUMBER_ID } }));
    const contact = await t.db.contact.create({ data: { channelId: channel.id, waId: `49170000090${n}` } });
    const conversation = await t.db.conversation.create({
      data: { channelId: channel.id, contactId: contact.id, activeContactId: contact.id, lastInboundAt: new Date() },
    });
    const asset = await storeOutboundAttachment(
      { db: t.db, store, maxDocumentBytes: 25 * 1024 * 1024 },
      { user: admin, conversationId: conversation.id, readFile: async () => ({ bytes, filename: "bild.png" }) },
    );
    const { message } = await queueOutboundMessage(queueDepsFor(t.db), {
      conversationId: conversation.id,
      body: { type: "image", mediaId: asset.id, caption: "Ihr Bild", clientId: `c${n}` },
    });
    return { asset, message };
  }
  const send = (messageId: string, g: GraphClient = graph, isLastAttempt = false) =>
    sendQueuedMessage(
      { ...sendDepsFor(deps, log), graph: g, media: { store: deps.media, uploader: g } },
      { messageId, isLastAttempt },
    );

  it("uploads the stored file to /media, records the provider id and sends the image with {id}", async () => {
    const { asset, message } = await queuedImage();
    const outcome = await send(message.id);
    expect(outcome).toMatchObject({ outcome: "sent", externalId: expect.stringMatching(/^wamid\./) });
    const stored = await t.db.mediaAsset.findUniqueOrThrow({ where: { id: asset.id } });
    expect(stored.providerMediaId).toBeTruthy();
    const onMeta = sim.sim.media.get(stored.providerMediaId!);
    expect(onMeta?.mimeType).toBe("image/png");
    expect(onMeta?.bytes.equals(PNG)).toBe(true);
    // The simulator refuses unknown media ids (131009): being sent proves the body carried the uploaded id.
    const sent = await t.db.message.findUniqueOrThrow({ where: { id: message.id } });
    expect(sent.status).toBe("sent");
    expect(sim.sim.outbound.has(sent.externalId!)).toBe(true);
  });

  it("a retryable upload failure (Graph unreachable) puts the message back to queued; the retry uploads and sends", async () => {
    const { asset, message } = await queuedImage();
    const down = new GraphClient({ baseUrl: "http://127.0.0.1:9/v25.0", accessToken: TOKEN, timeoutMs: 2000 });
    const error = await send(message.id, down).catch((e: unknown) => e);
    expect(isRetryableSendError(error)).toBe(true);
    expect(await t.db.message.findUniqueOrThrow({ where: { id: message.id } })).toMatchObject({
      status: "queued",
      externalId: null,
    });
    expect((await t.db.mediaAsset.findUniqueOrThrow({ where: { id: asset.id } })).providerMediaId).toBeNull();
    expect(await send(message.id)).toMatchObject({ outcome: "sent" });
  });

  it("a permanent upload error (131053 from Meta) or a missing file fails the message with the reason in DE and EN", async () => {
    const rejected = await queuedImage();
    // What Meta refuses for the type: the simulator answers 131053.
    await t.db.mediaAsset.update({ where: { id: rejected.asset.id }, data: { mimeType: "image/gif" } });
    expect(await send(rejected.message.id)).toEqual({ outcome: "failed", code: "media_upload_failed" });
    const failed = await t.db.message.findUniqueOrThrow({ where: { id: rejected.message.id } });
    expect(failed).toMatchObject({
      status: "failed",
      errorCode: 131053,
      errorTitle: "media_upload_failed",
      externalId: null,
    });
    expect(failed.errorDetails).toMatch(/Anhang[\s\S]*\n[\s\S]*attachment/);

    const missing = await queuedImage();
    await store.delete((await t.db.mediaAsset.findUniqueOrThrow({ where: { id: missing.asset.id } })).storageKey!);
    expect(await send(missing.message.id)).toEqual({ outcome: "failed", code: "media_missing" });
  });
});
