import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { AppError } from "../../errors/app-error";

/** A visitor keeps their thread this long without coming back; each visit renews it. */
export const VISITOR_TOKEN_TTL_MS = 30 * 24 * 3600 * 1000;

const PayloadSchema = z.object({ v: z.literal(1), c: z.string(), s: z.string(), e: z.number().int() });

interface VisitorIdentity {
  channelId: string;
  visitorId: string;
  expiresAt: Date;
}

export interface VisitorTokenSigner {
  sign(identity: { channelId: string; visitorId: string }, now: Date): { token: string; expiresAt: Date };
  /** The identity in a valid, unexpired token of this channel; 401 `visitor_token_invalid` otherwise. */
  verify(token: string, channelId: string, now: Date): VisitorIdentity;
}

/**
 * Signed visitor tokens: `base64url(payload).base64url(HMAC-SHA256)`, the key derived from the session secret with
 * HKDF (its own purpose label, so a cookie signature can never pass as a visitor token). The token is the only way
 * to a visitor's thread: the visitor id inside is a random UUID, and without the key no token for it can be made.
 */
export function createVisitorTokenSigner(sessionSecret: string): VisitorTokenSigner {
  const key = Buffer.from(hkdfSync("sha256", sessionSecret, "inbox", "webchat-visitor-token/v1", 32));
  const mac = (data: string) => createHmac("sha256", key).update(data).digest();
  const invalid = () =>
    new AppError("visitor_token_invalid", "The chat session is invalid or expired. Start a new chat.");
  return {
    sign({ channelId, visitorId }, now) {
      const expiresAt = new Date(now.getTime() + VISITOR_TOKEN_TTL_MS);
      const payload = Buffer.from(
        JSON.stringify({ v: 1, c: channelId, s: visitorId, e: Math.floor(expiresAt.getTime() / 1000) }),
      ).toString("base64url");
      return { token: `${payload}.${mac(payload).toString("base64url")}`, expiresAt };
    },
    verify(token, channelId, now) {
      const [payload, signature, extra] = token.split(".");
      if (!payload || !signature || extra !== undefined || token.length > 512) throw invalid();
      const given = Buffer.from(signature, "base64url");
      const expected = mac(payload);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid();
      let parsed: z.infer<typeof PayloadSchema>;
      try {
        parsed = PayloadSchema.parse(JSON.parse(Buffer.from(payload, "base64url").toString("utf8")));
      } catch {
        throw invalid();
      }
      if (parsed.c !== channelId || parsed.e * 1000 <= now.getTime()) throw invalid();
      return { channelId: parsed.c, visitorId: parsed.s, expiresAt: new Date(parsed.e * 1000) };
    },
  };
}
