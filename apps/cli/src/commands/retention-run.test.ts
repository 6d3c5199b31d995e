import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseEnv } from "@inbox/config";
import { createTestDatabase, type TestDatabase } from "@inbox/db/testing";

import { retentionRunCommand } from "./retention-run";

describe("pnpm inbox retention run", () => {
  let t: TestDatabase;
  let mediaDir: string;
  beforeAll(async () => {
    t = await createTestDatabase();
    mediaDir = await mkdtemp(path.join(tmpdir(), "retention-cli-"));
  });
  afterAll(async () => {
    await t.drop();
    await rm(mediaDir, { recursive: true, force: true });
  });

  /** The command as `pnpm inbox retention run` runs it, against this file's database; returns what it printed. */
  const cli = async (...args: string[]) => {
    let stdout = "";
    await retentionRunCommand(args, {
      env: parseEnv({ DATABASE_URL: t.url, MEDIA_DIR: mediaDir, LOG_LEVEL: "silent" }),
      print: (text) => (stdout += text),
    });
    return { stdout };
  };

  it("--dry-run prints counts per category and policy and deletes nothing; without it deletes", async () => {
    const old = new Date(Date.now() - 40 * 24 * 3600_000);
    await t.db.webhookEvent.createMany({
      data: [
        { field: "account_update", payload: {}, receivedAt: old },
        { field: "account_update", payload: {}, receivedAt: old },
        { field: "account_update", payload: {} },
      ],
    });
    const dry = await cli("--dry-run");
    expect(dry.stdout).toMatch(/Dry run: nothing deleted/);
    expect(dry.stdout).toMatch(/webhook_payloads\s+2\s+default, 30 days/);
    expect(dry.stdout).toMatch(
      /messages\s+0\s+default, 365 days; 0 conversations, 0 media files, 0 kept by legal hold/,
    );
    expect(await t.db.webhookEvent.count()).toBe(3);

    const real = await cli();
    expect(real.stdout).toMatch(/^Deleted:/);
    expect(real.stdout).toMatch(/webhook_payloads\s+2\s+default/);
    expect(real.stdout).toMatch(/in \d+ batches, \d+\.\d s of pauses between them for live traffic/);
    expect(await t.db.webhookEvent.count()).toBe(1);
    expect(await t.db.retentionRun.count({ where: { finishedAt: { not: null } } })).toBe(2);
  });

  it("refuses unknown options with the usage", async () => {
    await expect(cli("--everything")).rejects.toThrow("pnpm inbox retention run [--dry-run]");
  });
});
