/**
 * The api's answers as an attacker meets them: security headers, customer media with a hostile MIME string, bodies
 * sent before a session, websockets from a sandboxed page or in bulk, API docs and source maps in production, and
 * request logs. Each test failed before issue 15's fixes.
 */
import { randomUUID } from "node:crypto";
import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { request as httpRequest, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import S3rver from "s3rver";
import { createMediaStore } from "@inbox/core";
import { createLogger } from "@inbox/logger";
import { createTestApp, login, makeUser, seedConversations, type Agent, type TestApp } from "./test/test-app";

const PRODUCTION = {
  NODE_ENV: "production",
  SESSION_SECRET: "s".repeat(64),
  ENCRYPTION_KEY: "e".repeat(64),
  WHATSAPP_ACCESS_TOKEN: "EAAtest",
  WHATSAPP_APP_SECRET: "app-secret",
  WHATSAPP_VERIFY_TOKEN: "verify-token",
  WHATSAPP_PHONE_NUMBER_ID: "100000000000009",
};

/** A built console's shape: index.html, a bundle and its source map. */
async function fakeConsole(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "console-"));
  await mkdir(path.join(dir, "assets"));
  await writeFile(path.join(dir, "index.html"), '<!doctype html><div id="root"></div>');
  await writeFile(path.join(dir, "assets/app.js"), "console.log(1)");
  await writeFile(path.join(dir, "assets/app.js.map"), '{"version":3,"sources":["src/secret-logic.ts"]}');
  return dir;
}

