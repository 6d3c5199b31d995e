import { Prisma } from "./generated/client";

/** True when a write failed on a unique constraint (Postgres 23505), e.g. a redelivered wamid. */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}

/** Node socket errors and Postgres SQLSTATEs that mean "the database is not there right now", not "the query is wrong". */
const UNAVAILABLE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
  "57P01", // admin_shutdown
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now (starting up, recovering)
  "08000", // connection_exception
  "08001", // sqlclient_unable_to_establish_sqlconnection
  "08003", // connection_does_not_exist
  "08006", // connection_failure
  "53300", // too_many_connections
  "P1001", // Prisma: can't reach database server
  "P1002", // Prisma: database server timed out
  "P1017", // Prisma: server closed the connection
  "P2024", // Prisma: timed out fetching a connection from the pool
]);
const UNAVAILABLE_MESSAGES =
  /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|server closed the connection|Can't reach database server/i;

/**
 * True when an error means Postgres is unreachable or restarting (the request may succeed when it is back), as
 * opposed to a bug or bad data. Walks `cause` chains: Prisma's driver adapters wrap the pg error.
 */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== "object" || depth > 5) return false;
  const e = error as { code?: unknown; message?: unknown; cause?: unknown; kind?: unknown; originalCode?: unknown };
  if (typeof e.code === "string" && UNAVAILABLE_CODES.has(e.code)) return true;
  if (typeof e.originalCode === "string" && UNAVAILABLE_CODES.has(e.originalCode)) return true;
  if (e.kind === "DatabaseNotReachable" || e.kind === "ConnectionClosed" || e.kind === "SocketTimeout") return true;
  if (typeof e.message === "string" && UNAVAILABLE_MESSAGES.test(e.message)) return true;
  return isDatabaseUnavailable(e.cause, depth + 1);
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
