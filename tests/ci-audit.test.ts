import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";

/**
 * .ci/audit decides from `pnpm audit`'s answer: pass, fail on advisories, or say plainly that nothing was checked
 * when the audit endpoint is unreachable. `pnpm` is replaced by a script printing each kind of answer.
 */
const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const bin = mkdtempSync(path.join(tmpdir(), "fake-pnpm-"));
afterAll(() => rmSync(bin, { recursive: true, force: true }));

function runAudit(output: string, exitCode: number) {
  const fake = path.join(bin, "pnpm");
  writeFileSync(fake, `#!/bin/sh\ncat <<'OUT'\n${output}\nOUT\nexit ${exitCode}\n`);
  chmodSync(fake, 0o755);
  const result = spawnSync("bash", [path.join(ROOT, ".ci/audit")], {
    env: { PATH: `${bin}:${process.env.PATH ?? ""}` },
    encoding: "utf8",
  });
  return { status: result.status, out: result.stdout + result.stderr };
}

describe(".ci/audit", () => {
  it("passes when pnpm audit finds nothing at high or above", () => {
    const r = runAudit("No known vulnerabilities found", 0);
    expect(r.status).toBe(0);
    expect(r.out).toContain("no known high or critical advisories");
  });

  it("fails on a high advisory in a production dependency and says how to accept one consciously", () => {
    const r = runAudit("│ high │ Prototype pollution in some-lib │\n1 vulnerabilities found\nSeverity: 1 high", 1);
    expect(r.status).toBe(1);
    expect(r.out).toContain("Prototype pollution in some-lib");
    expect(r.out).toContain("auditConfig.ignoreGhsas");
  });

  it("does not fail, but says nothing was checked, when the audit endpoint cannot be reached", () => {
    const r = runAudit(
      " ERR_PNPM_AUDIT_BAD_RESPONSE  The audit endpoint (at https://mirror.example/-/x) responded with 405",
      1,
    );
    expect(r.status).toBe(0);
    expect(r.out).toContain("dependency audit NOT RUN");
    expect(r.out).not.toContain("mirror.example");
  });

  it("is part of CI, and accepted advisories live in pnpm-workspace.yaml", () => {
    expect(readFileSync(path.join(ROOT, ".ci/run"), "utf8")).toMatch(/bash \.ci\/audit\npnpm test/);
    const workspace = parse(readFileSync(path.join(ROOT, "pnpm-workspace.yaml"), "utf8")) as {
      auditConfig?: { ignoreGhsas?: string[] };
    };
    expect(Array.isArray(workspace.auditConfig?.ignoreGhsas)).toBe(true);
  });
});