/** Sends the head of a request announcing a large body, and resolves with the answer — without sending the body. */
async function answerBeforeBody(
  url: string,
  options: { path: string; headers: Record<string, string>; firstBytes: string; contentLength: number },
): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${url}${options.path}`, {
      method: "POST",
      headers: { ...options.headers, "content-length": String(options.contentLength) },
    });
    req.on("response", (res) => {
      resolve(res);
      res.resume();
      req.destroy();
    });
    req.on("error", (error) => (req.destroyed ? undefined : reject(error)));
    req.write(options.firstBytes);
  });
}

describe("the api's answers to an attacker", () => {
  let t: TestApp;
  let consoleDir: string;
  let agent: Agent;
  let sales: Agent;
  let conversationIds: string[];

  beforeAll(async () => {
    consoleDir = await fakeConsole();
    t = await createTestApp({ consoleDir }, { LIVE_MAX_SOCKETS_PER_USER: "2" });
    await makeUser(t, "agent@example.com", "agent", ["Support"]);
    await makeUser(t, "sales@example.com", "agent", ["Sales"]);
    const support = (await t.deps.db.team.findUniqueOrThrow({ where: { name: "Support" } })).id;
    conversationIds = (await seedConversations(t, { count: 1, teamIds: [support] })).ids;
    agent = await login(t, "agent@example.com");
    sales = await login(t, "sales@example.com");
  });
  afterAll(async () => {
    await t.close();
    await rm(consoleDir, { recursive: true, force: true });
  });

  it("sends a CSP without inline script, no framing, nosniff and a same-origin referrer on the console and the API", async () => {
    for (const url of ["/", "/inbox/some-route", "/api/auth/me"]) {
      const res = await t.app.inject({ method: "GET", url });
      const csp = String(res.headers["content-security-policy"]);
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain("unsafe-inline");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("object-src 'none'");
      expect(res.headers["x-frame-options"]).toBe("DENY");
      expect(res.headers["x-content-type-options"]).toBe("nosniff");
      expect(res.headers["referrer-policy"]).toBe("same-origin");
      expect(res.headers["strict-transport-security"]).toBeUndefined(); // plain http here
    }
    const https = await createTestApp({}, { PUBLIC_URL: "https://inbox.example.de" });
    try {
      const res = await https.app.inject({ method: "GET", url: "/api/auth/me" });
      expect(res.headers["strict-transport-security"]).toMatch(/max-age=\d+/);
      expect(String(res.headers["content-security-policy"])).toContain("wss://inbox.example.de");
    } finally {
      await https.close();
    }
  });

  describe("work before a session", () => {
    let url: string;
    beforeAll(async () => {
      await t.app.listen({ port: 0, host: "127.0.0.1" });
      url = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    });

    it("a 4 MB body without a session is refused before it is read", { timeout: 10_000 }, async () => {
      const res = await answerBeforeBody(url, {
        path: `/api/conversations/${conversationIds[0]}/status`,
        headers: { "content-type": "application/json" },
        firstBytes: '{"status":"',
        contentLength: 4 * 1024 * 1024 - 1,
      });
      expect(res.statusCode).toBe(401);
    });

    it(
      "an upload to a conversation the user may not see is refused before the file is read",
      { timeout: 10_000 },
      async () => {
        const res = await answerBeforeBody(url, {
          path: `/api/conversations/${conversationIds[0]}/attachments`,
          headers: {
            ...sales.headers,
            "content-type": "multipart/form-data; boundary=XYZ",
          },
          firstBytes: '--XYZ\r\nContent-Disposition: form-data; name="file"; filename="big.pdf"\r\n\r\n%PDF-1.7\n',
          contentLength: 20 * 1024 * 1024,
        });
        expect(res.statusCode).toBe(403);
      },
    );
  });

  describe("the live websocket", () => {
    it("refuses Origin null (a sandboxed page) with 403, not 500", async () => {
      for (const origin of ["null", "file://", "https://evil.example"]) {
        const res = await t.app.inject({ method: "GET", url: "/api/ws", headers: { cookie: agent.cookie, origin } });
        expect(res.statusCode).toBe(403);
        expect(res.json()).toMatchObject({ code: "forbidden" });
      }
    });

    it("caps the sockets one user may hold", async () => {
      const open = [
        await t.app.injectWS("/api/ws", { headers: { cookie: agent.cookie } }),
        await t.app.injectWS("/api/ws", { headers: { cookie: agent.cookie } }),
      ];
      const third = await t.app.inject({ method: "GET", url: "/api/ws", headers: { cookie: agent.cookie } });
      expect(third.statusCode).toBe(429);
      // Another user is not affected.
      const other = await t.app.injectWS("/api/ws", { headers: { cookie: sales.cookie } });
      for (const socket of [...open, other]) socket.terminate();
    });
  });

  it("logs requests without their query strings: no verify token, no search terms", async () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    // Request lines are written at debug (plugins/request-log.ts).
    const logged = await createTestApp({ log: createLogger({ name: "test", level: "debug", destination }) });
    try {
      await makeUser(logged, "searcher@example.com", "agent");
      const s = await login(logged, "searcher@example.com");
      const token = logged.deps.env.WHATSAPP_VERIFY_TOKEN!;
      const handshake = await logged.app.inject({
        method: "GET",
        url: `/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=${token}&hub.challenge=4711`,
      });
      expect(handshake.body).toBe("4711");
      await logged.app.inject({ method: "GET", url: "/api/conversations?q=4917012345", headers: s.headers });
      await logged.app.inject({ method: "GET", url: "/api/conversations?q=Mustermann", headers: s.headers });
      const all = lines.join("");
      expect(all).toContain("/api/conversations?[redacted]");
      expect(all).not.toContain(token);
      expect(all).not.toContain("4917012345");
      expect(all).not.toContain("Mustermann");
    } finally {
      await logged.close();
    }
  });

  describe("in production", () => {
    let prod: TestApp;
    beforeAll(async () => {
      prod = await createTestApp({ consoleDir }, PRODUCTION);
      await makeUser(prod, "admin@example.com", "admin");
      await makeUser(prod, "agent@example.com", "agent");
    });
    afterAll(async () => prod.close());

    it("shows the API docs to signed-in admins only", async () => {
      const docs = (cookie?: string) =>
        prod.app.inject({ method: "GET", url: "/api/docs/json", headers: cookie ? { cookie } : {} });
      expect((await docs()).statusCode).toBe(401);
      expect((await docs((await login(prod, "agent@example.com")).cookie)).statusCode).toBe(403);
      const ok = await docs((await login(prod, "admin@example.com")).cookie);
      expect(ok.statusCode).toBe(200);
      expect(ok.json()).toMatchObject({ openapi: expect.any(String) });
      // Development keeps them open.
      expect((await t.app.inject({ method: "GET", url: "/api/docs/json" })).statusCode).toBe(200);
    });

    it("serves no source maps", async () => {
      expect((await prod.app.inject({ method: "GET", url: "/assets/app.js" })).statusCode).toBe(200);
      expect((await prod.app.inject({ method: "GET", url: "/assets/app.js.map" })).statusCode).toBe(404);
      expect((await t.app.inject({ method: "GET", url: "/assets/app.js.map" })).statusCode).toBe(200);
    });
  });
});

/**
 * Customer media served to the console, from either media store: whatever MIME string the database holds, the answer
 * carries a type from the fixed allow-list, is downloaded unless it is a picture, voice or video, and is sandboxed.
 */
describe.each(["local", "s3"] as const)("customer media from the %s media store", (store) => {
  let t: TestApp;
  let agent: Agent;
  let conversationId: string;
  let channelId: string;
  let dir: string;
  let s3: S3rver | null = null;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), `media-${store}-`));
    let env: Record<string, string> = { MEDIA_DIR: dir };
    if (store === "s3") {
      s3 = new S3rver({
        port: 0,
        address: "127.0.0.1",
        silent: true,
        directory: dir,
        configureBuckets: [{ name: "media", configs: [] }],
      });
      const address = await s3.run();
      env = {
        MEDIA_STORE: "s3",
        S3_ENDPOINT: `http://127.0.0.1:${address.port}`,
        S3_BUCKET: "media",
        S3_ACCESS_KEY_ID: "S3RVER",
        S3_SECRET_ACCESS_KEY: "S3RVER",
        S3_FORCE_PATH_STYLE: "true",
      };
    }
    t = await createTestApp({}, env);
    await makeUser(t, "agent@example.com", "agent", ["Support"]);
    const support = (await t.deps.db.team.findUniqueOrThrow({ where: { name: "Support" } })).id;
    const seeded = await seedConversations(t, { count: 1, teamIds: [support] });
    conversationId = seeded.ids[0]!;
    channelId = seeded.channel.id;
    agent = await login(t, "agent@example.com");
  });
  afterAll(async () => {
    await t.close();
    await s3?.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** A customer's file as stored, with the MIME string it was stored with. */
  async function storedMedia(mimeType: string, bytes: string, filename: string | null) {
    const stored = await createMediaStore(t.deps.env).put(`test/${randomUUID()}`, Buffer.from(bytes));
    const message = await t.deps.db.message.create({
      data: {
        conversationId,
        channelId,
        direction: "inbound",
        type: "document",
        status: "received",
        externalId: `wamid.media-${randomUUID()}`,
      },
    });
    return t.deps.db.mediaAsset.create({
      data: {
        channelId,
        messageId: message.id,
        mimeType,
        filename,
        storageKey: stored.key,
        sizeBytes: stored.sizeBytes,
        status: "stored",
      },
    });
  }
  const fetchMedia = (id: string) =>
    t.app.inject({ method: "GET", url: `/api/media/${id}`, headers: { cookie: agent.cookie } });

  it("a hostile MIME string is never served: fixed type, attachment, nosniff, sandboxed", async () => {
    const body = "<img src=x onerror=alert(document.domain)>";
    const asset = await storedMedia("text/plain;a=b, text/html", body, "x");
    const res = await fetchMedia(asset.id);
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe(body);
    expect(res.headers["content-type"]).toBe("text/plain");
    expect(res.headers["content-disposition"]).toBe("attachment; filename*=UTF-8''x");
    expect(res.headers["x-content-type-options"]).toBe("nosniff");
    expect(String(res.headers["content-security-policy"])).toMatch(/^sandbox; default-src 'none'/);

    const html = await storedMedia("text/html", "<script>alert(1)</script>", null);
    const asHtml = await fetchMedia(html.id);
    expect(asHtml.headers["content-type"]).toBe("application/octet-stream");
    expect(asHtml.headers["content-disposition"]).toBe("attachment");
  });

  it("pictures, voice and video stay inline for the console; documents are downloaded", async () => {
    const image = await fetchMedia((await storedMedia("image/jpeg", "\xff\xd8\xff", "foto.jpg")).id);
    expect(image.headers["content-type"]).toBe("image/jpeg");
    expect(image.headers["content-disposition"]).toBe("inline; filename*=UTF-8''foto.jpg");
    const voice = await fetchMedia((await storedMedia("audio/ogg; codecs=opus", "OggS", null)).id);
    expect(voice.headers["content-type"]).toBe("audio/ogg");
    expect(voice.headers["content-disposition"]).toBe("inline");
    const pdf = await fetchMedia((await storedMedia("application/pdf", "%PDF-1.7", "Rechnung.pdf")).id);
    expect(pdf.headers["content-disposition"]).toBe("attachment; filename*=UTF-8''Rechnung.pdf");
  });
});
