/**
 * The sign-in as an attacker tries it: with a known password against the second factor, with forged
 * X-Forwarded-For headers, with bursts of parallel guesses, against someone else's account, and with stolen or old
 * session cookies. Each test failed before issue 15's fixes.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generate } from "otplib";
import { ensureFirstAdmin, LOGIN_FREE_ATTEMPTS, MAX_SESSION_FAILED_CHECKS, TOTP_FREE_FAILURES } from "@inbox/core";
import { startTestRedisServer } from "@inbox/db/testing";
import { createRedis, JobQueues } from "@inbox/jobs";
import {
  createTestApp,
  enrolTotp,
  login,
  makeUser,
  nowSeconds,
  PASSWORD,
  sessionOf,
  type Agent,
  type TestApp,
} from "../test/test-app";

const MINUTE = 60_000;

describe("sign-in under attack", () => {
  let t: TestApp;
  let now = new Date();
  const advance = (ms: number) => (now = new Date(now.getTime() + ms));
  /** A client address of its own per scenario: the per-IP cap (20 a minute) must not mix scenarios up. */
  let lastOctet = 10;
  const newClient = () => `192.0.2.${lastOctet++}`;

  const loginFrom = (remoteAddress: string, email: string, password: string, headers: Record<string, string> = {}) =>
    t.app.inject({ method: "POST", url: "/api/auth/login", remoteAddress, headers, payload: { email, password } });
  const sendCode = (session: Agent, code: string, remoteAddress: string, headers: Record<string, string> = {}) =>
    t.app.inject({
      method: "POST",
      url: "/api/auth/totp",
      remoteAddress,
      headers: { ...session.headers, ...headers },
      payload: { code },
    });
  const me = (session: Agent) =>
    t.app.inject({ method: "GET", url: "/api/auth/me", headers: { cookie: session.cookie } });
  /** A user with TOTP on; returns its secret. The clock moves one TOTP step on, so the next code is a fresh one. */
  const userWithTotp = async (email: string) => {
    await makeUser(t, email, "agent", ["Support"]);
    const { secret, recoveryCodes } = await enrolTotp(t, await login(t, email));
    advance(30_000);
    return { secret, recoveryCodes };
  };
  const pendingLogin = async (email: string, remoteAddress: string) => {
    const res = await loginFrom(remoteAddress, email, PASSWORD);
    expect(res.json()).toMatchObject({ totpRequired: true });
    return { ...sessionOf(res), isPending: true };
  };
  const rightCode = (secret: string) => generate({ secret, epoch: nowSeconds(t) });

  beforeAll(async () => {
    t = await createTestApp({ clock: () => now });
  });
  afterAll(async () => t.close());

  describe("the second factor", () => {
    it("200 guesses on one pending session: it ends after a few, and then even the right code is refused", async () => {
      const { secret } = await userWithTotp("guess@example.com");
      const client = newClient();
      const session = await pendingLogin("guess@example.com", client);
      const answers: string[] = [];
      for (let i = 0; i < 200; i++) {
        // A fresh forged address each time: no help without TRUST_PROXY.
        const res = await sendCode(session, String(i).padStart(6, "0"), client, {
          "x-forwarded-for": `10.9.${i >> 8}.${i & 255}`,
        });
        answers.push(`${res.statusCode} ${res.json<{ code: string }>().code}`);
      }
      expect(answers.slice(0, MAX_SESSION_FAILED_CHECKS)).toEqual(
        Array(MAX_SESSION_FAILED_CHECKS).fill("401 invalid_credentials"),
      );
      expect(new Set(answers.slice(MAX_SESSION_FAILED_CHECKS))).toEqual(new Set(["401 unauthenticated"]));
      const right = await sendCode(session, await rightCode(secret), client);
      expect(right.statusCode).toBe(401);
      expect((await me(session)).statusCode).toBe(401);
    });

    it("new pending sessions do not give new guesses: the account's second factor waits, and a password does not reset it", async () => {
      const { secret } = await userWithTotp("persistent@example.com");
      const client = newClient();
      let failures = 0;
      while (failures < TOTP_FREE_FAILURES) {
        // The password is known to the attacker: every sign-in opens a new pending session.
        const session = await pendingLogin("persistent@example.com", client);
        for (let i = 0; i < MAX_SESSION_FAILED_CHECKS && failures < TOTP_FREE_FAILURES; i++, failures++) {
          expect((await sendCode(session, "000000", client)).statusCode).toBe(401);
        }
      }
      const session = await pendingLogin("persistent@example.com", client);
      const locked = await sendCode(session, await rightCode(secret), client);
      expect(locked.statusCode).toBe(429);
      expect(locked.json()).toMatchObject({ code: "account_locked" });
      // After the wait the owner gets in (a new time step: the code before was not accepted, but is burnt anyway).
      advance(MINUTE + 1_000);
      const owner = await pendingLogin("persistent@example.com", newClient());
      expect((await sendCode(owner, await rightCode(secret), newClient())).statusCode).toBe(200);
    });

    it("a code is good once: the same code on a second session is refused", async () => {
      const { secret } = await userWithTotp("replay@example.com");
      const code = await rightCode(secret);
      const first = await pendingLogin("replay@example.com", newClient());
      const second = await pendingLogin("replay@example.com", newClient());
      expect((await sendCode(first, code, newClient())).statusCode).toBe(200);
      const again = await sendCode(second, code, newClient());
      expect(again.statusCode).toBe(401);
      expect(again.json()).toMatchObject({ code: "invalid_credentials" });
    });

    it("completing the second factor rotates the token: the pending cookie is dead, the new one works", async () => {
      const { secret } = await userWithTotp("rotate@example.com");
      const pending = await pendingLogin("rotate@example.com", newClient());
      const done = await sendCode(pending, await rightCode(secret), newClient());
      expect(done.statusCode).toBe(200);
      const verified = sessionOf(done);
      expect(verified.cookie).not.toBe(pending.cookie);
      expect((await me(pending)).statusCode).toBe(401);
      expect((await me(verified)).json()).toMatchObject({ totpRequired: false, user: { email: "rotate@example.com" } });
    });

    it("a recovery code signs in once; an admin reset turns the second factor off and ends the sessions", async () => {
      const { recoveryCodes } = await userWithTotp("lostphone@example.com");
      expect(recoveryCodes).toHaveLength(10);
      const pending = await pendingLogin("lostphone@example.com", newClient());
      const done = await sendCode(pending, recoveryCodes[0]!, newClient());
      expect(done.statusCode).toBe(200);
      const session = sessionOf(done);
      const left = await t.app.inject({
        method: "GET",
        url: "/api/auth/totp/recovery-codes",
        headers: { cookie: session.cookie },
      });
      expect(left.json()).toEqual({ remaining: 9 });
      const again = await pendingLogin("lostphone@example.com", newClient());
      expect((await sendCode(again, recoveryCodes[0]!, newClient())).statusCode).toBe(401);

      await makeUser(t, "resetter@example.com", "admin");
      const admin = await login(t, "resetter@example.com");
      const user = await t.deps.db.user.findUniqueOrThrow({ where: { email: "lostphone@example.com" } });
      const byAgent = await t.app.inject({
        method: "POST",
        url: `/api/admin/users/${user.id}/totp/reset`,
        headers: session.headers,
      });
      expect(byAgent.statusCode).toBe(403);
      const reset = await t.app.inject({
        method: "POST",
        url: `/api/admin/users/${user.id}/totp/reset`,
        headers: admin.headers,
      });
      expect(reset.statusCode).toBe(204);
      expect((await me(session)).statusCode).toBe(401);
      expect(await t.deps.db.totpRecoveryCode.count({ where: { userId: user.id } })).toBe(0);
      const fresh = await loginFrom(newClient(), "lostphone@example.com", PASSWORD);
      expect(fresh.json()).toMatchObject({ totpRequired: false, user: { totpEnabled: false } });
    });

    it("turning TOTP off with guessed passwords: the stolen session ends after a few, it never learns the password", async () => {
      const { secret } = await userWithTotp("disable@example.com");
      // The thief holds a verified session (a stolen cookie).
      const pending = await pendingLogin("disable@example.com", newClient());
      const stolen = sessionOf(await sendCode(pending, await rightCode(secret), newClient()));
      const client = newClient();
      const answers = new Set<string>();
      for (let i = 0; i < 100; i++) {
        const res = await t.app.inject({
          method: "POST",
          url: "/api/auth/totp/disable",
          remoteAddress: client,
          headers: { ...stolen.headers, "x-forwarded-for": `10.8.0.${i}` },
          payload: { password: `guess-${i}` },
        });
        answers.add(`${res.statusCode} ${res.json<{ code: string }>().code}`);
      }
      expect([...answers].sort()).toEqual(["401 invalid_credentials", "401 unauthenticated"]);
      expect((await me(stolen)).statusCode).toBe(401);
      const user = await t.deps.db.user.findUniqueOrThrow({ where: { email: "disable@example.com" } });
      expect(user.totpEnabledAt).not.toBeNull();
    });
  });

  describe("the password", () => {
    it("40 sign-ins with a changing X-Forwarded-For meet the per-IP limit, and the forged address is recorded nowhere", async () => {
      const client = newClient();
      const statuses: number[] = [];
      for (let i = 1; i <= 40; i++) {
        const res = await loginFrom(client, `nobody${i}@example.com`, "x", { "x-forwarded-for": `198.51.100.${i}` });
        statuses.push(res.statusCode);
      }
      expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
      expect(statuses.slice(20).every((s) => s === 429)).toBe(true);

      await makeUser(t, "spoof@example.com", "agent");
      const ok = await loginFrom(newClient(), "spoof@example.com", PASSWORD, { "x-forwarded-for": "203.0.113.66" });
      expect(ok.statusCode).toBe(200);
      const user = await t.deps.db.user.findUniqueOrThrow({ where: { email: "spoof@example.com" } });
      const [session] = await t.deps.db.session.findMany({ where: { userId: user.id } });
      const [audit] = await t.deps.db.auditLog.findMany({ where: { actorId: user.id, action: "auth.login" } });
      expect(session?.ip).toMatch(/^192\.0\.2\./);
      expect(audit?.ip).toBe(session?.ip);
    });

    it("behind a proxy (TRUST_PROXY=1) the address the proxy appended counts, not what the client wrote", async () => {
      const app = await createTestApp({}, { TRUST_PROXY: "1" });
      try {
        await makeUser(app, "proxied@example.com", "agent");
        // The proxy connects from 127.0.0.1 and appends the client's address to whatever the client sent.
        const viaProxy = (email: string, forged: string) =>
          app.app.inject({
            method: "POST",
            url: "/api/auth/login",
            remoteAddress: "127.0.0.1",
            headers: { "x-forwarded-for": `${forged}, 198.51.100.7` },
            payload: { email, password: email === "proxied@example.com" ? PASSWORD : "x" },
          });
        const ok = await viaProxy("proxied@example.com", "203.0.113.9");
        expect(ok.statusCode).toBe(200);
        expect((await app.deps.db.session.findFirstOrThrow()).ip).toBe("198.51.100.7");
        const statuses: number[] = [];
        for (let i = 1; i <= 40; i++)
          statuses.push((await viaProxy(`nobody${i}@example.com`, `10.1.0.${i}`)).statusCode);
        expect(statuses.slice(19)).toContain(429);
      } finally {
        await app.close();
      }
    });

    it("a parallel burst gets no more than the free attempts checked, and only that source waits", async () => {
      const victim = await makeUser(t, "burst@example.com", "admin");
      const attacker = "2001:db8:77::1";
      // 40 at once, from addresses of one /64 (one subscriber).
      const burst = await Promise.all(
        Array.from({ length: 40 }, (_, i) => loginFrom(`2001:db8:77::${i + 1}`, "burst@example.com", `wrong-${i}`)),
      );
      expect(burst.every((r) => r.statusCode === 401 || r.statusCode === 429)).toBe(true);
      const checked = await t.deps.db.auditLog.count({ where: { actorId: victim.id, action: "auth.login_failed" } });
      expect(checked).toBeLessThanOrEqual(LOGIN_FREE_ATTEMPTS);
      expect(checked).toBeGreaterThan(0);

      // The right password from the attacker's network is refused (its per-IP cap is spent as well).
      advance(1_000);
      expect([401, 429]).toContain((await loginFrom(attacker, "burst@example.com", PASSWORD)).statusCode);

      // The owner, elsewhere, is not locked out by the attacker.
      expect((await loginFrom(newClient(), "burst@example.com", PASSWORD)).statusCode).toBe(200);
    });

    it("a waiting source gets the answer of a wrong password and of an unknown account; waits grow (back-off)", async () => {
      await makeUser(t, "backoff@example.com", "agent");
      await makeUser(t, "known@example.com", "agent");
      const client = newClient();
      for (let i = 0; i < LOGIN_FREE_ATTEMPTS; i++) await loginFrom(client, "backoff@example.com", "wrong");
      // The right password while this source waits 30 s: refused exactly like a wrong one and an unknown account.
      const waiting = await loginFrom(client, "backoff@example.com", PASSWORD);
      const wrong = await loginFrom(newClient(), "known@example.com", "wrong password");
      const unknown = await loginFrom(newClient(), "nobody-at-all@example.com", PASSWORD);
      expect([waiting.statusCode, wrong.statusCode, unknown.statusCode]).toEqual([401, 401, 401]);
      expect(waiting.body).toBe(wrong.body);
      expect(unknown.body).toBe(wrong.body);
      advance(31_000);
      expect((await loginFrom(client, "backoff@example.com", "wrong again")).statusCode).toBe(401); // now 60 s
      advance(31_000);
      expect((await loginFrom(client, "backoff@example.com", PASSWORD)).statusCode).toBe(401);
      advance(30_000);
      expect((await loginFrom(client, "backoff@example.com", PASSWORD)).statusCode).toBe(200);
    });

    it("the first admin's printed password works for one sign-in only: the password change comes first", async () => {
      // A fresh installation of its own (this file's database has users already).
      const fresh = await createTestApp();
      try {
        const admin = await ensureFirstAdmin(fresh.deps.db, fresh.deps.env.FIRST_ADMIN_EMAIL);
        const session = await login(fresh, admin!.email, admin!.password);
        const me = await fresh.app.inject({ method: "GET", url: "/api/auth/me", headers: { cookie: session.cookie } });
        expect(me.json()).toMatchObject({ user: { email: "admin@inbox.local", mustChangePassword: true } });
        const blocked = await fresh.app.inject({ method: "GET", url: "/api/admin/users", headers: session.headers });
        expect(blocked.json()).toMatchObject({ code: "password_change_required" });
      } finally {
        await fresh.close();
      }
    });
  });

  describe("sessions", () => {
    it("end after the idle timeout, and after the absolute lifetime however busy they are", async () => {
      const app = await createTestApp({ clock: () => now }, { SESSION_IDLE_TIMEOUT: "30m", SESSION_MAX_AGE: "2h" });
      try {
        await makeUser(app, "busy@example.com", "agent");
        const use = (s: Agent) => app.app.inject({ method: "GET", url: "/api/conversations", headers: s.headers });
        const busy = await login(app, "busy@example.com");
        const idle = await login(app, "busy@example.com");
        for (let minutes = 20; minutes < 120; minutes += 20) {
          advance(20 * MINUTE);
          expect((await use(busy)).statusCode).toBe(200);
        }
        expect((await use(idle)).statusCode).toBe(401); // idle for 100 minutes
        advance(20 * MINUTE); // two hours after the sign-in
        expect((await use(busy)).statusCode).toBe(401);
      } finally {
        await app.close();
      }
    });

    it("making TOTP mandatory ends the sessions of users without a second factor", async () => {
      await makeUser(t, "nototp@example.com", "agent", ["Support"]);
      const agent = await login(t, "nototp@example.com");
      await makeUser(t, "policy@example.com", "admin");
      const admin = (await enrolTotp(t, await login(t, "policy@example.com"))).session;
      const set = await t.app.inject({
        method: "PUT",
        url: "/api/admin/settings/security",
        headers: admin.headers,
        payload: { requireTotp: true },
      });
      expect(set.statusCode).toBe(200);
      expect(
        (await t.app.inject({ method: "GET", url: "/api/conversations", headers: agent.headers })).statusCode,
      ).toBe(401);
      expect((await me(admin)).statusCode).toBe(200);
      await t.app.inject({
        method: "PUT",
        url: "/api/admin/settings/security",
        headers: admin.headers,
        payload: { requireTotp: false },
      });
    });
  });

  it("while Redis is down, sign-in neither hangs nor loses its limits (they live in Postgres)", async () => {
    const server = await startTestRedisServer();
    const redis = createRedis(server.url);
    redis.on("error", () => undefined);
    const queues = new JobQueues(redis, "down");
    for (const queue of Object.values(queues.queues)) queue.on("error", () => undefined);
    const app = await createTestApp({ redis, queues });
    try {
      await makeUser(app, "outage@example.com", "agent");
      await server.stop();
      const client = "198.51.100.200";
      const attempt = (password: string) =>
        app.app.inject({
          method: "POST",
          url: "/api/auth/login",
          remoteAddress: client,
          payload: { email: "outage@example.com", password },
        });
      for (let i = 0; i < LOGIN_FREE_ATTEMPTS; i++) expect((await attempt("wrong")).statusCode).toBe(401);
      expect((await attempt(PASSWORD)).statusCode).toBe(401);
      expect(await app.deps.db.session.count()).toBe(0);
    } finally {
      await app.close();
      redis.disconnect();
    }
  });
});
