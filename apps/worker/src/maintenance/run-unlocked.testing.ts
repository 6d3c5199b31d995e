import { setTimeout as sleep } from "node:timers/promises";

/**
 * Runs a sweep once its lock is free and returns what it did. Tests sweep with a 1 ms lock; two sweeps within that
 * millisecond would make the second one a no-op (null) that a `?.requeued ?? []` assertion passes without testing.
 */
export async function sweepWhenUnlocked<T>(sweep: () => Promise<T | null>): Promise<T> {
  for (let tries = 0; tries < 100; tries++) {
    const result = await sweep();
    if (result !== null) return result;
    await sleep(2);
  }
  throw new Error("the sweep's lock stayed taken for 200 ms");
}
