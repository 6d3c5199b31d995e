import { createHash, createHmac, timingSafeEqual } from "node:crypto";

export const SIGNATURE_HEADER = "x-hub-signature-256";

/** `sha256=<64 lowercase hex>`: HMAC-SHA256 of the raw body keyed with the app secret (X-Hub-Signature-256). */
export function signPayload(rawBody: Buffer | string, appSecret: string): string {
  return `sha256=${createHmac("sha256", appSecret).update(rawBody).digest("hex")}`;
}

/**
 * Checks an X-Hub-Signature-256 header against the raw bytes as received (never re-serialised JSON).
 * Constant-time comparison; a missing, malformed or wrong-length header is simply false.
 */
export function verifySignature(
  rawBody: Buffer | string,
  header: string | string[] | undefined | null,
  appSecret: string,
): boolean {
  if (typeof header !== "string" || !appSecret) return false;
  const expected = Buffer.from(signPayload(rawBody, appSecret), "utf8");
  const given = Buffer.from(header.trim().toLowerCase(), "utf8");
  if (given.length !== expected.length) return false;
  return timingSafeEqual(given, expected);
}

/**
 * The webhook handshake's `hub.verify_token` against the configured one, in constant time: both are hashed first, so
 * neither the content nor the length of the secret shows in the time the answer takes.
 */
export function matchesVerifyToken(presented: string | undefined | null, expected: string | undefined | null): boolean {
  if (typeof presented !== "string" || !expected) return false;
  const digest = (value: string) => createHash("sha256").update(value, "utf8").digest();
  return timingSafeEqual(digest(presented), digest(expected));
}
