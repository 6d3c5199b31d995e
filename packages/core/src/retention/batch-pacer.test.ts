import { describe, expect, it } from "vitest";
import { DEFAULT_RETENTION_PACING, paceAfterBatch, type RetentionPacing } from "./batch-pacer";

const pacing: RetentionPacing = {
  ...DEFAULT_RETENTION_PACING,
  targetBatchMs: 100,
  minBatch: 500,
  maxBatch: 5_000,
  pauseRatio: 0.25,
  minPauseMs: 2,
  maxPauseMs: 1_000,
};

describe("paceAfterBatch", () => {
  it("halves a batch that took more than twice the target, and pauses as long as it took", () => {
    expect(paceAfterBatch(pacing, 2_000, 250, 2_000)).toEqual({ size: 1_000, pauseMs: 250 });
    // Never below the minimum, and a pause never longer than the maximum.
    expect(paceAfterBatch(pacing, 600, 5_000, 600)).toEqual({ size: 500, pauseMs: 1_000 });
  });

  it("keeps a batch near the target with a quarter of its time as pause, grows a fast full one up to the maximum", () => {
    expect(paceAfterBatch(pacing, 1_000, 150, 1_000)).toEqual({ size: 1_000, pauseMs: 37.5 });
    expect(paceAfterBatch(pacing, 1_000, 100, 1_000)).toEqual({ size: 1_000, pauseMs: 25 });
    expect(paceAfterBatch(pacing, 1_000, 30, 1_000)).toEqual({ size: 1_250, pauseMs: 7.5 });
    expect(paceAfterBatch(pacing, 4_800, 30, 4_800).size).toBe(5_000);
    // A short last batch (fewer rows than asked) is no reason to grow; the pause is at least the minimum.
    expect(paceAfterBatch(pacing, 1_000, 1, 10)).toEqual({ size: 1_000, pauseMs: 2 });
  });
});
