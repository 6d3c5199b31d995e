import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hash, parseOptions } from "@node-rs/argon2";
import { createTestDatabase, type TestDatabase } from "@inbox/db/testing";
import { createUser } from "../users/create-user";
import { PASSWORD_HASH_OPTIONS } from "../users/password";
import { logIn } from "./log-in";

describe("logIn", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => t.drop());

  it("hashes with argon2id at OWASP's minimum (19 MiB, 2 passes) and replaces a weaker hash at the next sign-in", async () => {
    const user = await createUser(
      t.db,
      { email: "old@example.com", password: "correct horse battery", role: "agent" },
      {
        type: "system",
      },
    );
    expect(parseOptions(user.passwordHash)).toMatchObject({ algorithm: 2, memoryCost: 19_456, timeCost: 2 });
    // An account from before: the library's old defaults (4 MiB, 3 passes).
    const weak = await hash("correct horse battery", { memoryCost: 4_096, timeCost: 3, parallelism: 1 });
    await t.db.user.update({ where: { id: user.id }, data: { passwordHash: weak } });

    await expect(logIn(t.db, { email: "old@example.com", password: "wrong password" })).rejects.toMatchObject({
      code: "invalid_credentials",
    });
    expect((await t.db.user.findUniqueOrThrow({ where: { id: user.id } })).passwordHash).toBe(weak);

    await logIn(t.db, { email: "old@example.com", password: "correct horse battery", ip: "192.0.2.1" });
    const rehashed = (await t.db.user.findUniqueOrThrow({ where: { id: user.id } })).passwordHash;
    expect(rehashed).not.toBe(weak);
    expect(parseOptions(rehashed)).toMatchObject({
      memoryCost: PASSWORD_HASH_OPTIONS.memoryCost,
      timeCost: PASSWORD_HASH_OPTIONS.timeCost,
    });
    // …and the new hash still signs in.
    await logIn(t.db, { email: "old@example.com", password: "correct horse battery", ip: "192.0.2.1" });
  });
});
