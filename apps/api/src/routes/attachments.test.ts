/**
 * POST /api/conversations/:id/attachments with a real session (login + CSRF), then a media message through
 * api → Postgres/outbox → Redis/BullMQ → worker → simulator on loopback: the worker uploads the file to the
 * simulator's /media and sends with the returned id. Graph is never mocked.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseEnv } from "@inbox/config";
import { createLogger } from "@inbox/logger";
import { startWorker, type RunningWorker } from "@inbox/worker";
import { NO_RECEIVER, startTestSimulator, type TestSimulator } from "@inbox/simulator/testing";
import { createTestApp, login, makeUser, type Agent, type TestApp } from "../test/test-app";

const PHONE_NUMBER_ID = "100000000000007";
const WABA_ID = "200000000000007";
const TOKEN = "attachments-test-token";
const MB = 1024 * 1024;
const log = createLogger({ name: "test", level: process.env.TEST_LOG ?? "silent", pretty: false });
/** A real 1×1 PNG. */
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
  "base64",
);

async function multipart(bytes: Buffer, filename: string, type = "application/octet-stream") {
  const form = new FormData();
  form.set("file", new Blob([new Uint8Array(bytes)], { type }), filename);
  const request = new Request("http://localhost/", { method: "POST", body: form });
  return { payload: Buffer.from(await request.arrayBuffer()), contentType: request.headers.get("content-type")! };
}

