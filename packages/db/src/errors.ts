import { Prisma } from "./generated/client";

/** True when a write failed on a unique constraint (Postgres 23505), e.g. a redelivered wamid. */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}

/** Postgres unreachable or refusing the credentials: the message to show instead of a stack trace. */
export function describeDatabaseError(error: unknown, databaseUrl: string): string {
  const safeUrl = redactUrl(databaseUrl);
  const text = error instanceof Error ? `${error.message} ${(error as { code?: string }).code ?? ""}` : String(error);
  if (/ECONNREFUSED|ENOTFOUND|EAI_AGAIN|timeout|ETIMEDOUT/i.test(text)) {
    return `Cannot reach Postgres at ${safeUrl}. Start it (docker compose up -d postgres) or set DATABASE_URL.`;
  }
  if (/password authentication failed|28P01|28000|no pg_hba/i.test(text)) {
    return `Postgres at ${safeUrl} refused the credentials. Check the user and password in DATABASE_URL.`;
  }
  if (/does not exist|3D000/i.test(text)) {
    return `The database in DATABASE_URL (${safeUrl}) does not exist and could not be created. Create it or fix DATABASE_URL.`;
  }
  return `Postgres at ${safeUrl} failed: ${error instanceof Error ? error.message : String(error)}`;
}

export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "(unparseable URL)";
  }
}
