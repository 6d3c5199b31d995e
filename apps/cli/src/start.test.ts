import { spawn } from "node:child_process";
import { createServer } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, startTestRedisServer, type TestDatabase, type TestRedisServer } from "@inbox/db/testing";
import { isAlive, rolesOf } from "./test/processes";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

describe("pnpm start", () => {
  let t: TestDatabase;
  // A Redis of its own: the product's queues use the fixed prefix "inbox", which other runs on the shared one use too.
  let redis: TestRedisServer;
  beforeAll(async () => {
    t = await createTestDatabase();
    redis = await startTestRedisServer();
  });
  afterAll(async () => {
    await redis.stop();
    await t.drop();
  });

  it("runs api, worker and simulator as supervised processes: restarts a killed one, one SIGINT stops all", async () => {
    const [port, simulatorPort] = [await freePort(), await freePort()];
    // Its own process group, so SIGINT reaches every process as Ctrl-C in a terminal does.
    const child = spawn(process.execPath, ["--import", "tsx", "apps/cli/src/main.ts", "start"], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? "",
        HOME: process.env.HOME ?? "",
        DATABASE_URL: t.url,
        REDIS_URL: redis.url,
        PORT: String(port),
        SIMULATOR_PORT: String(simulatorPort),
        PUBLIC_URL: `http://127.0.0.1:${port}`,
        // The default level: request logs must not bury the banner (issue 16).
        LOG_LEVEL: "info",
      },
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    const api = `http://127.0.0.1:${port}`;

    await expect
      .poll(() => out.includes("Press Ctrl-C to stop") || child.exitCode !== null, { timeout: 120_000 })
      .toBe(true);
    expect(out).toContain("WhatsApp Inbox is running (simulator, api, worker: one process each)");
    expect(out).toContain(`Console        ${api}`);
    expect(out).toContain(`Customer phone http://127.0.0.1:${simulatorPort}/phone`);
    expect(out).toMatch(/e-mail\s+admin@inbox\.local/);
    expect(/password\s+(\S+)/.exec(out)?.[1]).toBeTruthy();
    expect(out).toContain('scroll back to "First admin created"');
    const bannerEnd = out.length;
    // A clean first start: the worker starts after the simulator, so its first template sync reaches it — no warning.
    await expect.poll(() => out.includes('"msg":"templates synced"'), { timeout: 30_000 }).toBe(true);
    expect((out + err).match(/\{"level":(40|50|60),.*/g) ?? []).toEqual([]);
    expect((await fetch(`${api}/readyz`)).status).toBe(200);
    expect(await (await fetch(`${api}/`)).text()).toContain('<div id="root">');
    expect(await t.db.channel.findFirstOrThrow({ where: { type: "whatsapp" } })).toMatchObject({ dataRegion: "DE" });
    expect(await t.db.user.count({ where: { role: "admin" } })).toBe(1);

    const before = rolesOf(child.pid!);
    expect(Object.keys(before).sort()).toEqual(["api", "simulator", "worker"]);

    // A crashed worker is restarted; the others keep running.
    process.kill(before.worker!, "SIGKILL");
    await expect.poll(() => err.includes("The worker is running again"), { timeout: 90_000 }).toBe(true);
    expect(err).toContain("The worker stopped unexpectedly (killed by SIGKILL); restarting it");
    const after = rolesOf(child.pid!);
    expect(after.worker).not.toBe(before.worker);
    expect(after.api).toBe(before.api);
    expect(after.simulator).toBe(before.simulator);

    // The restarted worker works: a customer writes in, an agent answers, the simulator receives the reply.
    const customer = await fetch(`http://127.0.0.1:${simulatorPort}/_customer/messages`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ phone: "+4915112345678", type: "text", text: "Hallo" }),
    });
    expect(customer.status).toBe(200);
    await expect.poll(() => t.db.conversation.count(), { timeout: 15_000 }).toBe(1);
    const password = /password\s+(\S+)/.exec(out)![1]!;
    const login = await fetch(`${api}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "admin@inbox.local", password }),
    });
    expect(login.status).toBe(200);
    // The printed password is good for this one sign-in: the admin sets their own first (a new session token).
    const changed = await fetch(`${api}/api/auth/password`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        cookie: login.headers.getSetCookie().join("; "),
        "x-csrf-token": ((await login.json()) as { csrfToken: string }).csrfToken,
      },
      body: JSON.stringify({ currentPassword: password, newPassword: "a password of my own" }),
    });
    expect(changed.status).toBe(200);
    const { csrfToken } = (await changed.json()) as { csrfToken: string };
    const conversation = await t.db.conversation.findFirstOrThrow();
    const reply = await fetch(`${api}/api/conversations/${conversation.id}/messages`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        cookie: changed.headers.getSetCookie().join("; "),
        "x-csrf-token": csrfToken,
      },
      body: JSON.stringify({ type: "text", text: "Guten Tag", clientId: "reply-1" }),
    });
    expect(reply.status).toBe(202);
    await expect
      .poll(async () => (await t.db.message.findFirst({ where: { clientId: "reply-1" } }))?.externalId, {
        timeout: 30_000,
      })
      .toMatch(/^wamid\./);

    // Sign-in, password change and a reply were requests: none of them was logged at the default level.
    const afterBanner = out.slice(bannerEnd) + err;
    expect(afterBanner).not.toMatch(/incoming request|request completed|\/api\/auth\/login|\/api\/conversations/);

    // One SIGINT to the group (Ctrl-C): everything stops, nothing is left behind.
    process.kill(-child.pid!, "SIGINT");
    expect(await exited).toBe(0);
    await expect.poll(() => Object.values(after).some(isAlive), { timeout: 15_000 }).toBe(false);
  }, 300_000);
});
