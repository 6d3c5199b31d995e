import { createHmac, randomBytes } from "node:crypto";
import type { DbTx } from "@inbox/db";
import { AppError } from "../errors/app-error";
import { SUPPRESSION_KEY_CONTEXT, SUPPRESSION_KEY_SETTING } from "../secrets/encrypt-stored-secrets";
import type { SecretBox } from "../secrets/secret-box";

/**
 * The HMAC key for suppression entries: generated once per installation, kept in the settings encrypted with
 * ENCRYPTION_KEY — with the key beside the hashes, a database dump would give the numbers back (phone numbers are
 * few enough to try them all). A key stored in plain text by an older version is read as it is until the start-up
 * step (`encryptStoredSecrets`) encrypts it.
 */
async function loadSuppressionKey(db: DbTx, secrets: SecretBox): Promise<string> {
  const read = (stored: string) =>
    secrets.classify(stored) === "plain" ? stored : secrets.decrypt(stored, SUPPRESSION_KEY_CONTEXT);
  const found = await db.setting.findUnique({ where: { key: SUPPRESSION_KEY_SETTING } });
  if (found && typeof found.value === "string") return read(found.value);
  const value = secrets.encrypt(randomBytes(32).toString("hex"), SUPPRESSION_KEY_CONTEXT);
  await db.setting.upsert({
    where: { key: SUPPRESSION_KEY_SETTING },
    create: { key: SUPPRESSION_KEY_SETTING, value },
    update: {},
  });
  // Two first erasures at once: the one stored first wins, both use it.
  const stored = await db.setting.findUniqueOrThrow({ where: { key: SUPPRESSION_KEY_SETTING } });
  return read(stored.value as string);
}

/** A keyed hash of a phone number (digits only): what a suppression entry keeps instead of the number. */
function hashNumber(key: string, waId: string): string {
  return createHmac("sha256", key).update(waId.replace(/\D/g, "")).digest("hex");
}

/** Keeps an erased number from being messaged again without a new opt-in. */
export async function suppressNumber(db: DbTx, secrets: SecretBox, waId: string, reason: string): Promise<void> {
  const numberHash = hashNumber(await loadSuppressionKey(db, secrets), waId);
  await db.suppression.upsert({ where: { numberHash }, create: { numberHash, reason }, update: {} });
}

/**
 * True when the contact's number was erased on request and nothing since lifts it: a new opt-in (granted consent
 * recorded after the erasure) or the customer writing again (their own request, as after an opt-out).
 */
export async function isContactSuppressed(db: DbTx, secrets: SecretBox, contactId: string): Promise<boolean> {
  // Most installations have no entry at all: one cheap query on the send path.
  if ((await db.suppression.count()) === 0) return false;
  const contact = await db.contact.findUnique({ where: { id: contactId }, select: { waId: true } });
  if (!contact?.waId) return false;
  const entry = await db.suppression.findUnique({
    where: { numberHash: hashNumber(await loadSuppressionKey(db, secrets), contact.waId) },
  });
  if (!entry) return false;
  const [consents, inbound] = await Promise.all([
    db.consent.count({ where: { contactId, status: "granted", occurredAt: { gt: entry.createdAt } } }),
    db.message.count({
      where: { conversation: { contactId }, direction: "inbound", createdAt: { gt: entry.createdAt } },
    }),
  ]);
  return consents === 0 && inbound === 0;
}

/** The outbound policy's suppression check: 409 `suppressed` for an erased number without new consent. */
export async function assertContactNotSuppressed(db: DbTx, secrets: SecretBox, contactId: string): Promise<void> {
  if (await isContactSuppressed(db, secrets, contactId)) {
    throw new AppError(
      "suppressed",
      "This number's data was erased on the customer's request; it may be messaged again only after a new opt-in or a new message from them.",
    );
  }
}
