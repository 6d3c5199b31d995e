import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "@inbox/logger";
import { createTestApp } from "../test/test-app";

/** `pnpm start` must not bury the first admin's credentials under request logs (issue 16). */
describe("request logs", () => {
  const capture = async (level: string, run: (t: Awaited<ReturnType<typeof createTestApp>>) => Promise<void>) => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(...chunk.toString().split("\n").filter(Boolean));
        done();
      },
    });
    const t = await createTestApp({ log: createLogger({ name: "test", level, destination }) });
    try {
      await run(t);
    } finally {
      await t.close();
    }
    return lines.map((l) => JSON.parse(l) as { level: number; msg: string; statusCode?: number });
  };
  const requests = async (t: Awaited<ReturnType<typeof createTestApp>>) => {
    await t.app.inject({ method: "GET", url: "/healthz" });
    await t.app.inject({ method: "GET", url: "/api/auth/me?x=secret" });
    await t.app.inject({ method: "GET", url: "/no/such/route?q=4917012345" });
  };

  it("writes nothing per request at the default level (info)", async () => {
    const lines = await capture("info", requests);
    expect(lines.filter((l) => /healthz|\/api\/auth\/me|no\/such|request/.test(l.msg))).toEqual([]);
  });

  it("writes one compact line per request at debug, without the query string", async () => {
    const lines = await capture("debug", requests);
    const messages = lines.map((l) => l.msg);
    expect(messages.filter((m) => m.startsWith("GET /healthz "))).toEqual([
      expect.stringMatching(/^GET \/healthz 200 \d+ms$/),
    ]);
    expect(messages).toContainEqual(expect.stringMatching(/^GET \/api\/auth\/me\?\[redacted\] 401 \d+ms$/));
    expect(messages).toContainEqual(expect.stringMatching(/^GET \/no\/such\/route\?\[redacted\] 404 \d+ms$/));
    expect(messages.join("\n")).not.toMatch(/secret|4917012345|incoming request|request completed/);
  });
});
