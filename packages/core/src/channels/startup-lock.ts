import type { DbTx } from "@inbox/db";

/** Arbitrary, fixed key of the transaction-level advisory lock that serialises start-up provisioning. */
const STARTUP_LOCK_KEY = 4_107_331_977;

/**
 * Start-up work (channel and first admin) runs in every process at start, and several start at once when a
 * deployment scales out: without a lock two of them create the same row and one dies on the unique key. A
 * transaction-level lock ends with the transaction, so it also works through PgBouncer in transaction mode.
 */
export async function lockStartupProvisioning(tx: DbTx): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${STARTUP_LOCK_KEY})`;
}

/** Interactive-transaction limits for start-up: waiting behind another process's provisioning is expected. */
export const STARTUP_TRANSACTION = { maxWait: 30_000, timeout: 60_000 } as const;
