import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { AppError } from "../errors/app-error";

/**
 * Encryption of secrets stored in the database (TOTP secrets; provider tokens when channels store them), with the
 * key from the environment (ENCRYPTION_KEY). AES-256-GCM with a random 96-bit IV; `context` (e.g. the column and the
 * row id) is authenticated, so a value copied into another row does not decrypt. Stored as
 * `enc:v1:<key id>:<iv>:<ciphertext>:<tag>` (base64url): the key id says which key wrote it, so a rotation can keep
 * former keys (ENCRYPTION_KEY_PREVIOUS) for reading while everything is re-encrypted with the current one.
 */
export interface SecretBox {
  encrypt(plain: string, context: string): string;
  decrypt(stored: string, context: string): string;
  /** "current": written with the current key; "previous": with a former key; "plain": not encrypted; "unknown" key. */
  classify(stored: string): "current" | "previous" | "plain" | "unknown";
  /** Id of the current key (safe to print: derived one-way). */
  readonly keyId: string;
}

const PREFIX = "enc:v1:";

interface DerivedKey {
  id: string;
  key: Buffer;
}

function derive(secret: string): DerivedKey {
  const material = Buffer.from(secret, "utf8");
  const salt = Buffer.from("whatsapp-inbox secrets", "utf8");
  const key = Buffer.from(hkdfSync("sha256", material, salt, "aes-256-gcm v1", 32));
  const id = Buffer.from(hkdfSync("sha256", material, salt, "key id v1", 6)).toString("hex");
  return { id, key };
}

function isEncryptedSecret(stored: string): boolean {
  return stored.startsWith(PREFIX);
}

export function createSecretBox(keys: { ENCRYPTION_KEY: string; ENCRYPTION_KEY_PREVIOUS?: string[] }): SecretBox {
  const current = derive(keys.ENCRYPTION_KEY);
  const byId = new Map<string, DerivedKey>([[current.id, current]]);
  for (const previous of keys.ENCRYPTION_KEY_PREVIOUS ?? []) {
    const derived = derive(previous);
    if (!byId.has(derived.id)) byId.set(derived.id, derived);
  }
  const parse = (stored: string) => {
    const parts = stored.slice(PREFIX.length).split(":");
    if (!isEncryptedSecret(stored) || parts.length !== 4) return null;
    const [id, iv, ciphertext, tag] = parts as [string, string, string, string];
    return { id, iv, ciphertext, tag };
  };

  return {
    keyId: current.id,
    encrypt(plain, context) {
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", current.key, iv);
      cipher.setAAD(Buffer.from(context, "utf8"));
      const ciphertext = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
      const b64 = (b: Buffer) => b.toString("base64url");
      return `${PREFIX}${current.id}:${b64(iv)}:${b64(ciphertext)}:${b64(cipher.getAuthTag())}`;
    },
    decrypt(stored, context) {
      const parsed = parse(stored);
      const key = parsed && byId.get(parsed.id);
      if (!parsed || !key) {
        throw new AppError(
          "internal",
          parsed
            ? `A stored secret was encrypted with a key that is not configured (key id ${parsed.id}): set ENCRYPTION_KEY_PREVIOUS to it.`
            : "A stored secret is not encrypted: run `pnpm inbox migrate` to encrypt stored secrets.",
        );
      }
      try {
        const decipher = createDecipheriv("aes-256-gcm", key.key, Buffer.from(parsed.iv, "base64url"));
        decipher.setAAD(Buffer.from(context, "utf8"));
        decipher.setAuthTag(Buffer.from(parsed.tag, "base64url"));
        return Buffer.concat([decipher.update(Buffer.from(parsed.ciphertext, "base64url")), decipher.final()]).toString(
          "utf8",
        );
      } catch {
        throw new AppError("internal", "A stored secret does not decrypt (altered, or moved to another record).");
      }
    },
    classify(stored) {
      if (!isEncryptedSecret(stored)) return "plain";
      const parsed = parse(stored);
      if (!parsed || !byId.has(parsed.id)) return "unknown";
      return parsed.id === current.id ? "current" : "previous";
    },
  };
}
