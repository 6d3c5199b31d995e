import type { Logger } from "@inbox/logger";
import { drainOutbox, type OutboxSource } from "./outbox";
import type { JobQueues } from "./queues";

/**
 * Drains the outbox continuously once started: right after a commit when poked, otherwise every `intervalMs`.
 * Every api and worker process may run one; SKIP LOCKED keeps them from handing over the same row twice.
 * Before start() and after stop(), a poke does nothing.
 */
export class OutboxRelay {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private pokedWhileRunning = false;
  private started = false;
  private stopped = false;

  constructor(
    private readonly db: OutboxSource,
    private readonly queues: JobQueues,
    private readonly log: Logger,
    private readonly intervalMs = 500,
  ) {}

  start(): void {
    this.started = true;
    this.schedule(0);
  }

  /** Drain soon: called after a transaction that wrote outbox rows. */
  poke = (): void => {
    if (!this.started || this.stopped) return;
    if (this.running) {
      this.pokedWhileRunning = true;
      return;
    }
    this.schedule(0);
  };

  private schedule(delay: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), delay);
  }

  private async tick(): Promise<void> {
    if (this.running) return;
    let backlog = false;
    this.running = (async () => {
      try {
        const { dispatched, failed } = await drainOutbox(this.db, this.queues, this.log);
        backlog = dispatched === 500 && failed === 0;
      } catch (err) {
        this.log.warn({ err }, "outbox drain failed; retrying");
      }
    })();
    await this.running;
    this.running = undefined;
    const again = backlog || this.pokedWhileRunning;
    this.pokedWhileRunning = false;
    this.schedule(again ? 0 : this.intervalMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }
}
