import {
  ChannelDirectory,
  ConsentKeywordCache,
  countQuarantinedDeliveries,
  createDeliveryBatcher,
  createLiveChangeBatcher,
  createLivePublisher,
  createMediaStore,
  createSecretBox,
  createVisitorTokenSigner,
  sessionPolicyOf,
} from "@inbox/core";
import { createPgPool, pgSql } from "@inbox/db";
import { OutboxRelay } from "@inbox/jobs";
import { Metrics } from "@inbox/metrics";
import { GraphClient } from "@inbox/whatsapp";
import { createLiveHub } from "./live/hub";
import { createVisitorHub } from "./live/visitor-hub";
import type { ApiInfra, ApiServices } from "./types";

/**
 * The api's composition root: every service a route uses, built once per process from the infrastructure and
 * handed to the routes as required dependencies. Nothing below builds a service of its own.
 */
export async function createApiServices(infra: ApiInfra): Promise<ApiServices> {
  const { db, pgPool, redis, queues, log } = infra;
  // The relay drains after every reply and every stored batch (a claim and a mark statement): on a connection of its
  // own, so it never queues before the shared pool's work (sessions, replies, the receiver's group commits, live reads).
  const outboxPool = createPgPool(infra.env.DATABASE_URL, { max: 1 });
  const outbox = new OutboxRelay({ db, pool: outboxPool }, queues, log.child({ component: "outbox" }));
  const publisher = createLivePublisher(redis, queues.prefix, log);
  // Raw statements on the plain pg pool: hot paths that would spend most of their time in Prisma's per-query cost.
  const sql = pgSql(pgPool);
  const live = createLiveChangeBatcher(sql, publisher, { log });
  const metrics = new Metrics("api");
  // Parts of signed deliveries waiting for an admin (or `pnpm inbox webhooks reprocess`), counted at each scrape.
  metrics.observeQuarantine(() => countQuarantinedDeliveries(db));
  const sessionPolicy = sessionPolicyOf(infra.env);
  const liveHub = await createLiveHub({ db, redis, prefix: queues.prefix, publisher, log, metrics, sessionPolicy });
  // Customer messages of phone-only senders commit on the plain pg pool (a few raw statements, no Prisma cost);
  // two transactions in flight at most, a second only for a batch worth overlapping.
  const deliveries = createDeliveryBatcher(
    { db, log, channels: new ChannelDirectory(), keywords: new ConsentKeywordCache(), pool: pgPool },
    { maxConcurrent: 2, minBatchToOverlap: 16 },
  );
  const visitorHub = await createVisitorHub({ db, redis, prefix: queues.prefix, log });
  outbox.start();
  return {
    sql,
    onOutboxWritten: outbox.poke,
    live,
    liveHub,
    media: createMediaStore(infra.env),
    graph: new GraphClient({ baseUrl: infra.env.GRAPH_API_URL, accessToken: infra.env.WHATSAPP_ACCESS_TOKEN ?? "" }),
    secrets: createSecretBox(infra.env),
    sessionPolicy,
    metrics,
    deliveries,
    visitorTokens: createVisitorTokenSigner(infra.env.SESSION_SECRET),
    visitorHub,
    async close() {
      await outbox.stop();
      await outboxPool.end();
      await live.flush();
      await liveHub.close();
      await visitorHub.close();
    },
  };
}
