/**
 * The real path: signed webhook → api stores it (outbox) → BullMQ → worker `conversation.route` → auto-assignment,
 * plus the worker's routing tick, availability through the API, and two assigners on separate connection pools.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseEnv } from "@inbox/config";
import { assignQueues, createPresence, createQueueAssigner, runRoutingTick, type AssignmentDeps } from "@inbox/core";
import { createDb, createPgPool } from "@inbox/db";
import { startWorker, type RunningWorker } from "@inbox/worker";
import { signPayload } from "@inbox/whatsapp";
import * as fx from "@inbox/whatsapp/fixtures";
import { createTestApp, login, makeUser, type TestApp } from "../test/test-app";

const APP_SECRET = "test-app-secret";
let ta: TestApp;
let worker: RunningWorker;
let seq = 0;
let teamId: string;
const users: Record<string, string> = {};

function textWebhook(from: string, body = "hallo") {
  const p = JSON.parse(JSON.stringify(fx.TEXT_MESSAGE_WEBHOOK));
  const v = p.entry[0].changes[0].value;
  v.messages[0].id = `wamid.flow-${++seq}`;
  v.messages[0].from = from;
  v.messages[0].text.body = body;
  v.contacts[0].wa_id = from;
  return JSON.stringify(p);
}
async function customerWrites(from: string): Promise<string> {
  const body = textWebhook(from);
  const res = await ta.app.inject({
    method: "POST",
    url: "/webhooks/whatsapp",
    payload: body,
    headers: { "content-type": "application/json", "x-hub-signature-256": signPayload(body, APP_SECRET) },
  });
  expect(res.statusCode).toBe(200);
  let id: string | undefined;
  await poll(async () => {
    const c = await ta.t.db.conversation.findFirst({
      where: { contact: { waId: from } },
      select: { id: true, queuedAt: true, assigneeId: true },
    });
    id = c?.id;
    return Boolean(c && (c.queuedAt || c.assigneeId));
  }).toBe(true);
  return id!;
}
const assignment = (): AssignmentDeps => {
  const presence = createPresence(ta.deps.redis, ta.deps.queues.prefix);
  return { db: ta.t.db, onlineUserIds: () => presence.online() };
};
/** The path crosses BullMQ and a 200 ms tick; on a shared machine that can take seconds. */
const poll = <T>(fn: () => Promise<T>) => expect.poll(fn, { timeout: 20_000, interval: 50 });
const conv = (id: string) => ta.t.db.conversation.findUniqueOrThrow({ where: { id } });

beforeAll(async () => {
  ta = await createTestApp({});
  ta.deps.env = parseEnv({ DATABASE_URL: ta.t.url, LOG_LEVEL: "silent", WHATSAPP_APP_SECRET: APP_SECRET });
  await ta.app.close();
  const { buildApp } = await import("../app");
  ta.app = await buildApp(ta.deps);
  teamId = (await ta.t.db.team.create({ data: { name: "Support", assignmentStrategy: "round_robin" } })).id;
  await ta.t.db.channel.create({
    data: { type: "whatsapp", name: "WA", externalId: fx.META_METADATA.phone_number_id, defaultTeamId: teamId },
  });
  for (const name of ["anna", "ben", "carl"]) {
    const u = await makeUser(ta, `${name}@example.test`, "agent");
    users[name] = u.id;
    await ta.t.db.teamMembership.create({ data: { userId: u.id, teamId } });
  }
  worker = await startWorker(
    {
      env: ta.deps.env,
      db: ta.t.db,
      pgPool: ta.t.pgPool,
      redis: ta.deps.redis,
      queues: ta.deps.queues,
      log: ta.deps.log,
      clock: () => new Date(),
    },
    { scheduleTemplateSync: false, sweepEveryMs: 0, wakeSnoozedEveryMs: 0, routingTickEveryMs: 200 },
  );
});
afterAll(async () => {
  await ta.close();
});

