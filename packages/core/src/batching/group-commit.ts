/** One submitted item of a group commit and how to settle its caller's promise. */
export interface Pending<I, O> {
  input: I;
  /** When it was submitted (Date.now()); only set with `lingerMs`. */
  at?: number;
  resolve: (output: O) => void;
  reject: (error: unknown) => void;
}

export interface GroupCommitOptions {
  /** Most items handled by one run (default 64). */
  maxBatch?: number;
  /** Runs in flight at once (default 2; keep below the database pool size). */
  maxConcurrent?: number;
  /**
   * Items a run must have to start while another run is in flight (default 1). A run costs about the same for one
   * item as for many (a round trip, a commit), so a second run started for the one or two items that arrived just
   * after the first began is mostly overhead; with this threshold they wait for the first to end (one run's
   * duration at most) and go together. With nothing in flight an item always starts at once.
   */
  minBatchToOverlap?: number;
  /**
   * How long the oldest waiting item may wait for others before a run starts with fewer than `maxBatch` (default 0:
   * at once). For statements whose callers space themselves out (sends at their slots, ~13 ms apart at 80 msg/s),
   * so that overlapping runs alone would rarely group them.
   */
  lingerMs?: number;
}

export interface GroupCommit<I, O> {
  /** Resolves or rejects when the run that took this item has settled it. */
  submit(input: I): Promise<O>;
  /**
   * Submits several items at once: they join the queue together, so they go into as few runs as `maxBatch` allows
   * (one after another, `submit` would start a run for the first alone). Resolves when every one is settled.
   */
  submitAll(inputs: readonly I[]): Promise<O[]>;
}

/**
 * Group commit: items that arrive while `maxConcurrent` runs are in flight wait and go into the next run together,
 * so a burst costs one statement (and one WAL flush) per run instead of one per item. Under light load an item
 * starts a run of its own at once — no timer, no added latency (see `minBatchToOverlap` for when a second run
 * starts). `run` must settle every item it is given; an item
 * it leaves unsettled is rejected when the run ends, and a run that throws rejects the items it left.
 */
export function createGroupCommit<I, O>(
  run: (batch: Pending<I, O>[]) => Promise<void>,
  options: GroupCommitOptions = {},
): GroupCommit<I, O> {
  const maxBatch = options.maxBatch ?? 64;
  const maxConcurrent = options.maxConcurrent ?? 2;
  const minBatchToOverlap = Math.max(1, Math.min(options.minBatchToOverlap ?? 1, maxBatch));
  const lingerMs = options.lingerMs ?? 0;
  const queue: Pending<I, O>[] = [];
  let inFlight = 0;
  let lingering: ReturnType<typeof setTimeout> | undefined;

  const execute = async (items: Pending<I, O>[]) => {
    const settled = new Set<Pending<I, O>>();
    const tracked = items.map((item) => ({
      input: item.input,
      resolve: (o: O) => {
        settled.add(item);
        item.resolve(o);
      },
      reject: (e: unknown) => {
        settled.add(item);
        item.reject(e);
      },
    }));
    let failure: unknown = new Error("group commit: the run did not settle this item");
    try {
      await run(tracked);
    } catch (error) {
      failure = error;
    }
    for (const item of items) if (!settled.has(item)) item.reject(failure);
  };

  const pump = () => {
    while (inFlight < maxConcurrent && queue.length > 0 && (inFlight === 0 || queue.length >= minBatchToOverlap)) {
      const waited = Date.now() - (queue[0]!.at ?? 0);
      if (lingerMs > 0 && queue.length < maxBatch && waited < lingerMs) {
        lingering ??= setTimeout(() => {
          lingering = undefined;
          pump();
        }, lingerMs - waited);
        return;
      }
      const batch = queue.splice(0, maxBatch);
      inFlight++;
      void execute(batch).finally(() => {
        inFlight--;
        pump();
      });
    }
  };

  const enqueue = (input: I) =>
    new Promise<O>((resolve, reject) => {
      queue.push({ input, resolve, reject, ...(lingerMs > 0 ? { at: Date.now() } : {}) });
    });
  return {
    submit(input) {
      const output = enqueue(input);
      pump();
      return output;
    },
    submitAll(inputs) {
      const outputs = inputs.map(enqueue);
      pump();
      return Promise.all(outputs);
    },
  };
}
