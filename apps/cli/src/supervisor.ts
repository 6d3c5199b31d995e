/**
 * Runs child processes (api, worker, simulator) and keeps them running: each is forked with an IPC channel, says
 * `{type: "listening"}`, gets one `init` message, and answers `{type: "ready"}` (or `{type: "fatal", message}` when it
 * cannot start). A child that
 * dies after it was ready is restarted after a growing pause; one that dies too often within a window, or fails
 * before it was ever ready, stops everything with a message saying why. `stop()` sends SIGTERM to every child and
 * SIGKILL to those still running after a grace period. The child side is supervised-child.ts.
 */
import { fork, type ChildProcess } from "node:child_process";

interface ChildSpec {
  /** Shown in messages ("the worker"); unique. */
  name: string;
  /** Module to fork and its arguments (the children inherit this process's Node options, e.g. tsx's loader). */
  modulePath: string;
  args?: string[];
  /**
   * Sent to the child once it is listening, every time it is (re)started. A promise lets children load their code
   * while the caller is still preparing; when it rejects, everything stops with its message.
   */
  init: unknown;
  /**
   * Names of children that must have been ready once before this one gets its `init` (it is forked and loads its
   * code meanwhile): the worker calls the Graph API as soon as it starts, so in simulator mode it waits for the
   * simulator.
   */
  after?: string[];
}

export interface SupervisorOptions {
  children: ChildSpec[];
  /** Restarts of one child allowed within `restartWindowMs` before everything stops (default 5 within 60 s). */
  maxRestarts?: number;
  restartWindowMs?: number;
  /** Pause before the first restart in a window, doubled for each further one, at most `maxBackoffMs`. */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** How long children get to stop after SIGTERM before SIGKILL (default 10 s). */
  stopTimeoutMs?: number;
  /** How long a child gets to report ready (default 120 s: a first start may compile TypeScript). */
  readyTimeoutMs?: number;
  /** Lines for the operator (warnings and the reason everything stops). */
  report: (line: string) => void;
  /** Node options of the children (default: this process's, e.g. tsx's loader and --cpu-prof). */
  execArgv?: string[];
}

/** What a child said when it was ready (e.g. the simulator's URLs). */
export type ReadyInfo = Record<string, string>;

/** Child → supervisor. "listening": loaded and waiting for its `init` (a message sent earlier would be lost). */
export type ChildMessage =
  { type: "listening" } | { type: "ready"; info?: ReadyInfo } | { type: "fatal"; message: string };

export interface SupervisorResult {
  /** null after stop(); otherwise why the supervisor gave up. */
  failure: string | null;
}

export class SupervisorError extends Error {}

interface Running {
  spec: ChildSpec;
  process: ChildProcess | null;
  isReady: boolean;
  /** Times of the restarts within the window. */
  restarts: number[];
  fatal: string | null;
  restartTimer: NodeJS.Timeout | null;
  /** Settles the first time the child is ready (what `after` waits for). */
  readyOnce: Promise<void>;
  markReady: () => void;
}

export class Supervisor {
  private readonly children: Running[];
  private readonly maxRestarts: number;
  private readonly restartWindowMs: number;
  private readonly backoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly stopTimeoutMs: number;
  private readonly readyTimeoutMs: number;
  private isStarted = false;
  private stopping: Promise<void> | null = null;
  private failure: string | null = null;
  private resolveFinished!: (result: SupervisorResult) => void;
  /** Settles once every child has stopped for good: after stop(), or after the supervisor gave up. */
  readonly finished = new Promise<SupervisorResult>((resolve) => (this.resolveFinished = resolve));
  private rejectStart: ((error: SupervisorError) => void) | null = null;

  constructor(private readonly options: SupervisorOptions) {
    this.children = options.children.map((spec) => {
      let markReady!: () => void;
      const readyOnce = new Promise<void>((resolve) => (markReady = resolve));
      return {
        spec,
        process: null,
        isReady: false,
        restarts: [],
        fatal: null,
        restartTimer: null,
        readyOnce,
        markReady,
      };
    });
    for (const child of this.children) {
      for (const name of child.spec.after ?? []) {
        if (!this.children.some((c) => c.spec.name === name)) throw new Error(`${child.spec.name}: no child "${name}"`);
      }
    }
    this.maxRestarts = options.maxRestarts ?? 5;
    this.restartWindowMs = options.restartWindowMs ?? 60_000;
    this.backoffMs = options.backoffMs ?? 500;
    this.maxBackoffMs = options.maxBackoffMs ?? 10_000;
    this.stopTimeoutMs = options.stopTimeoutMs ?? 10_000;
    this.readyTimeoutMs = options.readyTimeoutMs ?? 120_000;
  }

