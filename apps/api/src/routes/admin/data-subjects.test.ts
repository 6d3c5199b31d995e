import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { unzipSync, strFromU8 } from "fflate";
import { parseEnv } from "@inbox/config";
import type { DataSubjectRequestDto } from "@inbox/contracts";
import { createSecretBox, LocalDiskMediaStore } from "@inbox/core";
import { isContactSuppressed, liveBacklogKey, newMediaKey } from "@inbox/core/testing";
import { createTestApp, login, makeUser, type Agent, type TestApp } from "../../test/test-app";

const NUMBER = "4915712345678";
const TEXTS = ["Meine Kundennummer ist 98765", "Danke, Erika Muster"];
const PHOTO = "ERIKA-PHOTO-BYTES";
const OTHER_NUMBER = "4915799999999";
const OTHER_TEXT = "Anderer Kunde geheim";

let t: TestApp;
let admin: Agent;
let adminId: string;
let mediaDir: string;
let store: LocalDiskMediaStore;
let channelId: string;

beforeAll(async () => {
  mediaDir = await mkdtemp(path.join(tmpdir(), "dsr-"));
  store = new LocalDiskMediaStore(mediaDir);
  t = await createTestApp({ env: parseEnv({ LOG_LEVEL: "silent", MEDIA_DIR: mediaDir }) });
  adminId = (await makeUser(t, "admin@example.de", "admin")).id;
  admin = await login(t, "admin@example.de");
  channelId = (
    await t.deps.db.channel.create({ data: { type: "whatsapp", name: "WhatsApp", externalId: "100000000000011" } })
  ).id;
});
afterAll(async () => {
  await t.close();
  await rm(mediaDir, { recursive: true, force: true });
});

/** A customer with a conversation, two messages (one with a photo), a consent with its wording. */
async function customer(waId: string, texts: string[], photo: string, name: string) {
  const db = t.deps.db;
  const contact = await db.contact.create({ data: { channelId, waId, profileName: name } });
  const conversation = await db.conversation.create({
    data: { channelId, contactId: contact.id, activeContactId: contact.id, lastInboundAt: new Date() },
  });
  const messages = [];
  for (const [i, text] of texts.entries()) {
    messages.push(
      await db.message.create({
        data: {
          conversationId: conversation.id,
          channelId,
          direction: i === 0 ? "inbound" : "outbound",
          type: i === 0 ? "image" : "text",
          text,
          status: i === 0 ? "received" : "delivered",
          externalId: `wamid.${waId}.${i}`,
          ...(i === 1 ? { senderId: adminId } : {}),
        },
      }),
    );
  }
  const key = newMediaKey();
  await store.put(key, Buffer.from(photo));
  await db.mediaAsset.create({
    data: { channelId, messageId: messages[0]!.id, mimeType: "image/jpeg", storageKey: key, status: "stored" },
  });
  await db.consent.create({
    data: {
      contactId: contact.id,
      purpose: "marketing",
      status: "granted",
      source: "chat_keyword",
      wordingVersion: 3,
      wordingText: "Ja, ich möchte Angebote per WhatsApp erhalten.",
      evidence: { messageId: messages[0]!.id, keyword: "JA" },
    },
  });
  return { contact, conversation, messages, key };
}

const post = (payload: Record<string, unknown>) =>
  t.app.inject({ method: "POST", url: "/api/admin/data-subject-requests", headers: admin.headers, payload });

