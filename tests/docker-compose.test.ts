import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

/** No Docker engine runs in CI: the compose file is kept correct by reading it. */
interface Service {
  image?: string;
  build?: unknown;
  command?: string[];
  environment?: Record<string, string>;
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
  volumes?: string[];
}

const compose = parse(readFileSync(new URL("../docker-compose.yml", import.meta.url), "utf8"), { merge: true }) as {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
};
const envExample = readFileSync(new URL("../.env.example", import.meta.url), "utf8");

describe("docker-compose.yml", () => {
  it("runs postgres 16 and redis 7 with volumes and health checks", () => {
    expect(compose.services.postgres?.image).toBe("postgres:16");
    expect(compose.services.redis?.image).toBe("redis:7");
    for (const name of ["postgres", "redis"]) {
      expect(compose.services[name]?.healthcheck?.test.length).toBeGreaterThan(0);
      const volume = compose.services[name]?.volumes?.[0]?.split(":")[0];
      expect(compose.volumes).toHaveProperty(volume!);
    }
  });

  it("builds api, worker and console from the repository's Dockerfile", () => {
    for (const name of ["api", "worker", "console"]) expect(compose.services[name]?.build).toBe(".");
    expect(compose.services.api?.command).toEqual(["pnpm", "inbox", "serve", "api"]);
    expect(compose.services.worker?.command).toEqual(["pnpm", "inbox", "serve", "worker"]);
    expect(readFileSync(new URL("../Dockerfile", import.meta.url), "utf8")).toMatch(
      /pnpm --filter @inbox\/console build/,
    );
  });

  it("wires the app services to the compose postgres and redis, waiting until they are healthy", () => {
    const api = compose.services.api!;
    expect(api.environment?.DATABASE_URL).toBe(
      "postgresql://inbox:${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD (openssl rand -hex 32)}@postgres:5432/inbox",
    );
    expect(api.environment?.REDIS_URL).toBe(
      "redis://:${REDIS_PASSWORD:?set REDIS_PASSWORD (openssl rand -hex 32)}@redis:6379",
    );
    expect(api.depends_on).toEqual({
      postgres: { condition: "service_healthy" },
      redis: { condition: "service_healthy" },
    });
    expect(compose.services.worker?.environment).toEqual(api.environment);
    expect(api.environment?.NODE_ENV).toBe("production");
    expect(api.environment?.SESSION_SECRET).toMatch(/\$\{SESSION_SECRET:\?/);
  });

  it("has no fixed database password, a Redis password, and the api on loopback only behind the proxy", () => {
    const required = /^\$\{[A-Z_]+:\?[^}]+\}$/;
    expect(compose.services.postgres?.environment?.POSTGRES_PASSWORD).toMatch(required);
    const redisCommand = compose.services.redis?.command ?? [];
    expect(redisCommand[redisCommand.indexOf("--requirepass") + 1]).toMatch(required);
    expect(compose.services.redis?.environment?.REDISCLI_AUTH).toMatch(required);
    const api = compose.services.api! as Service & { ports?: string[] };
    expect(api.ports).toEqual(["127.0.0.1:3000:3000"]);
    for (const name of ["ENCRYPTION_KEY", "SESSION_SECRET"]) expect(api.environment?.[name]).toMatch(required);
    expect(api.environment?.TRUST_PROXY).toBe("${TRUST_PROXY:-1}");
    for (const service of Object.values(compose.services) as (Service & { ports?: string[] })[]) {
      for (const port of service.ports ?? []) expect(port).toMatch(/^127\.0\.0\.1:/);
    }
  });

  it("passes every setting of .env.example that the app reads", () => {
    const documented = [...envExample.matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]!);
    const passed = Object.keys(compose.services.api!.environment!);
    // Simulator settings: compose runs against Meta, never the simulator.
    const composeManaged = ["SIMULATOR_PORT", "SIMULATOR_WEBHOOK_URL", "POSTGRES_PASSWORD", "REDIS_PASSWORD"];
    for (const name of documented) if (!composeManaged.includes(name)) expect(passed).toContain(name);
  });
});