  /**
   * Forks every child and resolves with what each reported once all are ready. Rejects with a SupervisorError (after
   * stopping the others) when one fails to start, and when stop() comes first.
   */
  async start(): Promise<Record<string, ReadyInfo>> {
    if (this.isStarted) throw new Error("Supervisor already started");
    this.isStarted = true;
    const failed = new Promise<never>((_, reject) => (this.rejectStart = reject));
    const infos = await Promise.race([Promise.all(this.children.map((child) => this.spawn(child))), failed]);
    this.rejectStart = null;
    return Object.fromEntries(this.children.map((child, i) => [child.spec.name, infos[i] ?? {}]));
  }

  /** Process ids of the running children, by name (tests, diagnostics). */
  pids(): Record<string, number | undefined> {
    return Object.fromEntries(this.children.map((c) => [c.spec.name, c.process?.pid]));
  }

  /** SIGTERM to every child, SIGKILL after the grace period; resolves when all have exited. */
  stop(): Promise<void> {
    this.stopping ??= this.stopAll().then(() => {
      this.rejectStart?.(new SupervisorError(this.failure ?? "Stopped before everything had started."));
      this.resolveFinished({ failure: this.failure });
    });
    return this.stopping;
  }

  private async stopAll(): Promise<void> {
    await Promise.all(
      this.children.map(async (child) => {
        if (child.restartTimer) clearTimeout(child.restartTimer);
        const proc = child.process;
        if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
        const exited = new Promise<void>((resolve) => proc.once("close", () => resolve()));
        proc.kill("SIGTERM");
        const timer = setTimeout(() => proc.kill("SIGKILL"), this.stopTimeoutMs);
        await exited;
        clearTimeout(timer);
      }),
    );
  }

  /** Forks a child and resolves with its ready info (a failure before ready goes to onExit). */
  private spawn(child: Running): Promise<ReadyInfo> {
    const proc = fork(child.spec.modulePath, child.spec.args ?? [], {
      stdio: ["ignore", "inherit", "inherit", "ipc"],
      serialization: "advanced",
      execArgv: this.options.execArgv ?? process.execArgv,
    });
    child.process = proc;
    child.isReady = false;
    child.fatal = null;
    return new Promise((resolve) => {
      const readyTimer = setTimeout(() => {
        this.giveUp(`The ${child.spec.name} did not report ready within ${this.readyTimeoutMs / 1000} s.`);
      }, this.readyTimeoutMs);
      proc.on("message", (message: ChildMessage) => {
        if (message.type === "listening") {
          const before = this.children.filter((c) => child.spec.after?.includes(c.spec.name)).map((c) => c.readyOnce);
          Promise.all([child.spec.init, ...before]).then(
            ([init]) => proc.connected && proc.send({ type: "init", init }),
            (error: unknown) => this.giveUp(error instanceof Error ? error.message : String(error)),
          );
        } else if (message.type === "ready") {
          clearTimeout(readyTimer);
          child.isReady = true;
          child.markReady();
          resolve(message.info ?? {});
        } else if (message.type === "fatal") {
          child.fatal = message.message;
        }
      });
      // "close", not "exit": it comes after the IPC channel closed, so a fatal message sent just before is in.
      proc.once("close", (code, signal) => {
        clearTimeout(readyTimer);
        this.onExit(child, proc, code, signal);
      });
    });
  }

  private onExit(child: Running, proc: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (child.process !== proc) return;
    child.process = null;
    if (this.stopping) return;
    const how = signal ? `killed by ${signal}` : `exit code ${code}`;
    const wasReady = child.isReady;
    child.isReady = false;
    // Never got going (a port in use, a bad setting): restarting would fail the same way.
    if (child.fatal) return this.giveUp(child.fatal);
    if (this.rejectStart && !wasReady) {
      return this.giveUp(`The ${child.spec.name} stopped before it was ready (${how}); see its output above.`);
    }
    const now = Date.now();
    child.restarts = child.restarts.filter((at) => now - at < this.restartWindowMs);
    if (child.restarts.length >= this.maxRestarts) {
      return this.giveUp(
        `The ${child.spec.name} stopped ${child.restarts.length + 1} times within ${this.restartWindowMs / 1000} s ` +
          `(last: ${how}); stopping everything. See its output above.`,
      );
    }
    child.restarts.push(now);
    const delay = Math.min(this.maxBackoffMs, this.backoffMs * 2 ** (child.restarts.length - 1));
    this.options.report(
      `⚠ The ${child.spec.name} stopped unexpectedly (${how}); restarting it in ${(delay / 1000).toFixed(1)} s ` +
        `(restart ${child.restarts.length} of ${this.maxRestarts} allowed within ${this.restartWindowMs / 1000} s).`,
    );
    child.restartTimer = setTimeout(() => {
      child.restartTimer = null;
      if (this.stopping) return;
      void this.spawn(child).then(() => this.options.report(`✔ The ${child.spec.name} is running again.`));
    }, delay);
  }

  private giveUp(reason: string): void {
    if (this.stopping) return;
    this.failure = reason;
    void this.stop();
  }
}
