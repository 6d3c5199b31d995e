import type { Db } from "@inbox/db";
import type { SecretBox } from "./secret-box";

/** The authenticated context of a user's TOTP secret (its ciphertext decrypts only in this row). */
export const totpSecretContext = (userId: string): string => `User.totpSecret:${userId}`;

export interface StoredSecretsReport {
  /** Plain-text values now encrypted (installations from before encryption). */
  encrypted: number;
  /** Values written with a former key (ENCRYPTION_KEY_PREVIOUS), now with the current one. */
  reencrypted: number;
  /** Key ids of values no configured key can read (those users need a 2FA reset, or the old key back). */
  unreadableKeyIds: string[];
}

/**
 * Brings every stored secret to the current key: encrypts plain-text ones and re-encrypts those of former keys.
 * Idempotent; runs after the migrations at every start and with `pnpm inbox migrate` (the key rotation step).
 * Each row is updated only if it still holds the value read (a concurrent enrolment wins).
 */
export async function encryptStoredSecrets(db: Db, box: SecretBox): Promise<StoredSecretsReport> {
  const report: StoredSecretsReport = { encrypted: 0, reencrypted: 0, unreadableKeyIds: [] };
  const users = await db.user.findMany({
    where: { totpSecret: { not: null } },
    select: { id: true, totpSecret: true },
  });
  for (const user of users) {
    const stored = user.totpSecret!;
    const context = totpSecretContext(user.id);
    const kind = box.classify(stored);
    if (kind === "current") continue;
    if (kind === "unknown") {
      report.unreadableKeyIds.push(stored.split(":")[2] ?? "?");
      continue;
    }
    const plain = kind === "plain" ? stored : box.decrypt(stored, context);
    const { count } = await db.user.updateMany({
      where: { id: user.id, totpSecret: stored },
      data: { totpSecret: box.encrypt(plain, context) },
    });
    if (count) report[kind === "plain" ? "encrypted" : "reencrypted"]++;
  }
  report.unreadableKeyIds = [...new Set(report.unreadableKeyIds)];
  return report;
}
