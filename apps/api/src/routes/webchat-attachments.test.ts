/**
 * A web chat visitor's attachments: POST /webchat/:key/attachments (multipart, after consent; type from the bytes,
 * size per kind from the web chat channel's capabilities, origin and token checks, rate limits), the message stored
 * by the one inbound write path with its media (agents open it via /api/media/:id), an agent's file the visitor
 * fetches with their token (GET /webchat/:key/media/:id), and export/erasure of the uploaded file.
 */
import { randomUUID } from "node:crypto";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { strFromU8, unzipSync } from "fflate";
import type { DataSubjectRequestDto, WebchatChannelDto, WebchatMessageDto, WebchatSessionDto } from "@inbox/contracts";
import { LocalDiskMediaStore, runRetention } from "@inbox/core";
import { createLogger } from "@inbox/logger";
import { createTestApp, login, makeUser, type Agent, type TestApp } from "../test/test-app";
import { WEBCHAT_VISITOR_ATTACHMENT_LIMIT } from "./webchat";

const SHOP = "https://shop.example.de";
const EVIL = "https://evil.example.com";
const MB = 1024 * 1024;
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

/** Every file below `dir` whose bytes contain `needle`. */
async function filesContaining(dir: string, needle: Buffer): Promise<string[]> {
  const hits: string[] = [];
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    const { readFile } = await import("node:fs/promises");
    if ((await readFile(full)).includes(needle)) hits.push(full);
  }
  return hits;
}

