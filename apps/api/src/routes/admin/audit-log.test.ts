import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AuditEntryDto } from "@inbox/contracts";
import { createTestApp, login, makeUser, seedConversations, type Agent, type TestApp } from "../../test/test-app";

let t: TestApp;
let admin: Agent;
let agent: Agent;
let adminId: string;

type Page = { items: AuditEntryDto[]; nextCursor: string | null };

beforeAll(async () => {
  t = await createTestApp();
  adminId = (await makeUser(t, "admin@example.de", "admin")).id;
  await makeUser(t, "agent@example.de", "agent");
  admin = await login(t, "admin@example.de");
  agent = await login(t, "agent@example.de");
  await t.app.inject({
    method: "POST",
    url: "/api/auth/login",
    payload: { email: "agent@example.de", password: "wrong password!" },
  });
});
afterAll(() => t.close());

const get = async (query: string, who = admin) =>
  t.app.inject({ method: "GET", url: `/api/admin/audit-log${query}`, headers: who.headers });

describe("GET /api/admin/audit-log", () => {
  it("lists logins and failed logins, filtered by action, actor and since", async () => {
    const logins = (await get("?action=auth.login")).json<Page>();
    expect(logins.items.map((e) => e.action)).toEqual(["auth.login", "auth.login"]);
    expect(logins.items[1]).toMatchObject({ actorType: "user", actorId: adminId, actorName: expect.any(String) });
    expect(logins.items[0]!.target).toMatchObject({ type: "user" });
    const failed = (await get("?action=auth.login_failed")).json<Page>();
    expect(failed.items).toHaveLength(1);
    const auth = (await get("?action=auth.*")).json<Page>();
    expect(auth.items.length).toBeGreaterThanOrEqual(3);
    const mine = (await get(`?actorId=${adminId}`)).json<Page>();
    expect(mine.items.every((e) => e.actorId === adminId)).toBe(true);
    const future = (
      await get(`?since=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)
    ).json<Page>();
    expect(future.items).toEqual([]);
  });

  it("pages with nextCursor, without overlap", async () => {
    const first = (await get("?limit=2")).json<Page>();
    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).not.toBeNull();
    const second = (await get(`?limit=2&cursor=${first.nextCursor}`)).json<Page>();
    expect(second.items[0]!.id).not.toBe(first.items[1]!.id);
    expect(Number(second.items[0]!.id)).toBeLessThan(Number(first.items[1]!.id));
    expect((await get("?cursor=abc")).statusCode).toBe(400);
    expect((await get("?action=DROP TABLE")).statusCode).toBe(400);
  });

  it("is for admins only", async () => {
    expect((await get("", agent)).statusCode).toBe(403);
    expect((await t.app.inject({ method: "GET", url: "/api/admin/audit-log" })).statusCode).toBe(401);
  });

  it("records reading a conversation outside one's teams once an hour, never its content", async () => {
    const { ids } = await seedConversations(t, { count: 1, teamIds: [null] });
    for (let i = 0; i < 2; i++) {
      const res = await t.app.inject({
        method: "GET",
        url: `/api/conversations/${ids[0]}/messages`,
        headers: admin.headers,
      });
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain("Hallo Nummer 0");
    }
    const reads = (await get("?action=conversation.read_outside_teams")).json<Page>();
    expect(reads.items).toHaveLength(1);
    expect(reads.items[0]).toMatchObject({ actorId: adminId, target: { type: "conversation", id: ids[0] } });
    const everything = await t.deps.db.auditLog.findMany();
    expect(JSON.stringify(everything, (_k, v: unknown) => (typeof v === "bigint" ? String(v) : v))).not.toContain(
      "Hallo Nummer",
    );
  });

  it("exports the filtered log as CSV, and audits the export", async () => {
    const res = await t.app.inject({
      method: "GET",
      url: "/api/admin/audit-log.csv?action=auth.login",
      headers: admin.headers,
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^text\/csv/);
    expect(res.headers["content-disposition"]).toContain("audit-log.csv");
    const lines = res.body.trim().split("\n");
    expect(lines[0]).toBe("id,createdAt,action,actorType,actorId,actorName,targetType,targetId,ip,data");
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain(",auth.login,user,");
    // JSON data is quoted with doubled quotes, as CSV wants.
    expect(lines[1]).toMatch(/,"\{.*\}"$|,\{\}$/);
    const exported = (await get("?action=audit_log.exported")).json<Page>();
    expect(exported.items[0]).toMatchObject({ actorId: adminId, data: { rows: 2 } });
    expect(
      (await t.app.inject({ method: "GET", url: "/api/admin/audit-log.csv", headers: agent.headers })).statusCode,
    ).toBe(403);
  });
});

describe("the audit log is append-only in the database", () => {
  it("refuses UPDATE, DELETE and TRUNCATE, but lets a removed user's entries lose their actor", async () => {
    const db = t.deps.db;
    const [entry] = await db.auditLog.findMany({ take: 1 });
    await expect(db.auditLog.update({ where: { id: entry!.id }, data: { action: "forged" } })).rejects.toThrow(
      /append-only/,
    );
    await expect(db.auditLog.delete({ where: { id: entry!.id } })).rejects.toThrow(/append-only/);
    await expect(db.$executeRawUnsafe(`TRUNCATE "AuditLog"`)).rejects.toThrow(/append-only/);
    await expect(db.$executeRawUnsafe(`UPDATE "AuditLog" SET "actorId" = NULL`)).rejects.toThrow(/append-only/);

    const temp = await makeUser(t, "temp@example.de", "agent");
    await login(t, "temp@example.de");
    expect(await db.auditLog.count({ where: { actorId: temp.id } })).toBeGreaterThan(0);
    await db.user.delete({ where: { id: temp.id } });
    expect(await db.auditLog.count({ where: { actorId: temp.id } })).toBe(0);
    expect(await db.auditLog.count({ where: { entityId: temp.id, actorId: null } })).toBeGreaterThan(0);
  });
});
