import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inbox } from "./run-inbox.test-helpers";
import { createTestDatabase, type TestDatabase } from "@inbox/db/testing";
import { createSecretBox, verifyPassword } from "@inbox/core";

// Each test runs the CLI as a real process (TypeScript loaded by tsx): slow on a busy machine.
describe("pnpm inbox (CLI)", { timeout: 120_000 }, () => {
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
      // A team that does not exist yet is created only when asked to (user-create.test.ts).
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

  it("migrate with the wrong ENCRYPTION_KEY stops with a clear error instead of reading garbage; with the old key kept it rotates", async () => {
    const oldKey = "c".repeat(64);
    const newKey = "d".repeat(64);
    const old = createSecretBox({ ENCRYPTION_KEY: oldKey });
    const value = old.encrypt("0".repeat(64), "Setting.value:privacy.suppressionKey");
    await t.db.setting.upsert({
      where: { key: "privacy.suppressionKey" },
      create: { key: "privacy.suppressionKey", value },
      update: { value },
    });
    const wrong = inbox(["migrate"], { DATABASE_URL: t.url, ENCRYPTION_KEY: newKey });
    expect(wrong.code).toBe(1);
    expect(wrong.err).toContain(`encrypted with a key that is not configured (key id ${old.keyId})`);
    expect(wrong.err).toMatch(/ENCRYPTION_KEY_PREVIOUS/);
    expect(wrong.err).not.toMatch(/at .*\.ts:\d+/);

    const rotated = inbox(["migrate"], {
      DATABASE_URL: t.url,
      ENCRYPTION_KEY: newKey,
      ENCRYPTION_KEY_PREVIOUS: oldKey,
    });
    expect(rotated.err).toBe("");
    expect(rotated.code).toBe(0);
    expect(rotated.out).toMatch(/1 re-encrypted/);
    const stored = (await t.db.setting.findUniqueOrThrow({ where: { key: "privacy.suppressionKey" } })).value as string;
    expect(createSecretBox({ ENCRYPTION_KEY: newKey }).decrypt(stored, "Setting.value:privacy.suppressionKey")).toBe(
      "0".repeat(64),
    );
  });
});