describe("web chat attachments", () => {
  let t: TestApp;
  let admin: Agent;
  let channel: WebchatChannelDto;
  let mediaDir: string;

  const startSession = async () => {
    const res = await t.app.inject({
      method: "POST",
      url: `/webchat/${channel.key}/sessions`,
      payload: { language: "de" },
      headers: { origin: SHOP },
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<WebchatSessionDto>();
  };
  const consentedVisitor = async () => {
    const session = await startSession();
    const res = await t.app.inject({
      method: "POST",
      url: `/webchat/${channel.key}/consent`,
      payload: { wordingVersion: session.consent.wording.version, language: "de" },
      headers: { origin: SHOP, authorization: `Bearer ${session.token}` },
    });
    expect(res.statusCode, res.body).toBe(201);
    return session;
  };
  const upload = async (
    token: string,
    bytes: Buffer,
    filename: string,
    options: { origin?: string; clientMessageId?: string; type?: string } = {},
  ) => {
    const body = await multipart(bytes, filename, options.type);
    return t.app.inject({
      method: "POST",
      url: `/webchat/${channel.key}/attachments?clientMessageId=${options.clientMessageId ?? randomUUID()}`,
      payload: body.payload,
      headers: {
        "content-type": body.contentType,
        origin: options.origin ?? SHOP,
        authorization: `Bearer ${token}`,
      },
    });
  };

  beforeAll(async () => {
    mediaDir = await mkdtemp(path.join(tmpdir(), "webchat-attachments-"));
    t = await createTestApp({}, { MEDIA_DIR: mediaDir });
    await makeUser(t, "admin@example.de", "admin");
    admin = await login(t, "admin@example.de");
    const res = await t.app.inject({
      method: "POST",
      url: "/api/admin/webchat-channels",
      headers: admin.headers,
      payload: { name: "Website", settings: { allowedOrigins: [SHOP] } },
    });
    expect(res.statusCode, res.body).toBe(201);
    channel = res.json<WebchatChannelDto>();
  });
  afterAll(async () => {
    await t?.close();
    if (mediaDir) await rm(mediaDir, { recursive: true, force: true });
  });

  it("a visitor's image is stored as their message with its media; the agent opens it; a retry is stored once", async () => {
    const session = await consentedVisitor();
    const clientMessageId = randomUUID();
    // The declared type is a lie the server does not believe: the bytes say PNG.
    const res = await upload(session.token, PNG, "foto.png", { clientMessageId, type: "text/html" });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.headers["access-control-allow-origin"]).toBe(SHOP);
    const message = res.json<WebchatMessageDto>();
    expect(message).toMatchObject({
      direction: "inbound",
      type: "image",
      clientMessageId,
      media: { mimeType: "image/png", filename: "foto.png", sizeBytes: PNG.length },
    });

    const again = await upload(session.token, PNG, "foto.png", { clientMessageId });
    expect(again.statusCode).toBe(200);
    expect(again.json<WebchatMessageDto>().id).toBe(message.id);

    const row = await t.deps.db.message.findUniqueOrThrow({
      where: { id: message.id },
      include: { media: true, conversation: true },
    });
    expect(row).toMatchObject({ direction: "inbound", type: "image", externalId: `webchat.${clientMessageId}` });
    expect(row.media).toHaveLength(1);
    expect(row.media[0]).toMatchObject({ id: message.media!.id, status: "stored", channelId: channel.id });
    expect(row.conversation.unreadCount).toBe(1);
    expect(await t.deps.db.mediaAsset.count({ where: { channelId: channel.id } })).toBe(1);

    // In the console: the message with its media, and the file through the agents' media route.
    const list = await t.app.inject({
      method: "GET",
      url: `/api/conversations/${row.conversationId}/messages`,
      headers: admin.headers,
    });
    expect(list.statusCode, list.body).toBe(200);
    expect(JSON.stringify(list.json())).toContain(message.media!.id);
    const file = await t.app.inject({ method: "GET", url: `/api/media/${message.media!.id}`, headers: admin.headers });
    expect(file.statusCode).toBe(200);
    expect(file.headers["content-type"]).toBe("image/png");
    expect(Buffer.compare(file.rawPayload, PNG)).toBe(0);

    // The visitor gets it back in their thread (resumed session) and can fetch it with their token.
    const resumed = await t.app.inject({
      method: "POST",
      url: `/webchat/${channel.key}/sessions`,
      payload: { language: "de", token: session.token },
      headers: { origin: SHOP },
    });
    expect(resumed.json<WebchatSessionDto>().messages.at(-1)).toMatchObject({
      id: message.id,
      media: { id: message.media!.id },
    });
    const own = await t.app.inject({
      method: "GET",
      url: `/webchat/${channel.key}/media/${message.media!.id}`,
      headers: { origin: SHOP, authorization: `Bearer ${session.token}` },
    });
    expect(own.statusCode).toBe(200);
    expect(own.headers["content-type"]).toBe("image/png");
    expect(own.headers["access-control-allow-origin"]).toBe(SHOP);

    // Another visitor cannot fetch it, nor can a foreign page.
    const stranger = await startSession();
    const foreign = await t.app.inject({
      method: "GET",
      url: `/webchat/${channel.key}/media/${message.media!.id}`,
      headers: { origin: SHOP, authorization: `Bearer ${stranger.token}` },
    });
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json()).toMatchObject({ code: "not_found" });
    const evil = await t.app.inject({
      method: "GET",
      url: `/webchat/${channel.key}/media/${message.media!.id}`,
      headers: { origin: EVIL, authorization: `Bearer ${session.token}` },
    });
    expect(evil.statusCode).toBe(403);
  });

  it("a PDF is a document; wrong content (by its bytes) and oversized files are refused with clear codes", async () => {
    const session = await consentedVisitor();
    const pdf = Buffer.from("%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n");
    const doc = await upload(session.token, pdf, "rechnung.pdf", { type: "application/pdf" });
    expect(doc.statusCode, doc.body).toBe(201);
    expect(doc.json()).toMatchObject({ type: "document", media: { mimeType: "application/pdf" } });

    // HTML declared as an image, named .png: refused by its bytes.
    const html = await upload(session.token, Buffer.from("<html><script>alert(1)</script></html>"), "x.png", {
      type: "image/png",
    });
    expect(html.statusCode).toBe(415);
    expect(html.json()).toMatchObject({ code: "unsupported_media_type", reason: "type" });
    // A zip is no document on web chat.
    const zip = await upload(session.token, Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4]), "a.docx");
    expect(zip.statusCode).toBe(415);

    // An image over the image limit (5 MB), though under the largest upload (documents 10 MB).
    const bigPng = Buffer.concat([PNG, Buffer.alloc(5 * MB)]);
    const big = await upload(session.token, bigPng, "big.png");
    expect(big.statusCode).toBe(413);
    expect(big.json()).toMatchObject({
      code: "payload_too_large",
      reason: "size",
      mediaType: "image",
      maxBytes: 5 * MB,
    });
    // Over every limit: the stream stops reading.
    const huge = await upload(session.token, Buffer.concat([pdf, Buffer.alloc(10 * MB + 1)]), "huge.pdf");
    expect(huge.statusCode).toBe(413);
    expect(huge.json()).toMatchObject({ code: "payload_too_large", reason: "size" });
    // Nothing of the refused files was kept: one message, one file.
    const contact = await t.deps.db.contact.findFirstOrThrow({
      where: {
        channelId: channel.id,
        conversations: { some: { messages: { some: { id: doc.json<WebchatMessageDto>().id } } } },
      },
    });
    expect(await t.deps.db.message.count({ where: { conversation: { contactId: contact.id } } })).toBe(1);
    expect(await t.deps.db.mediaAsset.count({ where: { message: { conversation: { contactId: contact.id } } } })).toBe(
      1,
    );
  });

  it("refuses foreign origins, forged tokens and visitors without consent", async () => {
    const session = await consentedVisitor();
    const evil = await upload(session.token, PNG, "a.png", { origin: EVIL });
    expect(evil.statusCode).toBe(403);
    expect(evil.json()).toMatchObject({ code: "origin_not_allowed" });

    const [payload, signature] = session.token.split(".");
    const forged = `${payload}.${signature!.slice(0, -2)}${signature!.endsWith("AA") ? "BB" : "AA"}`;
    const bad = await upload(forged, PNG, "a.png");
    expect(bad.statusCode).toBe(401);
    expect(bad.json()).toMatchObject({ code: "visitor_token_invalid" });

    const fresh = await startSession();
    const early = await upload(fresh.token, PNG, "a.png");
    expect(early.statusCode).toBe(409);
    expect(early.json()).toMatchObject({ code: "consent_required" });
  });

  it("rate-limits a visitor's uploads (429 rate_limited)", async () => {
    const session = await consentedVisitor();
    const codes: number[] = [];
    for (let i = 0; i < WEBCHAT_VISITOR_ATTACHMENT_LIMIT; i++)
      codes.push((await upload(session.token, PNG, `n${i}.png`)).statusCode);
    expect(codes.every((c) => c === 201)).toBe(true);
    const limited = await upload(session.token, PNG, "one-more.png");
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toMatchObject({ code: "rate_limited" });
  });

  it("an agent's file reaches the visitor: in the thread with its media, fetched with the visitor token", async () => {
    const session = await consentedVisitor();
    const first = await upload(session.token, PNG, "frage.png");
    const conversationId = (
      await t.deps.db.message.findUniqueOrThrow({ where: { id: first.json<WebchatMessageDto>().id } })
    ).conversationId;
    const body = await multipart(PNG, "antwort.png", "image/png");
    const attached = await t.app.inject({
      method: "POST",
      url: `/api/conversations/${conversationId}/attachments`,
      payload: body.payload,
      headers: { ...admin.headers, "content-type": body.contentType },
    });
    expect(attached.statusCode, attached.body).toBe(201);
    const mediaId = attached.json<{ id: string }>().id;
    const sent = await t.app.inject({
      method: "POST",
      url: `/api/conversations/${conversationId}/messages`,
      headers: admin.headers,
      payload: { type: "image", mediaId, clientId: "img-1" },
    });
    expect(sent.statusCode, sent.body).toBe(202);

    const resumed = await t.app.inject({
      method: "POST",
      url: `/webchat/${channel.key}/sessions`,
      payload: { language: "de", token: session.token },
      headers: { origin: SHOP },
    });
    expect(resumed.json<WebchatSessionDto>().messages.at(-1)).toMatchObject({
      direction: "outbound",
      type: "image",
      media: { id: mediaId, mimeType: "image/png", filename: "antwort.png" },
    });
    const file = await t.app.inject({
      method: "GET",
      url: `/webchat/${channel.key}/media/${mediaId}`,
      headers: { origin: SHOP, authorization: `Bearer ${session.token}` },
    });
    expect(file.statusCode).toBe(200);
    expect(Buffer.compare(file.rawPayload, PNG)).toBe(0);
  });

  it("an uploaded file is in the visitor's data export and gone after erasure", async () => {
    const session = await consentedVisitor();
    const marker = Buffer.from("Besucher-Anhang-Geheimnis 0815\n");
    const res = await upload(session.token, marker, "notiz.txt");
    expect(res.statusCode, res.body).toBe(201);
    const contact = await t.deps.db.contact.findFirstOrThrow({
      where: {
        channelId: channel.id,
        conversations: { some: { messages: { some: { id: res.json<WebchatMessageDto>().id } } } },
      },
    });
    const dsr = (payload: object) =>
      t.app.inject({ method: "POST", url: "/api/admin/data-subject-requests", headers: admin.headers, payload });
    const exported = (await dsr({ contactId: contact.id, type: "export" })).json<DataSubjectRequestDto>();
    expect(exported).toMatchObject({ status: "done", report: { mediaFiles: 1 } });
    const download = await t.app.inject({
      method: "GET",
      url: `/api/admin/data-subject-requests/${exported.id}/download`,
      headers: admin.headers,
    });
    const files = unzipSync(new Uint8Array(download.rawPayload));
    const manifest = JSON.parse(strFromU8(files["manifest.json"]!)) as { media: { file: string }[] };
    expect(strFromU8(files[manifest.media[0]!.file]!)).toBe(marker.toString());
    expect((await filesContaining(mediaDir, marker)).length).toBeGreaterThan(0);

    const erased = await dsr({ contactId: contact.id, type: "erasure" });
    expect(erased.json<DataSubjectRequestDto>()).toMatchObject({ status: "done", report: { mediaFiles: 1 } });
    expect(await filesContaining(mediaDir, marker)).toEqual([]);
    expect(await t.deps.db.mediaAsset.count({ where: { messageId: res.json<WebchatMessageDto>().id } })).toBe(0);
  });

  it("retention deletes a visitor's uploaded file like any other media once its policy has passed", async () => {
    const session = await consentedVisitor();
    const marker = Buffer.from("Besucher-Anhang-Aufbewahrung 4242\n");
    const res = await upload(session.token, marker, "alt.txt");
    expect(res.statusCode, res.body).toBe(201);
    const assetId = res.json<WebchatMessageDto>().media!.id;
    expect((await filesContaining(mediaDir, marker)).length).toBe(1);
    // The channel keeps media 30 days; the run happens 31 days later.
    await t.deps.db.retentionPolicy.create({ data: { category: "media", channelId: channel.id, retentionDays: 30 } });
    const later = new Date(Date.now() + 31 * 86_400_000);
    const report = await runRetention(
      {
        db: t.deps.db,
        media: new LocalDiskMediaStore(mediaDir),
        log: createLogger({ name: "t", level: "silent", pretty: false }),
        clock: () => later,
      },
      { dryRun: false },
    );
    expect(report.lines.find((l) => l.category === "media")).toMatchObject({ deleted: expect.any(Number) });
    expect(await t.deps.db.mediaAsset.findUnique({ where: { id: assetId } })).toBeNull();
    expect(await filesContaining(mediaDir, marker)).toEqual([]);
  });
});
