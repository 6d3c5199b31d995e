import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generate } from "otplib";
import { SESSION_COOKIE } from "@inbox/contracts";
import { createTestApp, login, makeUser, PASSWORD, type Agent, type TestApp } from "../test/test-app";

describe("2FA self-service: enrolment, recovery codes, admin reset", () => {
  let t: TestApp;
  let admin: Agent;
  let agentId: string;
  beforeAll(async () => {
    t = await createTestApp();
    await makeUser(t, "admin@example.com", "admin");
    agentId = (await makeUser(t, "anna@example.com", "agent")).id;
    admin = await login(t, "admin@example.com");
  });
  afterAll(async () => {
    await t?.close();
  });

  const post = (url: string, headers: Record<string, string>, payload: object = {}) =>
    t.app.inject({ method: "POST", url, headers, payload });

  /** Password login without the second factor: the pending session's headers. */
  async function pendingLogin(): Promise<Record<string, string>> {
    const res = await post("/api/auth/login", {}, { email: "anna@example.com", password: PASSWORD });
    expect(res.json()).toMatchObject({ totpRequired: true });
    const cookie = `${SESSION_COOKIE}=${res.cookies.find((c) => c.name === SESSION_COOKIE)!.value}`;
    return { cookie, "x-csrf-token": res.json().csrfToken };
  }

  let codes: string[];
  it("a user turns 2FA on for themselves and gets ten one-time codes without retyping the password", async () => {
    const anna = await login(t, "anna@example.com");
    const { secret } = (await post("/api/auth/totp/enroll", anna.headers)).json();
    const confirmed = await post("/api/auth/totp/confirm", anna.headers, { code: await generate({ secret }) });
    expect(confirmed.json().user.totpEnabled).toBe(true);
    const res = await post("/api/auth/recovery-codes", anna.headers);
    expect(res.statusCode).toBe(200);
    codes = res.json().codes;
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    expect(codes[0]).toMatch(/^[a-z2-9]{5}-[a-z2-9]{5}$/);
    // Stored as hashes only.
    const stored = await t.t.db.totpRecoveryCode.findMany({ where: { userId: agentId } });
    expect(stored.map((s) => s.codeHash)).not.toContain(codes[0]);
    // A new set later needs the password.
    expect((await post("/api/auth/recovery-codes", anna.headers)).json().code).toBe("invalid_credentials");
    expect((await post("/api/auth/recovery-codes", anna.headers, { password: "wrong password!" })).statusCode).toBe(
      401,
    );
  });

  it("signs in with a recovery code once; the same code fails the second time", async () => {
    const pending = await pendingLogin();
    expect((await t.app.inject({ method: "GET", url: "/api/conversations", headers: pending })).statusCode).toBe(401);
    const ok = await post("/api/auth/totp/recovery", pending, { code: codes[0]!.toUpperCase() });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ totpRequired: false });
    expect((await t.app.inject({ method: "GET", url: "/api/auth/recovery-codes", headers: pending })).json()).toEqual({
      remaining: 9,
    });
    const again = await post("/api/auth/totp/recovery", await pendingLogin(), { code: codes[0]! });
    expect(again.statusCode).toBe(401);
    expect(again.json().code).toBe("invalid_credentials");
  });

  it("admins see who has 2FA and reset it: the user's sessions end and the codes are gone", async () => {
    const users = (await t.app.inject({ method: "GET", url: "/api/admin/users", headers: admin.headers })).json().items;
    expect(users.find((u: { id: string }) => u.id === agentId)).toMatchObject({ totpEnabled: true });
    const agentSession = await post("/api/auth/totp/recovery", await pendingLogin(), { code: codes[1]! });
    expect(agentSession.statusCode).toBe(200);

    const forbidden = await post(`/api/admin/users/${agentId}/totp/reset`, { ...(await pendingLogin()) });
    expect(forbidden.statusCode).toBe(401);
    const res = await post(`/api/admin/users/${agentId}/totp/reset`, admin.headers);
    expect(res.statusCode).toBe(204);
    expect(await t.t.db.session.count({ where: { userId: agentId } })).toBe(0);
    expect(await t.t.db.totpRecoveryCode.count({ where: { userId: agentId } })).toBe(0);
    const relogin = await post("/api/auth/login", {}, { email: "anna@example.com", password: PASSWORD });
    expect(relogin.json()).toMatchObject({ totpRequired: false, user: { totpEnabled: false } });
    expect(await t.t.db.auditLog.count({ where: { action: "auth.totp_reset", entityId: agentId } })).toBe(1);
  });
});
