import { describe, expect, it, vi } from "vitest";
import { createGroupCommit, type GroupCommitOptions, type Pending } from "./group-commit";

/** A group commit whose runs end only when the test says so; records the size of every run. */
function controlled(options: GroupCommitOptions) {
  const runs: { size: number; finish: () => void }[] = [];
  const commit = createGroupCommit<number, number>(
    (batch: Pending<number, number>[]) =>
      new Promise<void>((resolve) => {
        runs.push({
          size: batch.length,
          finish: () => {
            for (const p of batch) p.resolve(p.input * 10);
            resolve();
          },
        });
      }),
    options,
  );
  return { commit, runs };
}
const tick = () => new Promise((r) => setImmediate(r));

describe("createGroupCommit", () => {
  it("starts a lone item at once and puts what arrives meanwhile into the next run", async () => {
    const { commit, runs } = controlled({ maxConcurrent: 1 });
    const first = commit.submit(1);
    expect(runs.map((r) => r.size)).toEqual([1]);
    const rest = [2, 3, 4].map((i) => commit.submit(i));
    expect(runs).toHaveLength(1);
    runs[0]!.finish();
    await tick();
    expect(runs.map((r) => r.size)).toEqual([1, 3]);
    runs[1]!.finish();
    expect(await Promise.all([first, ...rest])).toEqual([10, 20, 30, 40]);
  });

  it("overlaps a second run only for enough items (minBatchToOverlap)", async () => {
    const { commit, runs } = controlled({ maxConcurrent: 2, minBatchToOverlap: 3 });
    void commit.submit(1);
    void commit.submit(2);
    void commit.submit(3);
    // One run in flight: two waiting items are not worth a run of their own.
    expect(runs.map((r) => r.size)).toEqual([1]);
    void commit.submit(4);
    expect(runs.map((r) => r.size)).toEqual([1, 3]);
    void commit.submit(5);
    runs[0]!.finish();
    await tick();
    // One run still in flight: a single item waits for it...
    expect(runs.map((r) => r.size)).toEqual([1, 3]);
    runs[1]!.finish();
    await tick();
    // ...and starts as soon as nothing is in flight.
    expect(runs.map((r) => r.size)).toEqual([1, 3, 1]);
  });

  it("without the option a second run starts for whatever is waiting", async () => {
    const { commit, runs } = controlled({ maxConcurrent: 2 });
    void commit.submit(1);
    void commit.submit(2);
    expect(runs.map((r) => r.size)).toEqual([1, 1]);
  });

  it("submitAll puts the items into as few runs as maxBatch allows", async () => {
    const { commit, runs } = controlled({ maxConcurrent: 2, maxBatch: 4 });
    const all = commit.submitAll([1, 2, 3, 4, 5, 6]);
    expect(runs.map((r) => r.size)).toEqual([4, 2]);
    for (const run of runs) run.finish();
    expect(await all).toEqual([10, 20, 30, 40, 50, 60]);
  });

  it("with lingerMs a lone item waits for others, measured from the oldest; a full batch starts at once", async () => {
    vi.useFakeTimers();
    try {
      const { commit, runs } = controlled({ maxConcurrent: 1, maxBatch: 4, lingerMs: 20 });
      const first = commit.submit(1);
      await vi.advanceTimersByTimeAsync(15);
      const second = commit.submit(2);
      expect(runs).toHaveLength(0);
      await vi.advanceTimersByTimeAsync(5);
      expect(runs.map((r) => r.size)).toEqual([2]);
      // Items that waited behind a run for longer than the linger go as soon as it ends.
      const rest = [3, 4].map((i) => commit.submit(i));
      await vi.advanceTimersByTimeAsync(30);
      runs[0]!.finish();
      await vi.advanceTimersByTimeAsync(0);
      expect(runs.map((r) => r.size)).toEqual([2, 2]);
      runs[1]!.finish();
      // A full batch does not wait.
      const full = [5, 6, 7, 8].map((i) => commit.submit(i));
      await vi.advanceTimersByTimeAsync(0);
      expect(runs.map((r) => r.size)).toEqual([2, 2, 4]);
      runs[2]!.finish();
      expect(await Promise.all([first, second, ...rest, ...full])).toEqual([10, 20, 30, 40, 50, 60, 70, 80]);
    } finally {
      vi.useRealTimers();
    }
  });

  it("rejects the items of a run that throws, and the items a run leaves unsettled", async () => {
    const failing = createGroupCommit<number, number>(async () => {
      throw new Error("database down");
    });
    await expect(failing.submit(1)).rejects.toThrow("database down");
    const forgetful = createGroupCommit<number, number>(async () => undefined);
    await expect(forgetful.submit(1)).rejects.toThrow(/did not settle/);
  });
});
