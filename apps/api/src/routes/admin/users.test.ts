import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, enrolTotp, login, makeUser, type Agent, type TestApp } from "../../test/test-app";

describe("admin users", () => {
  let t: TestApp;
  let admin: Agent;
  beforeAll(async () => {
    t = await createTestApp();
    await makeUser(t, "admin@example.com", "admin");
    await makeUser(t, "agent@example.com", "agent");
    admin = await login(t, "admin@example.com");
  });
  afterAll(async () => t.close());

  const create = (payload: object) =>
    t.app.inject({ method: "POST", url: "/api/admin/users", headers: admin.headers, payload });

  it("stores the name given at creation; without one the e-mail's local part", async () => {
    const named = await create({
      email: "erika@example.com",
      name: "  Erika Beispiel ",
      password: "a long password",
      role: "lead",
    });
    expect(named.statusCode).toBe(201);
    expect(named.json()).toMatchObject({ name: "Erika Beispiel", role: "lead", totpEnabled: false });
    expect((await t.deps.db.user.findUniqueOrThrow({ where: { email: "erika@example.com" } })).name).toBe(
      "Erika Beispiel",
    );
    const unnamed = await create({ email: "max@example.com", password: "a long password", role: "agent" });
    expect(unnamed.json()).toMatchObject({ name: "max" });
    const tooLong = await create({
      email: "l@example.com",
      name: "x".repeat(121),
      password: "a long password",
      role: "agent",
    });
    expect(tooLong.statusCode).toBe(400);
  });

  it("lists who has 2FA; a reset turns it off and ends the user's sessions", async () => {
    const agent = await login(t, "agent@example.com");
    const { session } = await enrolTotp(t, agent);
    const list = await t.app.inject({ method: "GET", url: "/api/admin/users", headers: admin.headers });
    const row = list
      .json<{ items: { id: string; email: string; totpEnabled: boolean }[] }>()
      .items.find((u) => u.email === "agent@example.com")!;
    expect(row.totpEnabled).toBe(true);
    const reset = await t.app.inject({
      method: "POST",
      url: `/api/admin/users/${row.id}/totp/reset`,
      headers: admin.headers,
    });
    expect(reset.statusCode).toBe(204);
    expect((await t.app.inject({ method: "GET", url: "/api/auth/me", headers: session.headers })).statusCode).toBe(401);
    const after = await t.app.inject({ method: "GET", url: "/api/admin/users", headers: admin.headers });
    expect(after.json<{ items: { email: string; totpEnabled: boolean }[] }>().items).toContainEqual(
      expect.objectContaining({ email: "agent@example.com", totpEnabled: false }),
    );
    // Not for agents.
    const byAgent = await t.app.inject({
      method: "POST",
      url: `/api/admin/users/${row.id}/totp/reset`,
      headers: (await login(t, "agent@example.com")).headers,
    });
    expect(byAgent.statusCode).toBe(403);
  });
});
