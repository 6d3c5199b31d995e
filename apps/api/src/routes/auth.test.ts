import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generate } from "otplib";
import { SESSION_COOKIE } from "@inbox/contracts";
import { LOGIN_FREE_ATTEMPTS } from "@inbox/core";
import {
  createTestApp,
  enrolTotp,
  login,
  makeUser,
  nowSeconds,
  PASSWORD,
  sessionOf,
  type TestApp,
} from "../test/test-app";

describe("auth routes", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    await makeUser(t, "agent@example.com", "agent", ["Support"]);
    await makeUser(t, "admin@example.com", "admin");
    await makeUser(t, "locked@example.com", "agent");
    await makeUser(t, "totp@example.com", "agent");
  });
  afterAll(async () => t.close());

  it("logs in with the right password: httpOnly signed SameSite cookie, me answers the user and CSRF token", async () => {
    const res = await t.app.inject({
      method: "POST",
      url: "/api/auth/login",
      payload: { email: "Agent@Example.com", password: PASSWORD },
    });
    expect(res.statusCode).toBe(200);
    const cookie = res.cookies.find((c) => c.name === SESSION_COOKIE)!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe("Lax");
    const body = res.json();
    expect(body).toMatchObject({
      user: { email: "agent@example.com", role: "agent" },
      totpRequired: false,
      totpEnrollmentRequired: false,
    });
    // Only the hash is stored.
    const sessions = await t.deps.db.session.findMany();
    expect(sessions.some((s) => s.tokenHash === cookie.value)).toBe(false);
    const me = await t.app.inject({
      method: "GET",
      url: "/api/auth/me",
      headers: { cookie: `${SESSION_COOKIE}=${cookie.value}` },
    });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({
      user: { email: "agent@example.com", teamIds: [expect.any(String)] },
      csrfToken: body.csrfToken,
    });
  });

  it("refuses a wrong password and an unknown user with the same generic 401", async () => {
    const a = await t.app.inject({
      method: "POST",
      url: "/api/auth/login",
      payload: { email: "agent@example.com", password: "wrong password" },
    });
    const b = await t.app.inject({
      method: "POST",
      url: "/api/auth/login",
      payload: { email: "nobody@example.com", password: "wrong password" },
    });
    expect(a.statusCode).toBe(401);
    expect(b.statusCode).toBe(401);
    expect(a.json()).toEqual(b.json());
    expect(a.json()).toMatchObject({ code: "invalid_credentials" });
  });

  it("me without a session, or with a forged cookie, is 401 unauthenticated", async () => {
    expect((await t.app.inject({ method: "GET", url: "/api/auth/me" })).json()).toMatchObject({
      code: "unauthenticated",
    });
    const forged = await t.app.inject({
      method: "GET",
      url: "/api/auth/me",
      headers: { cookie: `${SESSION_COOKIE}=abc.def` },
    });
    expect(forged.statusCode).toBe(401);
  });

  it("makes a source that keeps failing wait, even for the right password, with the same answer as a wrong one", async () => {
    for (let i = 0; i < LOGIN_FREE_ATTEMPTS; i++) {
      await t.app.inject({
        method: "POST",
        url: "/api/auth/login",
        payload: { email: "locked@example.com", password: "wrong password" },
      });
    }
    const res = await t.app.inject({
      method: "POST",
      url: "/api/auth/login",
      payload: { email: "locked@example.com", password: PASSWORD },
    });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ code: "invalid_credentials" });
  });

  it("mutations need the CSRF header; logout ends the session", async () => {
    const s = await login(t, "agent@example.com");
    const noCsrf = await t.app.inject({ method: "POST", url: "/api/auth/logout", headers: { cookie: s.cookie } });
    expect(noCsrf.statusCode).toBe(403);
    expect(noCsrf.json()).toMatchObject({ code: "csrf_failed" });
    const wrong = await t.app.inject({
      method: "POST",
      url: "/api/auth/logout",
      headers: { cookie: s.cookie, "x-csrf-token": "nope" },
    });
    expect(wrong.statusCode).toBe(403);
    const ok = await t.app.inject({ method: "POST", url: "/api/auth/logout", headers: s.headers });
    expect(ok.statusCode).toBe(204);
    expect((await t.app.inject({ method: "GET", url: "/api/auth/me", headers: { cookie: s.cookie } })).statusCode).toBe(
      401,
    );
  });

  it("after an admin reset, only the password change works; it ends other sessions and the old password", async () => {
    const user = await makeUser(t, "reset@example.com", "agent", ["Support"]);
    const admin = await login(t, "admin@example.com");
    const other = await login(t, "reset@example.com");
    const reset = await t.app.inject({
      method: "POST",
      url: `/api/admin/users/${user.id}/password`,
      headers: admin.headers,
      payload: { password: "Temporär-12345" },
    });
    expect(reset.statusCode).toBe(204);
    expect(
      (await t.app.inject({ method: "GET", url: "/api/auth/me", headers: { cookie: other.cookie } })).statusCode,
    ).toBe(401);

    const s = await login(t, "reset@example.com", "Temporär-12345");
    const me = await t.app.inject({ method: "GET", url: "/api/auth/me", headers: { cookie: s.cookie } });
    expect(me.json()).toMatchObject({ user: { mustChangePassword: true } });
    const blocked = await t.app.inject({ method: "GET", url: "/api/conversations", headers: s.headers });
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json()).toMatchObject({ code: "password_change_required" });

    const change = (payload: object) =>
      t.app.inject({ method: "POST", url: "/api/auth/password", headers: s.headers, payload });
    expect(
      (await change({ currentPassword: "falsch-falsch", newPassword: "Mein-neues-Passwort" })).json(),
    ).toMatchObject({ code: "invalid_credentials" });
    expect((await change({ currentPassword: "Temporär-12345", newPassword: "kurz" })).statusCode).toBe(400);
    expect((await change({ currentPassword: "Temporär-12345", newPassword: "Temporär-12345" })).statusCode).toBe(400);
    const second = await login(t, "reset@example.com", "Temporär-12345");
    const ok = await change({ currentPassword: "Temporär-12345", newPassword: "Mein-neues-Passwort" });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ user: { mustChangePassword: false } });
    // This session goes on under a new cookie (the old token is dead); the other one ended; the old password no
    // longer works, the new one does.
    const rotated = `${SESSION_COOKIE}=${ok.cookies.find((c) => c.name === SESSION_COOKIE)!.value}`;
    expect(rotated).not.toBe(s.cookie);
    expect((await t.app.inject({ method: "GET", url: "/api/conversations", headers: s.headers })).statusCode).toBe(401);
    expect(
      (await t.app.inject({ method: "GET", url: "/api/conversations", headers: { cookie: rotated } })).statusCode,
    ).toBe(200);
    expect(
      (await t.app.inject({ method: "GET", url: "/api/auth/me", headers: { cookie: second.cookie } })).statusCode,
    ).toBe(401);
    const old = await t.app.inject({
      method: "POST",
      url: "/api/auth/login",
      payload: { email: "reset@example.com", password: "Temporär-12345" },
    });
    expect(old.statusCode).toBe(401);
    await login(t, "reset@example.com", "Mein-neues-Passwort");
    expect(await t.deps.db.auditLog.count({ where: { action: "auth.password_changed", entityId: user.id } })).toBe(1);
  });

  it("TOTP: enrol, then a login is pending until the code is entered", async () => {
    const s = await login(t, "totp@example.com");
    // A signed-in session confirms with the password (a stolen cookie must not bind the thief's app).
    const withoutPassword = await t.app.inject({ method: "POST", url: "/api/auth/totp/enroll", headers: s.headers });
    expect(withoutPassword.statusCode).toBe(400);
    const enroll = await t.app.inject({
      method: "POST",
      url: "/api/auth/totp/enroll",
      headers: s.headers,
      payload: { password: PASSWORD },
    });
    expect(enroll.statusCode).toBe(200);
    const { secret, otpauthUri, qrCodeDataUrl } = enroll.json<{
      secret: string;
      otpauthUri: string;
      qrCodeDataUrl: string;
    }>();
    expect(otpauthUri).toMatch(/^otpauth:\/\/totp\//);
    expect(qrCodeDataUrl).toMatch(/^data:image\/png;base64,/);
    // Stored encrypted, never as the secret itself.
    const stored = await t.deps.db.user.findUniqueOrThrow({ where: { email: "totp@example.com" } });
    expect(stored.totpSecret).toMatch(/^enc:v1:/);
    expect(stored.totpSecret).not.toContain(secret);
    const bad = await t.app.inject({
      method: "POST",
      url: "/api/auth/totp/confirm",
      headers: s.headers,
      payload: { code: "000000" },
    });
    expect(bad.statusCode).toBe(401);
    const confirm = await t.app.inject({
      method: "POST",
      url: "/api/auth/totp/confirm",
      headers: s.headers,
      payload: { code: await generate({ secret }) },
    });
    expect(confirm.statusCode).toBe(200);
    expect(confirm.json()).toMatchObject({ user: { totpEnabled: true } });

    const pending = await t.app.inject({
      method: "POST",
      url: "/api/auth/login",
      payload: { email: "totp@example.com", password: PASSWORD },
    });
    expect(pending.json()).toMatchObject({ totpRequired: true });
    const cookie = `${SESSION_COOKIE}=${pending.cookies.find((c) => c.name === SESSION_COOKIE)!.value}`;
    const headers = { cookie, "x-csrf-token": pending.json<{ csrfToken: string }>().csrfToken };
    // The pending session cannot use the API yet.
    const blocked = await t.app.inject({ method: "GET", url: "/api/conversations", headers });
    expect(blocked.statusCode).toBe(401);
    expect(
      (await t.app.inject({ method: "POST", url: "/api/auth/totp", headers, payload: { code: "123456" } })).statusCode,
    ).toBe(401);
    // The next time step's code (the enrolment used this step's: a code is good once).
    const done = await t.app.inject({
      method: "POST",
      url: "/api/auth/totp",
      headers,
      payload: { code: await generate({ secret, epoch: nowSeconds(t, 30) }) },
    });
    expect(done.statusCode).toBe(200);
    expect(done.json()).toMatchObject({ totpRequired: false });
    // The second factor rotated the token: the pending cookie is dead, the new one is signed in.
    expect((await t.app.inject({ method: "GET", url: "/api/auth/me", headers })).statusCode).toBe(401);
    const verified = sessionOf(done);
    expect(verified.cookie).not.toBe(cookie);
    expect(verified.csrf).not.toBe(headers["x-csrf-token"]);
    expect(
      (await t.app.inject({ method: "GET", url: "/api/conversations", headers: verified.headers })).statusCode,
    ).toBe(200);
  });

  it("an admin can make TOTP mandatory: a user without it must enrol before anything else", async () => {
    let admin = await login(t, "admin@example.com");
    // Not while the admin has no second factor: that would sign them out for good.
    const refused = await t.app.inject({
      method: "PUT",
      url: "/api/admin/settings/security",
      headers: admin.headers,
      payload: { requireTotp: true },
    });
    expect(refused.statusCode).toBe(409);
    admin = (await enrolTotp(t, admin)).session;
    const set = await t.app.inject({
      method: "PUT",
      url: "/api/admin/settings/security",
      headers: admin.headers,
      payload: { requireTotp: true },
    });
    expect(set.statusCode).toBe(200);
    const res = await t.app.inject({
      method: "POST",
      url: "/api/auth/login",
      payload: { email: "agent@example.com", password: PASSWORD },
    });
    expect(res.json()).toMatchObject({ totpEnrollmentRequired: true, totpRequired: false });
    const cookie = `${SESSION_COOKIE}=${res.cookies.find((c) => c.name === SESSION_COOKIE)!.value}`;
    const headers = { cookie, "x-csrf-token": res.json<{ csrfToken: string }>().csrfToken };
    expect((await t.app.inject({ method: "GET", url: "/api/conversations", headers })).statusCode).toBe(401);
    const enroll = await t.app.inject({ method: "POST", url: "/api/auth/totp/enroll", headers });
    expect(enroll.statusCode).toBe(200);
    await t.app.inject({
      method: "PUT",
      url: "/api/admin/settings/security",
      headers: admin.headers,
      payload: { requireTotp: false },
    });
  });
});