/** Every row of every table, as text, that contains `needle`. */
async function tablesContaining(needle: string): Promise<string[]> {
  const tables = await t.deps.db.$queryRawUnsafe<{ name: string }[]>(
    `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
  );
  const hits: string[] = [];
  for (const { name } of tables) {
    const [row] = await t.deps.db.$queryRawUnsafe<{ n: bigint }[]>(
      `SELECT count(*) AS n FROM "${name}" x WHERE x::text LIKE $1`,
      `%${needle}%`,
    );
    if (Number(row!.n) > 0) hits.push(name);
  }
  return hits;
}

async function filesContaining(needle: string): Promise<string[]> {
  const files = (await readdir(mediaDir, { recursive: true, withFileTypes: true })).filter((f) => f.isFile());
  const hits: string[] = [];
  for (const f of files) {
    const full = path.join(f.parentPath, f.name);
    const bytes = await readFile(full);
    if (bytes.includes(needle)) hits.push(full);
    if (bytes[0] === 0x50 && bytes[1] === 0x4b) {
      const unzipped = unzipSync(bytes);
      if (Object.values(unzipped).some((b) => Buffer.from(b).includes(needle))) hits.push(`${full} (zip)`);
    }
  }
  return hits;
}

async function redisContaining(needle: string): Promise<string[]> {
  const redis = t.deps.redis;
  const keys = await redis.keys(`${t.deps.queues.prefix}*`);
  const hits: string[] = [];
  for (const key of keys) {
    const type = await redis.type(key);
    const values =
      type === "hash"
        ? Object.values(await redis.hgetall(key))
        : type === "zset"
          ? await redis.zrange(key, 0, -1)
          : type === "list"
            ? await redis.lrange(key, 0, -1)
            : type === "set"
              ? await redis.smembers(key)
              : type === "string"
                ? [(await redis.get(key)) ?? ""]
                : type === "stream"
                  ? (await redis.xrange(key, "-", "+")).map((e) => JSON.stringify(e))
                  : [];
    if (values.some((v) => v.includes(needle))) hits.push(key);
  }
  return hits;
}

describe("data-subject requests", () => {
  it("exports everything about the contact and nothing about anyone else", async () => {
    const erika = await customer(NUMBER, TEXTS, PHOTO, "Erika Muster");
    await customer(OTHER_NUMBER, [OTHER_TEXT, "Antwort an den anderen"], "OTHER-PHOTO", "Max Anders");
    const created = await post({ contactId: erika.contact.id, type: "export" });
    expect(created.statusCode).toBe(201);
    const request = created.json<DataSubjectRequestDto>();
    expect(request).toMatchObject({ status: "done", type: "export", hasDownload: true });
    const status = await t.app.inject({
      method: "GET",
      url: `/api/admin/data-subject-requests/${request.id}`,
      headers: admin.headers,
    });
    expect(status.json()).toMatchObject({ id: request.id, status: "done", report: { messages: 2, mediaFiles: 1 } });

    const download = await t.app.inject({
      method: "GET",
      url: `/api/admin/data-subject-requests/${request.id}/download`,
      headers: admin.headers,
    });
    expect(download.statusCode).toBe(200);
    expect(download.headers["content-type"]).toBe("application/zip");
    const files = unzipSync(new Uint8Array(download.rawPayload));
    expect(Object.keys(files)).toHaveLength(3);
    expect(Object.keys(files)).toEqual(
      expect.arrayContaining(["index.html", "manifest.json", expect.stringMatching(/^media\//)]),
    );
    const manifest = JSON.parse(strFromU8(files["manifest.json"]!)) as {
      contacts: { waId: string }[];
      consents: { wording: string; evidence: unknown; wordingVersion: number }[];
      messages: { text: string }[];
      media: { file: string }[];
    };
    expect(manifest.contacts.map((c) => c.waId)).toEqual([NUMBER]);
    expect(manifest.messages.map((m) => m.text)).toEqual(TEXTS);
    expect(manifest.consents[0]).toMatchObject({
      wording: "Ja, ich möchte Angebote per WhatsApp erhalten.",
      wordingVersion: 3,
      evidence: { keyword: "JA" },
    });
    expect(strFromU8(files[manifest.media[0]!.file]!)).toBe(PHOTO);
    const html = strFromU8(files["index.html"]!);
    expect(html).toContain(TEXTS[0]);
    const everything = Object.values(files)
      .map((b) => Buffer.from(b).toString("utf8"))
      .join("\n");
    for (const other of [OTHER_NUMBER, OTHER_TEXT, "OTHER-PHOTO", "Max Anders", "admin@example.de"]) {
      expect(everything).not.toContain(other);
    }
    const audit = await t.deps.db.auditLog.findMany({ where: { action: { startsWith: "data_subject." } } });
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining([
        "data_subject.export_requested",
        "data_subject.exported",
        "data_subject.export_downloaded",
      ]),
    );
  });

  it("escapes the readable summary", async () => {
    const contact = await t.deps.db.contact.create({
      data: { channelId, waId: "4915700000001", profileName: "<script>alert(1)</script>" },
    });
    const request = (await post({ contactId: contact.id, type: "export" })).json<DataSubjectRequestDto>();
    const download = await t.app.inject({
      method: "GET",
      url: `/api/admin/data-subject-requests/${request.id}/download`,
      headers: admin.headers,
    });
    const html = strFromU8(unzipSync(new Uint8Array(download.rawPayload))["index.html"]!);
    expect(html).not.toContain("<script>alert(1)");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
  });

  it("refuses erasure under legal hold, then erases every trace and keeps a suppression entry", async () => {
    const db = t.deps.db;
    const erika = await db.contact.findFirstOrThrow({ where: { waId: NUMBER } });
    const conversation = await db.conversation.findFirstOrThrow({ where: { contactId: erika.id } });
    const messageIds = (await db.message.findMany({ where: { conversationId: conversation.id } })).map((m) => m.id);
    // Traces outside the contact's own rows: raw payloads, a status report, an outbox row, a queued job, live backlog.
    await db.webhookEvent.create({
      data: { field: "messages", payload: { contacts: [{ wa_id: NUMBER }], text: TEXTS[0] } },
    });
    await db.messageStatusEvent.create({
      data: {
        channelId,
        externalId: "wamid.unknown",
        status: "delivered",
        occurredAt: new Date(),
        recipientId: NUMBER,
      },
    });
    await db.outboxJob.create({
      // Already handed to the queue (else the api's relay would move it there while the test runs).
      data: { name: "message.send", payload: { messageId: messageIds[1] }, jobId: "dsr-1", dispatchedAt: new Date() },
    });
    await t.deps.queues.add("message.send", { messageId: messageIds[1]! }, { jobId: "dsr-job", delayMs: 3_600_000 });
    await t.deps.redis.zadd(
      liveBacklogKey(t.deps.queues.prefix),
      1,
      JSON.stringify({ seq: 1, events: [{ text: TEXTS[1], waId: NUMBER }] }),
    );
    expect(await redisContaining(messageIds[1]!)).not.toEqual([]);

    const hold = await t.app.inject({
      method: "POST",
      url: "/api/admin/legal-holds",
      headers: admin.headers,
      payload: { conversationId: conversation.id, reason: "Gewährleistung" },
    });
    const refused = await post({ contactId: erika.id, type: "erasure" });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: "legal_hold" });
    expect(await db.message.count({ where: { conversationId: conversation.id } })).toBe(2);
    await t.app.inject({
      method: "DELETE",
      url: `/api/admin/legal-holds/${hold.json<{ id: string }>().id}`,
      headers: admin.headers,
    });

    const erased = await post({ contactId: erika.id, type: "erasure" });
    expect(erased.statusCode).toBe(201);
    expect(erased.json<DataSubjectRequestDto>()).toMatchObject({
      status: "done",
      report: {
        contacts: 1,
        messages: 2,
        mediaFiles: 1,
        webhookPayloads: 1,
        statusReports: 1,
        outboxRows: 1,
        queuedJobs: 1,
        liveEvents: 1,
        suppressed: true,
      },
    });

    for (const needle of [NUMBER, ...TEXTS, "Erika Muster", ...messageIds]) {
      expect(await tablesContaining(needle), needle).toEqual([]);
    }
    for (const needle of [NUMBER, ...TEXTS, PHOTO]) {
      expect(await filesContaining(needle), needle).toEqual([]);
      expect(await redisContaining(needle), needle).toEqual([]);
    }
    for (const id of messageIds) expect(await redisContaining(id), id).toEqual([]);
    // The other customer is untouched.
    const other = await db.contact.findFirstOrThrow({ where: { waId: OTHER_NUMBER } });
    expect(await db.message.count({ where: { conversation: { contactId: other.id } } })).toBe(2);
    expect(await filesContaining("OTHER-PHOTO")).toHaveLength(1);

    // The suppression key beside the hashes is stored encrypted with ENCRYPTION_KEY, never in plain text.
    const key = (await db.setting.findUniqueOrThrow({ where: { key: "privacy.suppressionKey" } })).value as string;
    expect(key).toMatch(/^enc:v1:/);
    expect(createSecretBox(t.deps.env).classify(key)).toBe("current");

    // The number comes back (e.g. an agent imports it): the send is refused until a new opt-in.
    const again = await db.contact.create({ data: { channelId, waId: NUMBER } });
    const conv = await db.conversation.create({
      data: { channelId, contactId: again.id, activeContactId: again.id, lastInboundAt: new Date() },
    });
    const send = await t.app.inject({
      method: "POST",
      url: `/api/conversations/${conv.id}/messages`,
      headers: admin.headers,
      payload: { type: "text", text: "Hallo", clientId: "dsr-send-1" },
    });
    expect(send.statusCode).toBe(409);
    expect(send.json()).toMatchObject({ code: "suppressed" });
    await db.consent.create({
      data: { contactId: again.id, purpose: "service", status: "granted", source: "chat_keyword" },
    });
    expect(await isContactSuppressed(db, createSecretBox(t.deps.env), again.id)).toBe(false);
  });

  it("exports and erases a web chat visitor with its conversation, media and WhatsApp handoffs", async () => {
    const db = t.deps.db;
    const web = await db.channel.create({ data: { type: "webchat", name: "Website", externalId: "widget-dsr" } });
    const visitor = await db.contact.create({
      data: { channelId: web.id, externalId: "visitor-dsr-1", profileName: "Vera Besucherin" },
    });
    const conversation = await db.conversation.create({
      data: { channelId: web.id, contactId: visitor.id, activeContactId: visitor.id, lastInboundAt: new Date() },
    });
    const message = await db.message.create({
      data: {
        conversationId: conversation.id,
        channelId: web.id,
        direction: "inbound",
        type: "image",
        text: "Web-Chat-Geheimnis 4711",
        status: "received",
      },
    });
    const key = newMediaKey();
    await store.put(key, Buffer.from("VERA-PHOTO-BYTES"));
    await db.mediaAsset.create({
      data: { channelId: web.id, messageId: message.id, mimeType: "image/jpeg", storageKey: key, status: "stored" },
    });
    const handoff = await db.whatsAppHandoff.create({
      data: {
        reference: "WC-DSR00001",
        webchatChannelId: web.id,
        whatsappChannelId: channelId,
        webContactId: visitor.id,
        purposes: ["service"],
        wordingVersion: 2,
        wordingText: "Weiter auf WhatsApp: Ja, bitte.",
        evidence: { ip: "203.0.113.77", origin: "https://shop.example" },
        expiresAt: new Date(Date.now() + 3_600_000),
      },
    });

    const exported = (await post({ contactId: visitor.id, type: "export" })).json<DataSubjectRequestDto>();
    expect(exported).toMatchObject({ status: "done" });
    const download = await t.app.inject({
      method: "GET",
      url: `/api/admin/data-subject-requests/${exported.id}/download`,
      headers: admin.headers,
    });
    const files = unzipSync(new Uint8Array(download.rawPayload));
    const manifest = JSON.parse(strFromU8(files["manifest.json"]!)) as {
      contacts: { webchatVisitorId: string }[];
      whatsappHandoffs: { reference: string; wording: string; evidence: unknown }[];
      messages: { text: string }[];
    };
    expect(manifest.contacts[0]!.webchatVisitorId).toBe("visitor-dsr-1");
    expect(manifest.whatsappHandoffs).toEqual([
      expect.objectContaining({ reference: "WC-DSR00001", wording: "Weiter auf WhatsApp: Ja, bitte." }),
    ]);
    expect(manifest.messages.map((m) => m.text)).toEqual(["Web-Chat-Geheimnis 4711"]);

    const erased = await post({ contactId: visitor.id, type: "erasure" });
    expect(erased.json<DataSubjectRequestDto>()).toMatchObject({
      status: "done",
      report: { contacts: 1, messages: 1, mediaFiles: 1, handoffs: 1, suppressed: false },
    });
    for (const needle of ["visitor-dsr-1", "Vera Besucherin", "Web-Chat-Geheimnis", "203.0.113.77", handoff.id]) {
      expect(await tablesContaining(needle), needle).toEqual([]);
    }
    for (const needle of ["VERA-PHOTO-BYTES", "Web-Chat-Geheimnis"]) {
      expect(await filesContaining(needle), needle).toEqual([]);
    }
  });

  it("answers 404 for unknown contacts and requests, 400 for a bad type", async () => {
    expect((await post({ contactId: "00000000-0000-4000-8000-000000000000", type: "export" })).statusCode).toBe(404);
    expect((await post({ contactId: "00000000-0000-4000-8000-000000000000", type: "delete" })).statusCode).toBe(400);
    const missing = await t.app.inject({
      method: "GET",
      url: "/api/admin/data-subject-requests/nope",
      headers: admin.headers,
    });
    expect(missing.statusCode).toBe(404);
  });
});
