import { Queue } from "bullmq";
import { Redis, type RedisOptions } from "ioredis";
import { DEFAULT_JOB_OPTIONS, JOB_OPTIONS } from "./options";
import { QUEUE_FOR_JOB, QUEUE_NAMES, type JobName, type JobPayload, type QueueName } from "./names";

export interface RedisConnectionOptions {
  url: string;
  /** Key prefix (BullMQ `prefix`); tests use one of their own. */
  prefix?: string;
}

export interface RedisEnv {
  REDIS_URL: string;
  REDIS_SENTINELS?: { host: string; port: number }[] | undefined;
  REDIS_SENTINEL_NAME: string;
  REDIS_SENTINEL_PASSWORD?: string | undefined;
}

/**
 * Connection options beyond the URL: with Sentinel, ioredis asks the sentinels for the current primary (and again
 * after a failover); the URL still gives the password, database and TLS (`rediss:`).
 */
export function redisOptionsFor(env: RedisEnv): RedisOptions {
  if (!env.REDIS_SENTINELS?.length) return {};
  return {
    sentinels: env.REDIS_SENTINELS,
    name: env.REDIS_SENTINEL_NAME,
    ...(env.REDIS_SENTINEL_PASSWORD ? { sentinelPassword: env.REDIS_SENTINEL_PASSWORD } : {}),
  };
}

/** BullMQ wants maxRetriesPerRequest null on connections used by workers / blocking commands. */
export function createRedis(url: string, options: RedisOptions = {}): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true, lazyConnect: false, ...options });
}

/** Jobs per BullMQ addBulk call (see JobQueues.addBulk). */
export const ADD_BULK_CHUNK = 50;

export class JobQueues {
  readonly queues: Record<QueueName, Queue>;

  constructor(
    readonly connection: Redis,
    readonly prefix = "inbox",
  ) {
    this.queues = Object.fromEntries(
      QUEUE_NAMES.map((name) => [
        name,
        new Queue(name, { connection, prefix, defaultJobOptions: { ...DEFAULT_JOB_OPTIONS } }),
      ]),
    ) as Record<QueueName, Queue>;
  }

  async add<N extends JobName>(name: N, payload: JobPayload<N>, opts: { jobId?: string; delayMs?: number } = {}) {
    await this.queues[QUEUE_FOR_JOB[name]].add(name, payload, {
      ...JOB_OPTIONS[name],
      ...(opts.jobId ? { jobId: opts.jobId } : {}),
      ...(opts.delayMs ? { delay: opts.delayMs } : {}),
    });
  }

  /**
   * Adds many jobs, in chunks of ADD_BULK_CHUNK per BullMQ call: encoding hundreds of jobs at once blocks the
   * event loop for ~100 ms, which in a worker delays the timed sends next to it (they then arrive bunched).
   */
  async addBulk(jobs: { name: JobName; payload: JobPayload<JobName>; jobId: string; delayMs?: number }[]) {
    const byQueue = new Map<QueueName, typeof jobs>();
    for (const job of jobs) {
      const q = QUEUE_FOR_JOB[job.name];
      byQueue.set(q, [...(byQueue.get(q) ?? []), job]);
    }
    await Promise.all(
      [...byQueue].map(async ([q, list]) => {
        for (let i = 0; i < list.length; i += ADD_BULK_CHUNK) {
          await this.queues[q].addBulk(
            list.slice(i, i + ADD_BULK_CHUNK).map((j) => ({
              name: j.name,
              data: j.payload,
              opts: { ...JOB_OPTIONS[j.name], jobId: j.jobId, ...(j.delayMs ? { delay: j.delayMs } : {}) },
            })),
          );
        }
      }),
    );
  }

  async close(): Promise<void> {
    await Promise.all(Object.values(this.queues).map((q) => q.close()));
  }
}