describe("attachments", () => {
  let t: TestApp;
  let sim: TestSimulator;
  let worker: RunningWorker;
  let mediaDir: string;
  let agent: Agent;
  let other: Agent;
  let mine: string;
  let foreign: string;
  let channelId: string;

  beforeAll(async () => {
    mediaDir = await mkdtemp(path.join(tmpdir(), "attachments-"));
    sim = await startTestSimulator(NO_RECEIVER, {
      accessToken: TOKEN,
      appSecret: "secret",
      phoneNumberId: PHONE_NUMBER_ID,
      wabaId: WABA_ID,
      displayNumber: "+49 30 7654321",
      statusStepMs: 50,
      log,
    });
    const env = parseEnv({
      LOG_LEVEL: "silent",
      ...sim.productEnv,
      MEDIA_DIR: mediaDir,
      MEDIA_MAX_DOCUMENT_MB: "1",
    });
    t = await createTestApp({ env });
    const db = t.deps.db;
    await makeUser(t, "agent@example.com", "agent", ["Support"]);
    await makeUser(t, "other@example.com", "agent", ["Sales"]);
    const support = await db.team.findUniqueOrThrow({ where: { name: "Support" } });
    const channel = await db.channel.create({
      data: {
        type: "whatsapp",
        name: "WhatsApp",
        externalId: PHONE_NUMBER_ID,
        accountId: WABA_ID,
        defaultTeamId: support.id,
      },
    });
    channelId = channel.id;
    const conv = async (waId: string, teamId: string | null) => {
      const contact = await db.contact.create({ data: { channelId, waId } });
      return (
        await db.conversation.create({
          data: { channelId, contactId: contact.id, activeContactId: contact.id, teamId, lastInboundAt: new Date() },
        })
      ).id;
    };
    mine = await conv("4917000000701", support.id);
    foreign = await conv("4917000000702", null);
    agent = await login(t, "agent@example.com");
    other = await login(t, "other@example.com");
    worker = await startWorker({ ...t.deps, log }, { scheduleTemplateSync: false });
  });
  afterAll(async () => {
    await worker?.close();
    await t?.close();
    await sim?.app.close();
    await rm(mediaDir, { recursive: true, force: true });
  });

  const upload = async (
    conversationId: string,
    bytes: Buffer,
    filename: string,
    who: Agent | null = agent,
    type?: string,
  ) => {
    const body = await multipart(bytes, filename, type);
    return t.app.inject({
      method: "POST",
      url: `/api/conversations/${conversationId}/attachments`,
      payload: body.payload,
      headers: { ...(who?.headers ?? {}), "content-type": body.contentType },
    });
  };

  it("stores an image (type sniffed, not the client's MIME type) and sends it: upload to Meta, then the media id", async () => {
    const res = await upload(mine, PNG, "Foto.jpg", agent, "application/pdf");
    expect(res.statusCode).toBe(201);
    const dto = res.json<{
      id: string;
      type: string;
      mimeType: string;
      sizeBytes: number;
      sha256: string;
      filename: string;
    }>();
    expect(dto).toMatchObject({ type: "image", mimeType: "image/png", sizeBytes: PNG.length, filename: "Foto.jpg" });
    const asset = await t.deps.db.mediaAsset.findUniqueOrThrow({ where: { id: dto.id } });
    expect(asset).toMatchObject({
      providerMediaId: null,
      messageId: null,
      status: "stored",
      sha256: dto.sha256,
      channelId,
    });

    const send = await t.app.inject({
      method: "POST",
      url: `/api/conversations/${mine}/messages`,
      headers: agent.headers,
      payload: { type: "image", mediaId: dto.id, caption: "Ihr Beleg", clientId: "img-1" },
    });
    expect(send.statusCode).toBe(202);
    const message = send.json<{ id: string; type: string; text: string; media: { id: string }[] }>();
    expect(message).toMatchObject({ type: "image", text: "Ihr Beleg", media: [{ id: dto.id }] });
    // The same clientId again: same message, nothing new.
    const again = await t.app.inject({
      method: "POST",
      url: `/api/conversations/${mine}/messages`,
      headers: agent.headers,
      payload: { type: "image", mediaId: dto.id, caption: "Ihr Beleg", clientId: "img-1" },
    });
    expect(again.json<{ id: string }>().id).toBe(message.id);

    await expect
      .poll(async () => (await t.deps.db.message.findUniqueOrThrow({ where: { id: message.id } })).externalId, {
        timeout: 15_000,
        interval: 100,
      })
      .toMatch(/^wamid\./);
    const uploaded = await t.deps.db.mediaAsset.findUniqueOrThrow({ where: { id: dto.id } });
    expect(uploaded.providerMediaId).toBeTruthy();
    expect(uploaded.messageId).toBe(message.id);
    // The simulator holds exactly our bytes under that id, and accepted the send only because the id exists.
    expect(sim.sim.media.get(uploaded.providerMediaId!)?.bytes.equals(PNG)).toBe(true);
    expect(sim.sim.media.get(uploaded.providerMediaId!)?.mimeType).toBe("image/png");

    // The console can load it through the authorised media route… but not someone without access.
    const file = await t.app.inject({ method: "GET", url: `/api/media/${dto.id}`, headers: agent.headers });
    expect(file.statusCode).toBe(200);
    expect(file.rawPayload.equals(PNG)).toBe(true);
    expect(
      (await t.app.inject({ method: "GET", url: `/api/media/${dto.id}`, headers: other.headers })).statusCode,
    ).toBe(403);

    // An attachment belongs to one message.
    const reuse = await t.app.inject({
      method: "POST",
      url: `/api/conversations/${mine}/messages`,
      headers: agent.headers,
      payload: { type: "image", mediaId: dto.id, clientId: "img-2" },
    });
    expect(reuse.statusCode).toBe(409);
  });

  it("413 for a file over its type's limit, with code and message", async () => {
    const bigImage = Buffer.concat([PNG.subarray(0, 16), Buffer.alloc(5 * MB)]);
    const res = await upload(mine, bigImage, "big.png");
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ code: "payload_too_large", message: expect.stringContaining("5 MB") });
    // Documents: the configured cap (1 MB here).
    const pdf = Buffer.concat([Buffer.from("%PDF-1.7\n"), Buffer.alloc(MB)]);
    const doc = await upload(mine, pdf, "Vertrag.pdf");
    expect(doc.statusCode).toBe(413);
    expect(doc.json()).toMatchObject({ code: "payload_too_large" });
    // Over every limit: the upload stream stops early.
    const huge = await upload(mine, Buffer.concat([Buffer.from("%PDF-1.7\n"), Buffer.alloc(17 * MB)]), "huge.pdf");
    expect(huge.statusCode).toBe(413);
    expect(huge.json()).toMatchObject({ code: "payload_too_large", message: expect.any(String) });
    expect(
      await t.deps.db.mediaAsset.count({ where: { filename: { in: ["big.png", "Vertrag.pdf", "huge.pdf"] } } }),
    ).toBe(0);
  });

  it("415 for content WhatsApp does not take, whatever name and MIME type the client claims", async () => {
    const exe = await upload(
      mine,
      Buffer.from("MZ\x90\x00\x03\x00\x00\x00", "latin1"),
      "rechnung.pdf",
      agent,
      "application/pdf",
    );
    expect(exe.statusCode).toBe(415);
    expect(exe.json()).toMatchObject({ code: "unsupported_media_type", message: expect.any(String) });
    const gif = await upload(mine, Buffer.from("GIF89a\x01\x00\x01\x00", "latin1"), "bild.png", agent, "image/png");
    expect(gif.statusCode).toBe(415);
    const notMultipart = await t.app.inject({
      method: "POST",
      url: `/api/conversations/${mine}/attachments`,
      headers: { ...agent.headers, "content-type": "application/json" },
      payload: { file: "x" },
    });
    expect(notMultipart.statusCode).toBe(415);
  });

  it("403 without access, 404 for unknown conversations, 401 without a session, 403 without the CSRF header", async () => {
    const forbidden = await upload(foreign, PNG, "a.png");
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json()).toMatchObject({ code: "forbidden" });
    expect((await upload(mine, PNG, "a.png", other)).statusCode).toBe(403);
    expect((await upload("00000000-0000-4000-8000-000000000000", PNG, "a.png")).statusCode).toBe(404);
    expect((await upload(mine, PNG, "a.png", null)).statusCode).toBe(401);
    const body = await multipart(PNG, "a.png");
    const noCsrf = await t.app.inject({
      method: "POST",
      url: `/api/conversations/${mine}/attachments`,
      payload: body.payload,
      headers: { cookie: agent.cookie, "content-type": body.contentType },
    });
    expect(noCsrf.statusCode).toBe(403);
    expect(noCsrf.json()).toMatchObject({ code: "csrf_failed" });
  });

  it("media messages follow the free-form rules (refused outside the window) and must fit the stored content", async () => {
    const res = await upload(mine, PNG, "a.png");
    await t.deps.db.conversation.update({
      where: { id: mine },
      data: { lastInboundAt: new Date(Date.now() - 25 * 3600_000) },
    });
    const send = await t.app.inject({
      method: "POST",
      url: `/api/conversations/${mine}/messages`,
      headers: agent.headers,
      payload: { type: "image", mediaId: res.json<{ id: string }>().id, clientId: "late" },
    });
    expect(send.statusCode).toBe(409);
    expect(send.json()).toMatchObject({ code: "window_closed" });
    await t.deps.db.conversation.update({ where: { id: mine }, data: { lastInboundAt: new Date() } });
    // The stored content decides what it may be sent as: a PDF is not an image.
    const pdf = await upload(mine, Buffer.from("%PDF-1.7\n%test\n"), "Vertrag.pdf");
    expect(pdf.json()).toMatchObject({ type: "document", mimeType: "application/pdf", filename: "Vertrag.pdf" });
    const asImage = await t.app.inject({
      method: "POST",
      url: `/api/conversations/${mine}/messages`,
      headers: agent.headers,
      payload: { type: "image", mediaId: pdf.json<{ id: string }>().id, clientId: "pdf-as-image" },
    });
    expect(asImage.statusCode).toBe(415);
    expect(asImage.json()).toMatchObject({ code: "unsupported_media_type" });
  });
});