describe("webhook → routing → assignment", () => {
  it("assigns to available, present agents under capacity; queues the rest oldest first; an agent going offline gets nothing", async () => {
    const presence = createPresence(ta.deps.redis, ta.deps.queues.prefix);
    await ta.t.db.user.update({
      where: { id: users.anna },
      data: { availability: "available", maxOpenConversations: 1 },
    });
    await ta.t.db.user.update({
      where: { id: users.ben },
      data: { availability: "available", maxOpenConversations: 1 },
    });
    await presence.touch([users.anna!]); // ben is available but has no console open; carl is offline

    const first = await customerWrites("4915100000001");
    const second = await customerWrites("4915100000002");
    const third = await customerWrites("4915100000003");
    await poll(async () => (await conv(first)).assigneeId).toBe(users.anna);
    expect(await conv(second)).toMatchObject({ assigneeId: null, teamId });
    expect((await conv(second)).queuedAt).not.toBeNull();
    expect((await conv(third)).assigneeId).toBeNull();

    // Ben opens the console: the routing tick gives him the one waiting longest.
    await presence.touch([users.ben!]);
    await poll(async () => (await conv(second)).assigneeId).toBe(users.ben);
    expect((await conv(third)).assigneeId).toBeNull();

    // Anna goes offline with a full queue, then resolves her conversation: the freed slot is not hers to fill.
    const anna = await login(ta, "anna@example.test");
    const off = await ta.app.inject({
      method: "PUT",
      url: "/api/me/availability",
      headers: anna.headers,
      payload: { status: "offline" },
    });
    expect(off.json()).toEqual({ status: "offline" });
    await ta.t.db.conversation.update({
      where: { id: first },
      data: { status: "resolved", activeContactId: null, resolvedAt: new Date() },
    });
    const fourth = await customerWrites("4915100000004");
    await poll(async () => (await conv(fourth)).queuedAt).not.toBeNull();
    await runRoutingTick(assignment()); // what the worker does every few seconds: still nobody may take them
    expect((await conv(third)).assigneeId).toBeNull();
    expect((await conv(fourth)).assigneeId).toBeNull();

    // She comes back (her console still open: its heartbeat keeps her present): the oldest waiting conversation is
    // hers at once — assigned by this request, or by a routing tick that holds her row at that moment.
    await presence.touch([users.anna!]);
    const on = await ta.app.inject({
      method: "PUT",
      url: "/api/me/availability",
      headers: anna.headers,
      payload: { status: "available" },
    });
    expect(on.statusCode).toBe(200);
    await poll(async () => (await conv(third)).assigneeId).toBe(users.anna);
    expect((await conv(fourth)).assigneeId).toBeNull();

    // Raising capacity frees a slot: the tick assigns the rest.
    await ta.t.db.user.update({ where: { id: users.ben }, data: { maxOpenConversations: 2 } });
    await poll(async () => (await conv(fourth)).assigneeId).toBe(users.ben);
    expect(
      (
        await ta.app.inject({
          method: "PUT",
          url: "/api/me/availability",
          headers: anna.headers,
          payload: { status: "busy" },
        })
      ).json(),
    ).toMatchObject({ code: "validation_failed" });
  });

  it("a returning customer goes back to the previous agent only when that agent can take the conversation", async () => {
    const presence = createPresence(ta.deps.redis, ta.deps.queues.prefix);
    await ta.t.db.user.updateMany({ data: { maxOpenConversations: null } });
    await ta.t.db.user.updateMany({
      where: { id: { in: [users.anna!, users.ben!] } },
      data: { availability: "available" },
    });
    await presence.touch([users.anna!, users.ben!]);
    const id = await customerWrites("4915100000010");
    await poll(async () => (await conv(id)).assigneeId).not.toBeNull();
    const previous = (await conv(id)).assigneeId!;
    const other = previous === users.anna ? users.ben! : users.anna!;
    const resolve = () =>
      ta.t.db.conversation.update({
        where: { id },
        data: { status: "resolved", activeContactId: null, resolvedAt: new Date() },
      });

    await resolve();
    await customerWrites("4915100000010");
    await poll(async () => (await conv(id)).reopenedAt).toBeNull();
    expect(await conv(id)).toMatchObject({ status: "open", assigneeId: previous, queuedAt: null });

    await resolve();
    await ta.t.db.user.update({ where: { id: previous }, data: { availability: "away" } });
    await customerWrites("4915100000010");
    await poll(async () => (await conv(id)).assigneeId).toBe(other);
    await ta.t.db.user.update({ where: { id: previous }, data: { availability: "available" } });
  });
});

