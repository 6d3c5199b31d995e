import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseEnv } from "@inbox/config";
import { createTestDatabase, type TestDatabase } from "@inbox/db/testing";
import { userCreateCommand } from "./user-create";

describe("pnpm inbox user create", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
    await t.db.team.create({ data: { name: "Support" } });
  });
  afterAll(async () => t.drop());

  /** The command as `pnpm inbox user create` runs it, against this file's database; returns what it printed. */
  const cli = async (...args: string[]) => {
    let stdout = "";
    await userCreateCommand(args, {
      env: parseEnv({ DATABASE_URL: t.url, LOG_LEVEL: "silent" }),
      print: (text) => (stdout += text),
    });
    return stdout;
  };
  const base = (email: string) => ["--email", email, "--password", "a long password", "--role", "agent"];

  it("puts the user into an existing team, with the name given", async () => {
    const out = await cli(...base("anna@example.com"), "--team", "Support", "--name", "Anna Agent");
    expect(out).toBe("Created agent anna@example.com in team(s) Support.");
    const user = await t.db.user.findUniqueOrThrow({
      where: { email: "anna@example.com" },
      include: { memberships: { include: { team: true } } },
    });
    expect(user.name).toBe("Anna Agent");
    expect(user.memberships.map((m) => m.team.name)).toEqual(["Support"]);
  });

  it("refuses an unknown team with a clear message, creating neither the team nor the user", async () => {
    await expect(cli(...base("typo@example.com"), "--team", "Suport")).rejects.toThrow(
      'No team named "Suport". Existing teams: Support. Check the spelling, or add --create-team to create it.',
    );
    expect(await t.db.team.count({ where: { name: "Suport" } })).toBe(0);
    expect(await t.db.user.count({ where: { email: "typo@example.com" } })).toBe(0);
  });

  it("creates the missing team with --create-team", async () => {
    const out = await cli(...base("sam@example.com"), "--team", "Sales", "--create-team");
    expect(out).toContain("in team(s) Sales");
    expect(await t.db.team.count({ where: { name: "Sales" } })).toBe(1);
    const user = await t.db.user.findUniqueOrThrow({ where: { email: "sam@example.com" } });
    expect(await t.db.teamMembership.count({ where: { userId: user.id } })).toBe(1);
  });

  it("refuses --create-team without --team, and unknown options, with the usage", async () => {
    await expect(cli(...base("x@example.com"), "--create-team")).rejects.toThrow("--create-team needs --team T.");
    await expect(cli(...base("x@example.com"), "--teams", "Support")).rejects.toThrow("Usage: pnpm inbox user create");
  });
});
