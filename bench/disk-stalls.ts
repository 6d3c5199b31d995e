/**
 * Stalls of this machine's disks during a benchmark step (Linux, /proc/diskstats), for STEP_STATS=1 of bench/inbound.ts.
 * Every ack of the receiver waits for its commit's WAL flush, so a flush stuck in the device for 200 ms holds every
 * delivery due meanwhile — at 1,000/s that alone is the step's p99. Sampled every SAMPLE_MS: a window at whose start
 * and end a disk had requests in flight and in which it completed none counts as stalled; consecutive stalled
 * windows are one stall. Reports the longest stall and how many lasted over STALL_MS. With Postgres on another machine it sees only
 * this one's disks.
 */
import { existsSync, readFileSync } from "node:fs";

const SAMPLE_MS = 10;
const STALL_MS = 20;

interface Counters {
  /** Reads, writes and flushes completed. */
  completed: number;
  /** Requests in flight now. */
  inFlight: number;
}

/** Whole disks (not partitions, loop or RAM devices) and their counters now. */
function readDisks(): Map<string, Counters> {
  const disks = new Map<string, Counters>();
  for (const line of readFileSync("/proc/diskstats", "utf8").split("\n")) {
    const f = line.trim().split(/\s+/);
    const name = f[2];
    if (!name || /^(loop|ram|zram|sr)/.test(name) || !existsSync(`/sys/block/${name}`)) continue;
    const n = (i: number) => Number(f[3 + i] ?? 0);
    // reads completed (0), writes completed (4), in flight (8), flushes completed (15)
    disks.set(name, { completed: n(0) + n(4) + n(15), inFlight: n(8) });
  }
  return disks;
}

export class DiskStallWatch {
  private timer: NodeJS.Timeout | undefined;
  private last = new Map<string, Counters>();
  private lastAt = 0;
  /** Per disk: how long the current stall has lasted. */
  private running = new Map<string, number>();
  private longestMs = 0;
  private over = 0;

  /** Starts sampling; does nothing where /proc/diskstats is missing. */
  start(): void {
    if (!existsSync("/proc/diskstats")) return;
    this.last = readDisks();
    this.lastAt = performance.now();
    this.timer = setInterval(() => this.sample(), SAMPLE_MS);
    this.timer.unref();
  }

  private sample(): void {
    const now = performance.now();
    const elapsed = now - this.lastAt;
    const current = readDisks();
    for (const [name, c] of current) {
      const before = this.last.get(name);
      if (!before) continue;
      const isStalled = c.completed === before.completed && before.inFlight > 0 && c.inFlight > 0;
      const run = this.running.get(name) ?? 0;
      if (isStalled) this.running.set(name, run + elapsed);
      else if (run > 0) {
        this.close(run);
        this.running.set(name, 0);
      }
    }
    this.last = current;
    this.lastAt = now;
  }

  private close(stallMs: number): void {
    this.longestMs = Math.max(this.longestMs, stallMs);
    if (stallMs > STALL_MS) this.over++;
  }

  /** "disk: longest stall … ms, n over 20 ms" since the previous call (stalls still running count as they are). */
  take(): string {
    if (!this.timer) return "disk: not sampled";
    for (const run of this.running.values()) if (run > 0) this.close(run);
    this.running.clear();
    const line = `disk: longest stall ${this.longestMs.toFixed(0)} ms, ${this.over} over ${STALL_MS} ms`;
    this.longestMs = 0;
    this.over = 0;
    return line;
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
