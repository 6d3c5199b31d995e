/**
 * Redis behind Sentinel, for real: a primary, a replica and one sentinel on loopback. The product's connection finds
 * the primary through the sentinel, and after the primary dies it follows the failover to the promoted replica.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRedis, JobQueues, redisOptionsFor } from "./queues";

const children: ChildProcess[] = [];
let dir: string;
let primary: ChildProcess;
let sentinelPort: number;

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

function start(args: string[]): ChildProcess {
  const child = spawn("redis-server", args, { stdio: "ignore" });
  children.push(child);
  return child;
}

async function waitFor(check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > until) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 100));
  }
}

// Replicas sync through an RDB file; keep it (and any other file) in the test's own directory.
let plain: string[];

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "sentinel-"));
  plain = ["--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir];
  const [primaryPort, replicaPort] = [await freePort(), await freePort()];
  sentinelPort = await freePort();
  // No 5 s wait for more replicas before the first sync (Redis' default for diskless sync).
  primary = start(["--port", String(primaryPort), ...plain, "--repl-diskless-sync-delay", "0"]);
  start(["--port", String(replicaPort), ...plain, "--replicaof", "127.0.0.1", String(primaryPort)]);
  const config = path.join(dir, "sentinel.conf");
  await writeFile(
    config,
    [
      `port ${sentinelPort}`,
      "bind 127.0.0.1",
      `dir ${dir}`,
      `sentinel monitor inbox 127.0.0.1 ${primaryPort} 1`,
      "sentinel down-after-milliseconds inbox 500",
      "sentinel failover-timeout inbox 3000",
      "",
    ].join("\n"),
  );
  start([config, "--sentinel"]);
  const probe = createRedis(`redis://127.0.0.1:${sentinelPort}`, { lazyConnect: true });
  probe.on("error", () => undefined);
  // Ready once the sentinel knows the primary and the replica.
  await waitFor(async () => {
    const info = (await probe.call("SENTINEL", "REPLICAS", "inbox")) as unknown[];
    return info.length === 1;
  });
  probe.disconnect();
  // …and once the replica has finished its first sync, so writes from here on replicate at once.
  const replica = createRedis(`redis://127.0.0.1:${replicaPort}`, { lazyConnect: true });
  replica.on("error", () => undefined);
  await waitFor(async () => /master_link_status:up/.test(await replica.info("replication")));
  replica.disconnect();
});

afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
  await rm(dir, { recursive: true, force: true });
});

describe("Redis through Sentinel (REDIS_SENTINELS)", () => {
  it("connects to the primary the sentinels name, and follows a failover without a restart", async () => {
    const env = {
      // Host and port of the URL are ignored with sentinels; password, db and TLS would come from it.
      REDIS_URL: "redis://127.0.0.1:1",
      REDIS_SENTINELS: [{ host: "127.0.0.1", port: sentinelPort }],
      REDIS_SENTINEL_NAME: "inbox",
    };
    const redis = createRedis(env.REDIS_URL, redisOptionsFor(env));
    redis.on("error", () => undefined);
    const queues = new JobQueues(redis, "sentinel-test");
    try {
      await queues.add("conversation.wake", {}, { jobId: "before-failover" });
      expect(await queues.queues.maintenance.getJobCounts("waiting")).toEqual({ waiting: 1 });
      // Replication is asynchronous: wait until the replica has the job before the primary dies (a job lost in
      // that window is re-created from the Postgres outbox by the sweeper, tested elsewhere).
      expect(await redis.call("WAIT", "1", "5000")).toBe(1);

      primary.kill("SIGKILL");
      // The sentinel promotes the replica; the same connection asks again and writes to the new primary.
      await waitFor(async () => {
        await queues.add("conversation.wake", {}, { jobId: "after-failover" });
        return (await redis.call("ROLE").then((role) => (role as string[])[0])) === "master";
      }, 20_000);
      const jobs = await queues.queues.maintenance.getJobs(["waiting"]);
      expect(jobs.map((j) => j.id).sort()).toEqual(["after-failover", "before-failover"]);
    } finally {
      await queues.close();
      redis.disconnect();
    }
  }, 40_000);

  it("adds nothing to a plain URL connection", () => {
    expect(redisOptionsFor({ REDIS_URL: "redis://r:6379", REDIS_SENTINEL_NAME: "mymaster" })).toEqual({});
  });
});
