/**
 * The hub's fan-out writes the frames of one published batch together: the transport under a console's socket is
 * corked before the first frame and uncorked once, after the batch — one write instead of a system call per frame
 * (at 1,000 events a second the api's largest CPU cost). Real Redis pub/sub; the socket and transport record calls.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LiveEvent } from "@inbox/contracts";
import { createLivePublisher, sessionPolicyOf, type LivePublisher, type SessionUser } from "@inbox/core";
import { parseEnv } from "@inbox/config";
import { createTestDatabase, createTestRedisPrefix, TEST_REDIS_URL, type TestDatabase } from "@inbox/db/testing";
import { createRedis } from "@inbox/jobs";
import { createLogger } from "@inbox/logger";
import { Metrics } from "@inbox/metrics";
import type { Redis } from "ioredis";
import { createLiveHub, type LiveHub, type LiveSocket } from "./hub";

const TEAM = "7f0c1a52-3d5e-4a3b-9a51-0c7d6b0c1a01";
const OTHER_TEAM = "7f0c1a52-3d5e-4a3b-9a51-0c7d6b0c1a02";

const agent: SessionUser = {
  id: "5b1f9d8e-2c4a-4e6f-8a1b-3c5d7e9f0a11",
  email: "agent@example.test",
  name: "Agent",
  role: "agent",
  teamIds: [TEAM],
  locale: "en",
  timeZone: "Europe/Berlin",
  totpEnabled: false,
  mustChangePassword: false,
  seesTeamlessConversations: false,
};

const typing = (teamId: string, n: number): LiveEvent => ({
  type: "typing",
  conversationId: `c${n}`,
  teamId,
  assigneeId: null,
  userId: "0d6c4b2a-1e3f-4a5b-8c7d-9e0f1a2b3c4d",
  name: `Colleague ${n}`,
});

/** A console socket and its transport, recording what happens to them in order. */
function recordingConsole() {
  const calls: string[] = [];
  const socket: LiveSocket = {
    readyState: 1,
    send(data) {
      const parsed = JSON.parse(data) as { control?: string; event?: { conversationId?: string } };
      calls.push(parsed.control ? `control:${parsed.control}` : `send:${parsed.event?.conversationId ?? "?"}`);
    },
    close() {},
    on() {},
  };
  const transport = { cork: () => calls.push("cork"), uncork: () => calls.push("uncork") };
  return { calls, socket, transport };
}

describe("live hub fan-out", () => {
  let db: TestDatabase;
  let redis: Redis;
  let hub: LiveHub;
  let publisher: LivePublisher;

  beforeAll(async () => {
    db = await createTestDatabase();
    redis = createRedis(TEST_REDIS_URL);
    const prefix = createTestRedisPrefix();
    const log = createLogger({ name: "test", level: "silent", pretty: false });
    publisher = createLivePublisher(redis, prefix, log);
    const env = parseEnv({ DATABASE_URL: db.url, LOG_LEVEL: "silent" });
    hub = await createLiveHub({
      db: db.db,
      redis,
      prefix,
      publisher,
      log,
      metrics: new Metrics("api"),
      sessionPolicy: sessionPolicyOf(env),
    });
  });
  afterAll(async () => {
    await hub.close();
    redis.disconnect();
    await db.drop();
  });

  it("corks the transport around the frames of one batch, once per batch, and skips it for nothing to send", async () => {
    const { calls, socket, transport } = recordingConsole();
    const log = createLogger({ name: "test", level: "silent", pretty: false });
    hub.connect({ socket, transport, user: agent, sessionToken: null, since: undefined, log });
    await expect.poll(() => calls.includes("control:hello")).toBe(true);
    calls.length = 0;

    await publisher.publish([typing(TEAM, 1), typing(TEAM, 2), typing(OTHER_TEAM, 3), typing(TEAM, 4)]);
    await expect.poll(() => calls.length).toBe(5);
    // Nothing for another team's conversation; the three frames between one cork and one uncork.
    expect(calls).toEqual(["cork", "send:c1", "send:c2", "send:c4", "uncork"]);

    calls.length = 0;
    await publisher.publish([typing(OTHER_TEAM, 5)]);
    await publisher.publish([typing(TEAM, 6)]);
    await expect.poll(() => calls.length).toBe(3);
    // The batch with nothing this console may see left the transport alone.
    expect(calls).toEqual(["cork", "send:c6", "uncork"]);
  });

  it("sends without a transport (each frame written on its own)", async () => {
    const { calls, socket } = recordingConsole();
    const log = createLogger({ name: "test", level: "silent", pretty: false });
    hub.connect({ socket, user: agent, sessionToken: null, since: undefined, log });
    await expect.poll(() => calls.includes("control:hello")).toBe(true);
    calls.length = 0;
    await publisher.publish([typing(TEAM, 7), typing(TEAM, 8)]);
    await expect.poll(() => calls).toEqual(["send:c7", "send:c8"]);
  });
});
