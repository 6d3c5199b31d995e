import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";

/** No cluster runs in CI: the manifests are kept correct by reading them, like docker-compose.yml. */
interface Container {
  name: string;
  command: string[];
  envFrom: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  readinessProbe?: { httpGet: { path: string; port: string } };
  livenessProbe?: { httpGet: { path: string; port: string } };
}
interface Manifest {
  kind: string;
  metadata: { name: string };
  spec?: { template?: { spec: { containers: Container[] } }; replicas?: number };
  data?: Record<string, string>;
  stringData?: Record<string, string>;
  resources?: string[];
}

const dir = new URL("../deploy/kubernetes/", import.meta.url);
const read = (file: string): Manifest[] =>
  parseAllDocuments(readFileSync(new URL(file, dir), "utf8")).map((doc) => doc.toJS() as Manifest);
const kustomization = read("kustomization.yaml")[0]!;
const applied = kustomization.resources!.flatMap(read);
const byName = (kind: string, name: string) => applied.find((m) => m.kind === kind && m.metadata.name === name);
const container = (m: Manifest | undefined) => m?.spec?.template?.spec.containers[0];
const envNames = new Set(
  [...readFileSync(new URL("../.env.example", import.meta.url), "utf8").matchAll(/^([A-Z0-9_]+)=/gm)].map((m) => m[1]),
);

describe("deploy/kubernetes", () => {
  it("lists only files that exist, and never a secret with values", () => {
    for (const file of kustomization.resources!) expect(existsSync(new URL(file, dir))).toBe(true);
    expect(applied.some((m) => m.kind === "Secret")).toBe(false);
  });

  it("runs migrations as a job, the api with readiness on /readyz, and workers, all from one image", () => {
    expect(container(byName("Job", "inbox-migrate"))?.command).toEqual(["pnpm", "inbox", "migrate"]);
    const api = container(byName("Deployment", "inbox-api"));
    expect(api?.command).toEqual(["pnpm", "inbox", "serve", "api"]);
    expect(api?.readinessProbe?.httpGet.path).toBe("/readyz");
    expect(api?.livenessProbe?.httpGet.path).toBe("/healthz");
    expect(byName("Deployment", "inbox-api")?.spec?.replicas).toBeGreaterThanOrEqual(2);
    expect(container(byName("Deployment", "inbox-worker"))?.command).toEqual(["pnpm", "inbox", "serve", "worker"]);
    expect(byName("Service", "inbox-api")).toBeDefined();
  });

  it("feeds every container the config map and the secret, with names that .env.example documents", () => {
    for (const m of applied.filter((x) => x.spec?.template)) {
      expect(container(m)?.envFrom).toEqual([
        { configMapRef: { name: "inbox-config" } },
        { secretRef: { name: "inbox-secrets" } },
      ]);
    }
    const secret = read("secret.example.yaml")[0]!;
    for (const name of [
      ...Object.keys(byName("ConfigMap", "inbox-config")!.data!),
      ...Object.keys(secret.stringData!),
    ]) {
      expect(envNames, name).toContain(name);
    }
  });
});
