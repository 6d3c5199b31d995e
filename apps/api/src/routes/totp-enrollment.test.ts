import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generate } from "otplib";
import { SESSION_COOKIE } from "@inbox/contracts";
import { createTestApp, login, makeUser, nowSeconds, PASSWORD, type Agent, type TestApp } from "../test/test-app";

/** Issue 16: the enrolment screen sent its request twice and created two secrets; enrolment is idempotent now. */
describe("TOTP enrolment is idempotent per session", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    await makeUser(t, "twice@example.com", "agent");
    await makeUser(t, "parallel@example.com", "agent");
    await makeUser(t, "other@example.com", "agent");
    await makeUser(t, "pending@example.com", "agent");
  });
  afterAll(async () => t.close());

  const enroll = (s: Agent, payload: object = { password: PASSWORD }) =>
    t.app.inject({ method: "POST", url: "/api/auth/totp/enroll", headers: s.headers, payload });
  const confirm = async (s: Agent, secret: string) =>
    t.app.inject({
      method: "POST",
      url: "/api/auth/totp/confirm",
      headers: s.headers,
      payload: { code: await generate({ secret, epoch: nowSeconds(t) }) },
    });
  const storedSecret = async (email: string) =>
    (await t.deps.db.user.findUniqueOrThrow({ where: { email } })).totpSecret;

  it("a second enrol from the same session answers the same secret, and that secret confirms", async () => {
    const s = await login(t, "twice@example.com");
    const first = await enroll(s);
    const stored = await storedSecret("twice@example.com");
    const second = await enroll(s);
    expect(first.statusCode).toBe(200);
    expect(second.statusCode).toBe(200);
    expect(second.json<{ secret: string }>().secret).toBe(first.json<{ secret: string }>().secret);
    expect(second.json<{ otpauthUri: string }>().otpauthUri).toBe(first.json<{ otpauthUri: string }>().otpauthUri);
    // Nothing was written the second time.
    expect(await storedSecret("twice@example.com")).toBe(stored);
    const done = await confirm(s, first.json<{ secret: string }>().secret);
    expect(done.statusCode).toBe(200);
    // Once enabled, enrolment is refused (not a silent new secret).
    const cookie = done.cookies.find((c) => c.name === SESSION_COOKIE)!.value;
    const again = await t.app.inject({
      method: "POST",
      url: "/api/auth/totp/enroll",
      headers: { cookie: `${SESSION_COOKIE}=${cookie}`, "x-csrf-token": done.json<{ csrfToken: string }>().csrfToken },
      payload: { password: PASSWORD },
    });
    expect(again.statusCode).toBe(409);
  });

  it("parallel enrols (double click, StrictMode) all answer one secret", async () => {
    const s = await login(t, "parallel@example.com");
    const answers = await Promise.all([enroll(s), enroll(s), enroll(s)]);
    expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 200]);
    const secrets = new Set(answers.map((a) => a.json<{ secret: string }>().secret));
    expect(secrets.size).toBe(1);
    expect((await confirm(s, [...secrets][0]!)).statusCode).toBe(200);
  });

  it("an enrolment started from another session is replaced: its secret no longer confirms", async () => {
    const a = await login(t, "other@example.com");
    const b = await login(t, "other@example.com");
    const fromA = (await enroll(a)).json<{ secret: string }>().secret;
    const fromB = (await enroll(b)).json<{ secret: string }>().secret;
    expect(fromB).not.toBe(fromA);
    expect((await confirm(a, fromA)).statusCode).toBe(401);
    expect((await confirm(b, fromB)).statusCode).toBe(200);
  });

  it("the sign-in that must enrol (no password) is idempotent too", async () => {
    const s = await login(t, "pending@example.com");
    const user = await t.deps.db.user.findUniqueOrThrow({ where: { email: "pending@example.com" } });
    // An unverified session (as when admins require TOTP): enrol needs no password.
    await t.deps.db.session.updateMany({ where: { userId: user.id }, data: { isVerified: false } });
    const first = await enroll(s, {});
    const second = await enroll(s, {});
    expect(first.statusCode).toBe(200);
    expect(second.json<{ secret: string }>().secret).toBe(first.json<{ secret: string }>().secret);
  });
});
