/**
 * A worker process for the fault suite (tests/faults): `pnpm inbox serve worker` minus provisioning, with two waits
 * shortened by parameters so a bounded test can watch what follows them:
 *   FAULT_GRAPH_TIMEOUT_MS     how long a Graph call may take (product: 15 s)
 *   FAULT_RECONCILE_GRACE_MS   how long a send with an unknown outcome waits for Meta's status webhook (product: 2 min)
 * Everything else — queues, claims, the sweeper, SIGTERM handling — is the product's own. Prints "worker ready".
 */
import { createPgPool } from "@inbox/db";
import { GraphClient } from "@inbox/whatsapp";
import { createGraphTransport, startWorker } from "@inbox/worker";
import { createProductLogger } from "../roles";
import { connectDb, connectRedis, createQueues, loadEnv } from "../runtime";

const env = loadEnv();
const log = createProductLogger(env).child({ component: "worker", pid: process.pid });
const db = await connectDb(env);
const redis = await connectRedis(env);
const queues = createQueues(redis);
const pgPool = createPgPool(env.DATABASE_URL, { max: 8 });
const number = (name: string) => (process.env[name] ? Number(process.env[name]) : undefined);
const timeoutMs = number("FAULT_GRAPH_TIMEOUT_MS");
const reconcileGraceMs = number("FAULT_RECONCILE_GRACE_MS");
const worker = await startWorker(
  { env, db, pgPool, redis, queues, log, clock: () => new Date() },
  {
    scheduleTemplateSync: false,
    services: {
      ...(timeoutMs
        ? {
            graph: new GraphClient({
              baseUrl: env.GRAPH_API_URL,
              accessToken: env.WHATSAPP_ACCESS_TOKEN ?? "",
              transport: createGraphTransport(),
              timeoutMs,
            }),
          }
        : {}),
      ...(reconcileGraceMs ? { reconcileGraceMs } : {}),
    },
  },
);
console.log("worker ready");

const stop = () => {
  void worker
    .close()
    .then(() => Promise.all([pgPool.end(), queues.close(), db.$disconnect()]))
    .finally(() => {
      redis.disconnect();
      process.exit(0);
    });
};
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
