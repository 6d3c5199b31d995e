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
/** Settings of .env.example that compose itself uses (or, for the simulator, never runs), not passed to the app. */
const COMPOSE_MANAGED = [
  "SIMULATOR_PORT",
  "SIMULATOR_WEBHOOK_URL",
  "POSTGRES_PASSWORD",
  "REDIS_PASSWORD",
  "DOMAIN",
  "ACME_EMAIL",
  "BACKUP_INTERVAL_HOURS",
  "BACKUP_KEEP_DAYS",
];

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
    const composeManaged = COMPOSE_MANAGED;
    for (const name of documented) if (!composeManaged.includes(name)) expect(passed).toContain(name);
  });
});

/** The production stack (docker-compose.prod.yml), read the same way. */
interface ProdService extends Service {
  ports?: string[];
  secrets?: string[];
  entrypoint?: string[];
}
const prod = parse(readFileSync(new URL("../docker-compose.prod.yml", import.meta.url), "utf8"), { merge: true }) as {
  services: Record<string, ProdService>;
  secrets: Record<string, { file: string }>;
  volumes: Record<string, unknown>;
};
const read = (file: string) => readFileSync(new URL(`../${file}`, import.meta.url), "utf8");

describe("docker-compose.prod.yml", () => {
  it("publishes only Caddy (80/443), which proxies to the api with automatic HTTPS for DOMAIN", () => {
    for (const [name, service] of Object.entries(prod.services)) {
      if (name !== "caddy") expect(service.ports, name).toBeUndefined();
    }
    expect(prod.services.caddy?.ports).toEqual(["80:80", "443:443", "443:443/udp"]);
    const mount = prod.services.caddy?.volumes?.find((v) => v.endsWith(":/etc/caddy/Caddyfile:ro"));
    expect(mount).toBe("./deploy/caddy/Caddyfile:/etc/caddy/Caddyfile:ro");
    const caddyfile = read("deploy/caddy/Caddyfile");
    expect(caddyfile).toMatch(/^\{\$DOMAIN\} \{/m);
    expect(caddyfile).toMatch(/reverse_proxy api:3000/);
    expect(caddyfile).toMatch(/email \{\$ACME_EMAIL\}/);
    expect(prod.services.caddy?.environment?.DOMAIN).toMatch(/^\$\{DOMAIN:\?/);
    const api = prod.services.api!;
    expect(api.environment?.PUBLIC_URL).toMatch(/^https:\/\/\$\{DOMAIN:\?/);
    expect(api.environment?.TRUST_PROXY).toBe("1");
  });

  it("reads every secret from a file: the app through NAME_FILE, Postgres and Redis through Docker secrets", () => {
    const api = prod.services.api!;
    const secretSettings = [
      "DATABASE_URL",
      "REDIS_URL",
      "SESSION_SECRET",
      "ENCRYPTION_KEY",
      "WHATSAPP_APP_SECRET",
      "WHATSAPP_VERIFY_TOKEN",
      "WHATSAPP_ACCESS_TOKEN",
    ];
    for (const name of secretSettings) {
      expect(api.environment, name).not.toHaveProperty(name);
      const file = api.environment?.[`${name}_FILE`];
      expect(file, `${name}_FILE`).toMatch(/^\/run\/secrets\/[a-z_]+$/);
      const secret = file!.slice("/run/secrets/".length);
      expect(api.secrets).toContain(secret);
      expect(prod.secrets[secret]?.file).toBe(`./secrets/${secret}`);
    }
    expect(prod.services.worker?.environment).toEqual(api.environment);
    expect(prod.services.worker?.secrets).toEqual(api.secrets);
    // No secret value is written into the file, and nothing asks for one from the environment.
    for (const [key, value] of Object.entries(api.environment ?? {})) {
      if (/SECRET|TOKEN|KEY|PASSWORD/.test(key) && !key.endsWith("_FILE"))
        expect(value, key).toMatch(/^\$\{[A-Z0-9_]+:-\}$/);
    }
    expect(prod.services.postgres?.environment?.POSTGRES_PASSWORD_FILE).toBe("/run/secrets/postgres_password");
    expect(prod.services.redis?.command?.join(" ")).toContain(
      // `$$` is compose's escape: the container's shell runs $(cat …).
      '--requirepass "$$(cat /run/secrets/redis_password)"',
    );
    expect(read(".gitignore")).toMatch(/^\/secrets\/$/m);
  });

  it("passes every setting of .env.example, as the value or as NAME_FILE", () => {
    const documented = [...envExample.matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]!);
    const passed = Object.keys(prod.services.api!.environment!).map((k) => k.replace(/_FILE$/, ""));
    const composeManaged = COMPOSE_MANAGED;
    for (const name of documented) if (!composeManaged.includes(name)) expect(passed).toContain(name);
  });

  it("archives Postgres's WAL and takes base backups (point-in-time recovery); Redis keeps an append-only file", () => {
    const command = prod.services.postgres?.command?.join(" ") ?? "";
    expect(command).toContain("archive_mode=on");
    expect(command).toContain("wal_level=replica");
    expect(command).toMatch(/archive_command=test ! -f \/wal-archive\/%f && cp %p \/wal-archive\/%f/);
    expect(command).toMatch(/archive_timeout=\d+/);
    expect(prod.services.postgres?.volumes).toContain("postgres-wal:/wal-archive");
    const backup = prod.services["postgres-backup"]!;
    expect(backup.volumes).toEqual(
      expect.arrayContaining([
        "postgres-backups:/backups",
        "postgres-wal:/wal-archive",
        "./deploy/postgres/backup.sh:/backup.sh:ro",
      ]),
    );
    expect(backup.depends_on).toEqual({ postgres: { condition: "service_healthy" } });
    const script = read("deploy/postgres/backup.sh");
    expect(script).toMatch(/pg_basebackup -h postgres/);
    expect(read("deploy/postgres/10-replication-access.sh")).toMatch(/host replication/);
    const redis = prod.services.redis?.command?.join(" ") ?? "";
    expect(redis).toMatch(/--appendonly yes/);
    expect(prod.services.redis?.volumes).toContain("redis-data:/data");
    for (const service of Object.values(prod.services)) {
      for (const volume of service.volumes ?? []) {
        const source = volume.split(":")[0]!;
        if (source.startsWith("./")) expect(() => read(source.slice(2)), source).not.toThrow();
        else expect(prod.volumes, source).toHaveProperty(source);
      }
    }
  });

  it("documents the production stack and the restore to a point in time", () => {
    const deployment = read("docs/deployment.md");
    expect(deployment).toContain("docker compose -f docker-compose.prod.yml up -d");
    expect(deployment).toMatch(/recovery_target_time/);
    expect(deployment).toMatch(/restore_command/);
  });
});
