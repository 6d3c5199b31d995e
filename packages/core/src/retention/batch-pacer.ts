/**
 * How the deletion run shares the database with live traffic: each batch is one short statement (or transaction),
 * its size follows how long batches take, and a pause follows every batch.
 */
export interface RetentionPacing {
  /**
   * A batch should take about this long. One taking more than twice as long (the database is busy) halves the size
   * and is followed by a pause as long as itself; one taking less than half grows the size by a quarter.
   */
  targetBatchMs: number;
  /** Rows per batch at the start, and the bounds the size moves in. */
  initialBatch: number;
  minBatch: number;
  maxBatch: number;
  /** Pause after each batch as a share of its duration (0.5: the run uses the database at most two thirds of the time). */
  pauseRatio: number;
  /** Pause after each batch at least, and at most. */
  minPauseMs: number;
  maxPauseMs: number;
}

/**
 * Defaults: batches of 500 to 5,000 rows aiming at 100 ms (1,000 messages take about 30 ms on an idle 2-core
 * machine), a pause of a quarter of each batch's time (at most 80 % of the time on the database; 50 % while the
 * database is busy), at least 2 ms. Smaller batches would not spare the database anything — the rows are the same,
 * and each batch adds round trips — so the size never goes below 500; the pauses are what give way.
 */
export const DEFAULT_RETENTION_PACING: RetentionPacing = {
  targetBatchMs: 100,
  initialBatch: 1_000,
  minBatch: 500,
  maxBatch: 5_000,
  pauseRatio: 0.25,
  minPauseMs: 2,
  maxPauseMs: 1_000,
};

/** The next batch size and the pause after a batch of `rows` that took `ms` (pure: the rule the pacer applies). */
export function paceAfterBatch(
  pacing: RetentionPacing,
  size: number,
  ms: number,
  rows: number,
): { size: number; pauseMs: number } {
  const isBusy = ms > pacing.targetBatchMs * 2;
  let next = size;
  // The database is busy (or the batch too big): halve, and give live traffic the batch's own time back.
  if (isBusy) next = Math.floor(size / 2);
  else if (ms < pacing.targetBatchMs * 0.5 && rows >= size) next = Math.ceil(size * 1.25);
  next = Math.min(pacing.maxBatch, Math.max(pacing.minBatch, next));
  const ratio = isBusy ? Math.max(1, pacing.pauseRatio) : pacing.pauseRatio;
  const pauseMs = Math.min(pacing.maxPauseMs, Math.max(pacing.minPauseMs, ms * ratio));
  return { size: next, pauseMs };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Times each batch, adapts the batch size and pauses between batches (`paceAfterBatch`). */
export class BatchPacer {
  size: number;
  /** Batches run, and the time spent pausing (for the run's log line). */
  batches = 0;
  pausedMs = 0;

  constructor(private readonly pacing: RetentionPacing) {
    this.size = pacing.initialBatch;
  }

  /** Runs one batch of at most `this.size` rows; `batch` returns how many rows it handled. */
  async run(batch: (size: number) => Promise<number>): Promise<number> {
    const started = performance.now();
    const rows = await batch(this.size);
    const { size, pauseMs } = paceAfterBatch(this.pacing, this.size, performance.now() - started, rows);
    this.size = size;
    await this.pause(pauseMs);
    return rows;
  }

  /** Runs a statement whose size is not the pacer's (a page of conversations): it pauses after it, same rule. */
  async runFixed<T>(statement: () => Promise<T>): Promise<T> {
    const started = performance.now();
    const result = await statement();
    const { pauseMs } = paceAfterBatch(this.pacing, this.size, performance.now() - started, 0);
    await this.pause(pauseMs);
    return result;
  }

  private async pause(ms: number): Promise<void> {
    this.batches++;
    this.pausedMs += ms;
    await sleep(ms);
  }
}
