import { timingSafeEqual } from "node:crypto";

/** Constant-time check of `Authorization: Bearer <token>`, as the scraper sends it. */
export function hasBearerToken(header: string | undefined, token: string): boolean {
  const given = Buffer.from(header?.startsWith("Bearer ") ? header.slice("Bearer ".length) : "");
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
