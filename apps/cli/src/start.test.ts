import { spawn } from "node:child_process";
import { createServer } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@inbox/db/testing";

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
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => {
    await t.drop();
  });

  it("migrates, provisions, prints where to go and the first admin, serves, and stops on one SIGINT", async () => {
    const [port, simulatorPort] = [await freePort(), await freePort()];
    const child = spawn(process.execPath, ["--import", "tsx", "apps/cli/src/main.ts", "start"], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? "",
        HOME: process.env.HOME ?? "",
        DATABASE_URL: t.url,
        PORT: String(port),
        SIMULATOR_PORT: String(simulatorPort),
        PUBLIC_URL: `http://127.0.0.1:${port}`,
        LOG_LEVEL: "warn",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));

    const deadline = Date.now() + 90_000;
    while (!out.includes("Press Ctrl-C to stop") && Date.now() < deadline) {
      if (child.exitCode !== null) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(out).toContain("WhatsApp Inbox is running");
    expect(out).toContain(`Console        http://127.0.0.1:${port}`);
    expect(out).toMatch(/e-mail\s+admin@inbox\.local/);
    const password = /password\s+(\S+)/.exec(out)?.[1];
    expect(password).toBeTruthy();

    const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect(ready.status).toBe(200);
    const page = await fetch(`http://127.0.0.1:${port}/`);
    expect(await page.text()).toContain('<div id="root">');

    const channel = await t.db.channel.findFirstOrThrow({ where: { type: "whatsapp" } });
    expect(channel.dataRegion).toBe("DE");
    expect(await t.db.user.count({ where: { role: "admin" } })).toBe(1);

    child.kill("SIGINT");
    expect(await exited).toBe(0);
  }, 120_000);
});
