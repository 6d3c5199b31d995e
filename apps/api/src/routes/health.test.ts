import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseEnv } from "@inbox/config";
import { createTestDatabase, createTestRedisPrefix, TEST_REDIS_URL, type TestDatabase } from "@inbox/db/testing";
import { createRedis, JobQueues } from "@inbox/jobs";
import { createLogger } from "@inbox/logger";
import { buildApp } from "../app";
import type { App } from "../types";

describe("health endpoints", () => {
  let t: TestDatabase;
  let app: App;
  const redis = createRedis(TEST_REDIS_URL);
  // A Redis nobody listens on: readiness must say so.
  const deadRedis = createRedis("redis://127.0.0.1:1", {
    lazyConnect: true,
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
  });
  deadRedis.on("error", () => undefined);

  beforeAll(async () => {
    t = await createTestDatabase();
    app = await buildApp({
      env: parseEnv({ DATABASE_URL: t.url, LOG_LEVEL: "silent" }),
      db: t.db,
      pgPool: t.pgPool,
      redis,
      queues: new JobQueues(redis, createTestRedisPrefix()),
      log: createLogger({ name: "test", level: "silent", pretty: false }),
      clock: () => new Date(),
      consoleDir: null,
    });
  });
  afterAll(async () => {
    await app.close();
    redis.disconnect();
    await t.drop();
  });

  it("/healthz answers 200 while the process runs", async () => {
    const res = await app.inject({ method: "GET", url: "/healthz" });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: "ok" });
    expect(res.headers["x-request-id"]).toBeTruthy();
  });

  it("/readyz is 200 when Postgres and Redis answer", async () => {
    const res = await app.inject({ method: "GET", url: "/readyz" });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: "ready", checks: { postgres: "ok", redis: "ok" } });
  });

  it("/readyz is 503 and names Redis when Redis does not answer", async () => {
    const broken = await buildApp({
      env: parseEnv({ DATABASE_URL: t.url }),
      db: t.db,
      pgPool: t.pgPool,
      redis: deadRedis,
      queues: new JobQueues(redis, createTestRedisPrefix()),
      log: createLogger({ name: "test", level: "silent", pretty: false }),
      clock: () => new Date(),
      consoleDir: null,
    });
    const res = await broken.inject({ method: "GET", url: "/readyz" });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ status: "not_ready", checks: { postgres: "ok", redis: "down" } });
    await broken.close();
  });

  it("unknown routes get a JSON 404 and the OpenAPI document is served", async () => {
    expect((await app.inject({ method: "GET", url: "/api/nope" })).json()).toMatchObject({ code: "not_found" });
    const docs = await app.inject({ method: "GET", url: "/api/docs/json" });
    expect(docs.statusCode).toBe(200);
    expect(docs.json()).toMatchObject({ openapi: expect.stringMatching(/^3\./) });
  });
});
