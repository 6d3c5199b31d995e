import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@inbox/db/testing";
import { verifyPassword } from "@inbox/core";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

function inbox(args: string[], env: Record<string, string>) {
  const result = spawnSync(process.execPath, ["--import", "tsx", "apps/cli/src/main.ts", ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", LOG_LEVEL: "warn", ...env },
    encoding: "utf8",
    timeout: 60_000,
  });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

describe("pnpm inbox (CLI)", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => {
    await t.drop();
  });

  it("start with an unreachable Postgres prints one line naming DATABASE_URL and exits non-zero", () => {
    const r = inbox(["start"], { DATABASE_URL: "postgresql://postgres@127.0.0.1:1/inbox" });
    expect(r.code).toBe(1);
    expect(r.err.trim().split("\n")).toHaveLength(1);
    expect(r.err).toMatch(/Cannot reach Postgres at postgresql:\/\/postgres@127\.0\.0\.1:1\/inbox.*DATABASE_URL/);
  });

  it("start with a bad value names the variable", () => {
    const r = inbox(["start"], { DATABASE_URL: "mysql://nope", PORT: "x" });
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/DATABASE_URL must be a postgresql: or postgres: URL/);
    expect(r.err).toMatch(/PORT must be a number/);
    expect(r.err).not.toMatch(/at .*\.ts:\d+/);
  });

  it("start with an unreachable Redis prints one line naming REDIS_URL and exits non-zero", () => {
    const r = inbox(["start"], { DATABASE_URL: t.url, REDIS_URL: "redis://127.0.0.1:1" });
    expect(r.code).toBe(1);
    expect(r.err.trim().split("\n")).toHaveLength(1);
    expect(r.err).toMatch(/Cannot reach Redis at redis:\/\/127\.0\.0\.1:1.*REDIS_URL/);
  });

  it("user create stores an argon2 hash and refuses a duplicate", async () => {
    const args = [
      "user",
      "create",
      "--email",
      "Lead@Example.de",
      "--password",
      "correct horse battery",
      "--role",
      "lead",
      "--team",
      "Billing",
      "--create-team",
    ];
    const r = inbox(args, { DATABASE_URL: t.url });
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Created lead lead@example\.de in team\(s\) Billing/);
    const user = await t.db.user.findUniqueOrThrow({
      where: { email: "lead@example.de" },
      include: { memberships: { include: { team: true } } },
    });
    expect(user.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(user.passwordHash, "correct horse battery")).toBe(true);
    expect(user.memberships.map((m) => m.team.name)).toEqual(["Billing"]);
    expect(await t.db.auditLog.count({ where: { action: "user.created", entityId: user.id } })).toBe(1);

    const again = inbox(args, { DATABASE_URL: t.url });
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/already exists/);
    const bad = inbox(["user", "create", "--email", "x@y.de", "--password", "pw", "--role", "boss"], {
      DATABASE_URL: t.url,
    });
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/--role must be admin, lead or agent/);
  });

  it("user create refuses an unknown team (a typo) unless --create-team is given", { timeout: 120_000 }, async () => {
    const args = ["user", "create", "--email", "typo@example.de", "--password", "correct horse battery"];
    const r = inbox([...args, "--role", "agent", "--team", "Biling"], { DATABASE_URL: t.url });
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/Unknown team "Biling"\. Existing teams: .*Billing.*--create-team/);
    expect(await t.db.team.count({ where: { name: "Biling" } })).toBe(0);
    expect(await t.db.user.count({ where: { email: "typo@example.de" } })).toBe(0);
    const ok = inbox([...args, "--role", "agent", "--team", "Billing"], { DATABASE_URL: t.url });
    expect(ok.code).toBe(0);
  });
});
