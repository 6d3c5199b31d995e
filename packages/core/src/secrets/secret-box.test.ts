import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@inbox/db/testing";
import { DEV_ENCRYPTION_KEY } from "@inbox/config";
import { createUser } from "../users/create-user";
import { createSecretBox } from "./secret-box";
import {
  encryptStoredSecrets,
  SUPPRESSION_KEY_CONTEXT,
  SUPPRESSION_KEY_SETTING,
  totpSecretContext,
} from "./encrypt-stored-secrets";

const OLD_KEY = "a".repeat(64);
const NEW_KEY = "b".repeat(64);

describe("secrets at rest", () => {
  it("encrypts with a fresh IV each time, decrypts only in its own record, and refuses altered values", () => {
    const box = createSecretBox({ ENCRYPTION_KEY: NEW_KEY });
    const a = box.encrypt("JBSWY3DPEHPK3PXP", "User.totpSecret:1");
    const b = box.encrypt("JBSWY3DPEHPK3PXP", "User.totpSecret:1");
    expect(a).not.toBe(b);
    expect(a).not.toContain("JBSWY3DPEHPK3PXP");
    expect(box.decrypt(a, "User.totpSecret:1")).toBe("JBSWY3DPEHPK3PXP");
    // Copied into another user's row: does not decrypt.
    expect(() => box.decrypt(a, "User.totpSecret:2")).toThrow(/does not decrypt/);
    const parts = a.split(":");
    parts[4] = Buffer.from("XXXXXXXXXXXXXXXX").toString("base64url");
    expect(() => box.decrypt(parts.join(":"), "User.totpSecret:1")).toThrow(/does not decrypt/);
    // Another key cannot read it, and says which key it would need.
    expect(() => createSecretBox({ ENCRYPTION_KEY: OLD_KEY }).decrypt(a, "User.totpSecret:1")).toThrow(
      new RegExp(`key id ${box.keyId}`),
    );
    expect(() => box.decrypt("JBSWY3DPEHPK3PXP", "User.totpSecret:1")).toThrow(/not encrypted/);
  });

  describe("the migration step and key rotation", () => {
    let t: TestDatabase;
    beforeAll(async () => {
      t = await createTestDatabase();
    });
    afterAll(async () => t.drop());

    it("encrypts plain-text secrets, re-encrypts those of a former key, and names keys nobody configured", async () => {
      const mk = (email: string) =>
        createUser(t.db, { email, password: "correct horse battery", role: "agent" }, { type: "system" });
      const plain = await mk("plain@example.com");
      const old = await mk("old@example.com");
      const lost = await mk("lost@example.com");
      // As an installation from before encryption stored it, one written with the old key, one with a lost key.
      await t.db.user.update({ where: { id: plain.id }, data: { totpSecret: "JBSWY3DPEHPK3PXP" } });
      const oldBox = createSecretBox({ ENCRYPTION_KEY: OLD_KEY });
      await t.db.user.update({
        where: { id: old.id },
        data: { totpSecret: oldBox.encrypt("KRSXG5CTMVRXEZLU", totpSecretContext(old.id)) },
      });
      const lostBox = createSecretBox({ ENCRYPTION_KEY: DEV_ENCRYPTION_KEY });
      await t.db.user.update({
        where: { id: lost.id },
        data: { totpSecret: lostBox.encrypt("MFRGGZDFMZTWQ2LK", totpSecretContext(lost.id)) },
      });

      const box = createSecretBox({ ENCRYPTION_KEY: NEW_KEY, ENCRYPTION_KEY_PREVIOUS: [OLD_KEY] });
      expect(await encryptStoredSecrets(t.db, box)).toEqual({
        encrypted: 1,
        reencrypted: 1,
        unreadableKeyIds: [lostBox.keyId],
      });
      const stored = async (id: string) => (await t.db.user.findUniqueOrThrow({ where: { id } })).totpSecret!;
      expect(box.classify(await stored(plain.id))).toBe("current");
      expect(box.classify(await stored(old.id))).toBe("current");
      // The new key alone reads both now: the old one can be dropped.
      const newOnly = createSecretBox({ ENCRYPTION_KEY: NEW_KEY });
      expect(newOnly.decrypt(await stored(plain.id), totpSecretContext(plain.id))).toBe("JBSWY3DPEHPK3PXP");
      expect(newOnly.decrypt(await stored(old.id), totpSecretContext(old.id))).toBe("KRSXG5CTMVRXEZLU");
      // Running it again changes nothing.
      expect(await encryptStoredSecrets(t.db, box)).toEqual({
        encrypted: 0,
        reencrypted: 0,
        unreadableKeyIds: [lostBox.keyId],
      });
    });

    it("encrypts the suppression key stored in plain text by older versions, keeping its value, once", async () => {
      const key = "f".repeat(64);
      await t.db.setting.create({ data: { key: SUPPRESSION_KEY_SETTING, value: key } });
      const box = createSecretBox({ ENCRYPTION_KEY: NEW_KEY });
      const before = await encryptStoredSecrets(t.db, box);
      expect(before.encrypted).toBe(1);
      const raw = await t.db.$queryRawUnsafe<{ value: string }[]>(
        `SELECT value::text AS value FROM "Setting" WHERE key = '${SUPPRESSION_KEY_SETTING}'`,
      );
      expect(raw[0]!.value).not.toContain(key);
      const stored = (await t.db.setting.findUniqueOrThrow({ where: { key: SUPPRESSION_KEY_SETTING } }))
        .value as string;
      expect(box.decrypt(stored, SUPPRESSION_KEY_CONTEXT)).toBe(key);
      // Copied into a TOTP secret's place it does not decrypt: the context is part of the ciphertext.
      expect(() => box.decrypt(stored, totpSecretContext("x"))).toThrow(/does not decrypt/);
      expect((await encryptStoredSecrets(t.db, box)).encrypted).toBe(0);
    });
  });
});
