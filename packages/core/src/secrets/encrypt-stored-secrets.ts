import { Prisma, type Db } from "@inbox/db";
import type { SecretBox } from "./secret-box";

/** The authenticated context of a user's TOTP secret (its ciphertext decrypts only in this row). */
export const totpSecretContext = (userId: string): string => `User.totpSecret:${userId}`;

/** The Setting that holds the HMAC key of suppression entries (privacy/suppression.ts), and its context. */
export const SUPPRESSION_KEY_SETTING = "privacy.suppressionKey";
export const SUPPRESSION_KEY_CONTEXT = `Setting.value:${SUPPRESSION_KEY_SETTING}`;

export interface StoredSecretsReport {
  /** Plain-text values now encrypted (installations from before encryption). */
  encrypted: number;
  /** Values written with a former key (ENCRYPTION_KEY_PREVIOUS), now with the current one. */
  reencrypted: number;
  /** Key ids of values no configured key can read (those users need a 2FA reset, or the old key back). */
  unreadableKeyIds: string[];
}

/** One secret stored in the database: where it is, its authenticated context, and a conditional rewrite. */
interface StoredSecret {
  stored: string;
  context: string;
  /** Writes `next` only if the row still holds `stored` (a concurrent change wins); true when written. */
  replace(next: string): Promise<boolean>;
}

/**
 * Every secret the database holds: users' TOTP secrets and the suppression key. (WhatsApp access tokens are not
 * among them: they come from the environment and are never stored.)
 */
async function findStoredSecrets(db: Db): Promise<StoredSecret[]> {
  const users = await db.user.findMany({
    where: { totpSecret: { not: null } },
    select: { id: true, totpSecret: true },
  });
  const secrets: StoredSecret[] = users.map((user) => ({
    stored: user.totpSecret!,
    context: totpSecretContext(user.id),
    replace: async (next) =>
      (await db.user.updateMany({ where: { id: user.id, totpSecret: user.totpSecret }, data: { totpSecret: next } }))
        .count > 0,
  }));
  const key = await db.setting.findUnique({ where: { key: SUPPRESSION_KEY_SETTING } });
  if (key && typeof key.value === "string") {
    const stored = key.value;
    secrets.push({
      stored,
      context: SUPPRESSION_KEY_CONTEXT,
      replace: async (next) =>
        (await db.$executeRaw(Prisma.sql`
          UPDATE "Setting" SET value = to_jsonb(${next}::text), "updatedAt" = (now() AT TIME ZONE 'UTC')
           WHERE key = ${SUPPRESSION_KEY_SETTING} AND value = to_jsonb(${stored}::text)`)) > 0,
    });
  }
  return secrets;
}

/**
 * Brings every stored secret to the current key: encrypts plain-text ones and re-encrypts those of former keys.
 * Idempotent; runs after the migrations at every start and with `pnpm inbox migrate` (the key rotation step).
 * Each row is updated only if it still holds the value read (a concurrent enrolment wins).
 */
export async function encryptStoredSecrets(db: Db, box: SecretBox): Promise<StoredSecretsReport> {
  const report: StoredSecretsReport = { encrypted: 0, reencrypted: 0, unreadableKeyIds: [] };
  for (const secret of await findStoredSecrets(db)) {
    const kind = box.classify(secret.stored);
    if (kind === "current") continue;
    if (kind === "unknown") {
      report.unreadableKeyIds.push(secret.stored.split(":")[2] ?? "?");
      continue;
    }
    const plain = kind === "plain" ? secret.stored : box.decrypt(secret.stored, secret.context);
    if (await secret.replace(box.encrypt(plain, secret.context))) {
      report[kind === "plain" ? "encrypted" : "reencrypted"]++;
    }
  }
  report.unreadableKeyIds = [...new Set(report.unreadableKeyIds)];
  return report;
}