describe("two assigners at once", () => {
  it("never exceed capacity and never assign a conversation twice", async () => {
    await worker.close(); // its routing tick would drain the queue before the two assigners under test
    const db = ta.t.db;
    const team = await db.team.create({
      data: { name: "Rush", assignmentStrategy: "least_loaded", requirePresence: false },
    });
    const channel = await db.channel.findFirstOrThrow();
    const agents: string[] = [];
    for (let i = 0; i < 4; i++) {
      const u = await makeUser(ta, `rush${i}@example.test`, "agent");
      await db.user.update({ where: { id: u.id }, data: { availability: "available", maxOpenConversations: 10 } });
      await db.teamMembership.create({ data: { userId: u.id, teamId: team.id } });
      agents.push(u.id);
    }
    const queuedAt = Date.now() - 60_000;
    for (let i = 0; i < 120; i++) {
      const contact = await db.contact.create({
        data: { channelId: channel.id, waId: `4917000${String(i).padStart(5, "0")}` },
      });
      await db.conversation.create({
        data: {
          channelId: channel.id,
          contactId: contact.id,
          activeContactId: contact.id,
          teamId: team.id,
          queuedAt: new Date(queuedAt + i),
        },
      });
    }
    // Two processes' worth of assigners: each its own connection pool, both draining the same queue at once — one
    // through Prisma, one on a plain pg pool (as the worker runs them).
    const pools = [createDb(ta.t.url, { max: 4 }), createDb(ta.t.url, { max: 4 })];
    const pgPool = createPgPool(ta.t.url, { max: 4 });
    const deps: AssignmentDeps[] = [
      { db: pools[0]!, onlineUserIds: async () => [] },
      { db: pools[1]!, pool: pgPool, onlineUserIds: async () => [] },
    ];
    const results = await Promise.all([
      assignQueues(deps[0]!, [team.id]),
      assignQueues(deps[1]!, [team.id]),
      assignQueues(deps[0]!, [team.id]),
      assignQueues(deps[1]!, [team.id]),
    ]);
    await Promise.all(pools.map((p) => p.$disconnect()));
    await pgPool.end();
    const claimed = results.flat().map((a) => a.conversationId);
    expect(claimed).toHaveLength(40);
    expect(new Set(claimed).size).toBe(40);
    const loads = await db.conversation.groupBy({
      by: ["assigneeId"],
      where: { teamId: team.id, assigneeId: { not: null } },
      _count: true,
    });
    expect(loads.map((l) => l._count).sort()).toEqual([10, 10, 10, 10]);
    // The 40 oldest went first.
    const assigned = await db.conversation.findMany({
      where: { teamId: team.id, assigneeId: { not: null } },
      select: { queuedAt: true },
    });
    expect(Math.max(...assigned.map((c) => c.queuedAt?.getTime() ?? 0))).toBeLessThanOrEqual(queuedAt + 39);
    expect(agents).toHaveLength(4);
  });
  it("two processes' queue assigners under a burst of requests: capacity holds, nothing twice, the oldest first", async () => {
    const db = ta.t.db;
    const team = await db.team.create({
      data: { name: "Burst", assignmentStrategy: "round_robin", requirePresence: false },
    });
    const channel = await db.channel.findFirstOrThrow();
    const agents: string[] = [];
    for (let i = 0; i < 5; i++) {
      const u = await makeUser(ta, `burst${i}@example.test`, "agent");
      await db.user.update({ where: { id: u.id }, data: { availability: "available", maxOpenConversations: 12 } });
      await db.teamMembership.create({ data: { userId: u.id, teamId: team.id } });
      agents.push(u.id);
    }
    // Each process's assigner runs its transactions on its own plain pg pool, as the worker does.
    const pools = [createDb(ta.t.url, { max: 4 }), createDb(ta.t.url, { max: 4 })];
    const pgPools = [createPgPool(ta.t.url, { max: 4 }), createPgPool(ta.t.url, { max: 4 })];
    const assigners = pools.map((p, i) =>
      createQueueAssigner({ db: p, pool: pgPools[i], onlineUserIds: async () => [] }),
    );
    // Conversations keep arriving while both processes' route jobs ask their assigner for the team's queue.
    const base = Date.now() - 60_000;
    const requests: Promise<unknown>[] = [];
    for (let wave = 0; wave < 4; wave++) {
      for (let i = 0; i < 20; i++) {
        const n = wave * 20 + i;
        const contact = await db.contact.create({
          data: { channelId: channel.id, waId: `4917100${String(n).padStart(5, "0")}` },
        });
        await db.conversation.create({
          data: {
            channelId: channel.id,
            contactId: contact.id,
            activeContactId: contact.id,
            teamId: team.id,
            queuedAt: new Date(base + n),
          },
        });
        requests.push(assigners[n % 2]!(team.id));
      }
    }
    await Promise.all(requests);
    await Promise.all(pools.map((p) => p.$disconnect()));
    await Promise.all(pgPools.map((p) => p.end()));
    const assigned = await db.conversation.findMany({
      where: { teamId: team.id, assigneeId: { not: null } },
      select: { id: true, assigneeId: true },
    });
    expect(assigned).toHaveLength(60);
    const loads = new Map<string, number>();
    for (const c of assigned) loads.set(c.assigneeId!, (loads.get(c.assigneeId!) ?? 0) + 1);
    expect([...loads.values()]).toEqual([12, 12, 12, 12, 12]);
    const audits = await db.auditLog.groupBy({
      by: ["entityId"],
      where: { action: "conversation.assignment.auto", entityId: { in: assigned.map((c) => c.id) } },
      _count: true,
    });
    expect(audits.map((a) => a._count)).toEqual(Array(60).fill(1));
    // Those still waiting are the 20 that queued last.
    const waiting = await db.conversation.findMany({
      where: { teamId: team.id, assigneeId: null },
      select: { queuedAt: true },
    });
    expect(waiting).toHaveLength(20);
    expect(Math.min(...waiting.map((c) => c.queuedAt!.getTime()))).toBe(base + 60);
  });
});
