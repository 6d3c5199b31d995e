import { parseEnv } from "@inbox/config";
import { createTestDatabase, createTestRedisPrefix, TEST_REDIS_URL, type TestDatabase } from "@inbox/db/testing";
import { createRedis, JobQueues } from "@inbox/jobs";
import { createLogger } from "@inbox/logger";
import { createUser } from "@inbox/core";
import { SESSION_COOKIE } from "@inbox/contracts";
import { generate } from "otplib";
import { buildApp } from "../app";
import type { ApiInfra, App } from "../types";

export const PASSWORD = "correct horse battery";

export interface TestApp {
  app: App;
  deps: ApiInfra;
  t: TestDatabase;
  close(): Promise<void>;
}

/** buildApp against a cloned test database and an own Redis key prefix; `env` adds settings (TRUST_PROXY=1, …). */
export async function createTestApp(
  overrides: Partial<ApiInfra> = {},
  env: Record<string, string> = {},
): Promise<TestApp> {
  const t = await createTestDatabase();
  const redis = createRedis(TEST_REDIS_URL);
  const deps: ApiInfra = {
    env: parseEnv({ DATABASE_URL: t.url, LOG_LEVEL: "silent", ...env }),
    db: t.db,
    pgPool: t.pgPool,
    redis,
    queues: new JobQueues(redis, createTestRedisPrefix()),
    log: createLogger({ name: "test", level: "silent", pretty: false }),
    clock: () => new Date(),
    consoleDir: null,
    ...overrides,
  };
  const app = await buildApp(deps);
  return {
    app,
    deps,
    t,
    async close() {
      await app.close();
      redis.disconnect();
      await t.drop();
    },
  };
}

export async function makeUser(t: TestApp, email: string, role: "agent" | "lead" | "admin", teams: string[] = []) {
  return createUser(t.deps.db, { email, password: PASSWORD, role, teams, locale: "en" }, { type: "system" });
}

export interface Agent {
  cookie: string;
  csrf: string;
  headers: Record<string, string>;
  /** A sign-in waiting for its second factor (or for enrolment). */
  isPending?: boolean;
}

/** The session cookie and CSRF headers an answer that (re)issued a session carries. */
export function sessionOf(res: { cookies: { name: string; value: string }[]; json<T>(): T }): Agent {
  const cookie = res.cookies.find((c) => c.name === SESSION_COOKIE);
  if (!cookie) throw new Error("no session cookie in the answer");
  const csrf = res.json<{ csrfToken: string }>().csrfToken;
  const cookieHeader = `${SESSION_COOKIE}=${cookie.value}`;
  return { cookie: cookieHeader, csrf, headers: { cookie: cookieHeader, "x-csrf-token": csrf } };
}

/** Logs in and returns the cookie and CSRF headers for further requests. */
export async function login(t: TestApp, email: string, password = PASSWORD): Promise<Agent> {
  const res = await t.app.inject({ method: "POST", url: "/api/auth/login", payload: { email, password } });
  if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
  return sessionOf(res);
}

/**
 * Turns TOTP on for the signed-in user of `session` (password confirmed, code from the app); returns the secret, the
 * recovery codes and the session under its new cookie.
 */
export async function enrolTotp(
  t: TestApp,
  session: Agent,
  password = PASSWORD,
): Promise<{ secret: string; recoveryCodes: string[]; session: Agent }> {
  const enroll = await t.app.inject({
    method: "POST",
    url: "/api/auth/totp/enroll",
    headers: session.headers,
    payload: session.isPending ? {} : { password },
  });
  if (enroll.statusCode !== 200) throw new Error(`enrol failed: ${enroll.statusCode} ${enroll.body}`);
  const { secret } = enroll.json<{ secret: string }>();
  const confirm = await t.app.inject({
    method: "POST",
    url: "/api/auth/totp/confirm",
    headers: session.headers,
    payload: { code: await generate({ secret, epoch: nowSeconds(t) }) },
  });
  if (confirm.statusCode !== 200) throw new Error(`confirm failed: ${confirm.statusCode} ${confirm.body}`);
  return {
    secret,
    recoveryCodes: confirm.json<{ recoveryCodes: string[] }>().recoveryCodes,
    session: sessionOf(confirm),
  };
}

/** The app's clock in seconds (TOTP epochs). */
export const nowSeconds = (t: TestApp, offsetSeconds = 0) =>
  Math.floor(t.deps.clock().getTime() / 1000) + offsetSeconds;

/** A channel with `count` conversations (one contact each, one inbound message each), spread over teams. */
export async function seedConversations(
  t: TestApp,
  opts: { count: number; teamIds: (string | null)[]; assigneeIds?: (string | null)[]; start?: Date },
) {
  const db = t.deps.db;
  const channel = await db.channel.create({
    data: {
      type: "whatsapp",
      name: "WhatsApp",
      externalId: `1${Math.floor(Math.random() * 1e14)}`,
      displayNumber: "+49 30 1234567",
    },
  });
  const start = opts.start ?? new Date(Date.now() - 3600_000);
  const ids: string[] = [];
  for (let i = 0; i < opts.count; i++) {
    const contact = await db.contact.create({
      data: { channelId: channel.id, waId: `4915100${String(i).padStart(5, "0")}`, displayName: `Kunde ${i}` },
    });
    const at = new Date(start.getTime() + i * 1000);
    const conversation = await db.conversation.create({
      data: {
        channelId: channel.id,
        contactId: contact.id,
        activeContactId: contact.id,
        teamId: opts.teamIds[i % opts.teamIds.length] ?? null,
        assigneeId: opts.assigneeIds ? (opts.assigneeIds[i % opts.assigneeIds.length] ?? null) : null,
        lastMessageAt: at,
        lastInboundAt: at,
        unreadCount: 1,
      },
    });
    await db.message.create({
      data: {
        conversationId: conversation.id,
        channelId: channel.id,
        direction: "inbound",
        type: "text",
        text: `Hallo Nummer ${i}`,
        status: "received",
        externalId: `wamid.${conversation.id}`,
        createdAt: at,
      },
    });
    ids.push(conversation.id);
  }
  return { channel, ids };
}
