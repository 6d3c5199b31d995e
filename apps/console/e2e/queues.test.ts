import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { JobQueues } from "@inbox/jobs";
import { parseEnv } from "@inbox/config";
import { startWorker } from "@inbox/worker";
import { launchChromium, makeUser, prepareBrowserTests, signIn, startStack, type Stack } from "./harness";

/** The admins' queue view in Chromium, under the console's CSP: counts, failed jobs, retry, remove. */
describe("queue view in Chromium", () => {
  let stack: Stack;
  let browser: Browser;
  let page: Page;
  let queues: JobQueues;
  const violations: string[] = [];

  beforeAll(async () => {
    prepareBrowserTests();
    stack = await startStack();
    await makeUser(stack, "admin@example.com", "admin", []);
    await makeUser(stack, "agent@example.com", "agent", []);
    queues = new JobQueues(stack.redis, stack.prefix);
    // Two jobs the worker refuses for good (their payload does not parse): they land in the failed set.
    await queues.add("media.download", { mediaAssetId: "not-a-uuid-1" }, { jobId: "bad-1" });
    await queues.add("media.download", { mediaAssetId: "not-a-uuid-2" }, { jobId: "bad-2" });
    const worker = await startWorker(
      {
        env: parseEnv({ DATABASE_URL: stack.t.url, LOG_LEVEL: "silent" }),
        db: stack.t.db,
        pgPool: stack.t.pgPool,
        redis: stack.redis,
        queues,
        log: stack.log,
        clock: () => new Date(),
      },
      { scheduleTemplateSync: false, sweepEveryMs: 0, wakeSnoozedEveryMs: 0, routingTickEveryMs: 0 },
    );
    for (let i = 0; i < 100 && (await queues.queues.inbound.getFailedCount()) < 2; i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    await worker.close();
    browser = await launchChromium();
    page = await browser.newPage({ locale: "en-US" });
    page.on("console", (message) => {
      if (message.type() === "error" && /Content Security Policy/i.test(message.text()))
        violations.push(message.text());
    });
    await signIn(page, stack.url, "admin@example.com");
    await page.getByRole("link", { name: "Admin" }).waitFor();
  });
  afterAll(async () => {
    await browser?.close();
    await queues?.close();
    await stack?.close();
  });

  it("shows counts and failed jobs with their reason; retries one and removes the other", async () => {
    expect(await queues.queues.inbound.getFailedCount()).toBe(2);
    await page.getByRole("link", { name: "Admin" }).click();
    await page.getByRole("tab", { name: "Queues" }).click();
    await expect.poll(() => page.getByTestId("queue-inbound-failed").textContent()).toBe("2");
    await page.getByTestId("queue-inbound").getByRole("button", { name: "Show failed jobs" }).click();
    await page.getByText("Failed jobs: Incoming (media, routing)").waitFor();
    // The heading shows while the list is still loading: wait for its rows.
    await expect.poll(() => page.getByText(/Invalid payload for "media.download"/).count()).toBe(2);

    await page.getByRole("button", { name: "Retry", exact: true }).first().click();
    await page.getByRole("status").getByText("1 job(s) queued again.").waitFor();
    await expect.poll(() => page.getByTestId("queue-inbound-failed").textContent()).toBe("1");

    page.once("dialog", (dialog) => void dialog.accept());
    await page.getByRole("button", { name: "Remove" }).click();
    await page.getByText("No failed jobs.").waitFor();
    await expect.poll(() => page.getByTestId("queue-inbound-failed").textContent()).toBe("0");
    const states = await Promise.all(["bad-1", "bad-2"].map((id) => queues.queues.inbound.getJobState(id)));
    expect(states.sort()).toEqual(["unknown", "waiting"]);
    expect(await stack.t.db.auditLog.count({ where: { action: { startsWith: "queue." } } })).toBe(2);
    expect(violations).toEqual([]);
  });

  it("is not there for agents, and its API refuses them", async () => {
    const agentPage = await (await browser.newContext({ locale: "en-US" })).newPage();
    await signIn(agentPage, stack.url, "agent@example.com");
    await agentPage.getByRole("navigation").waitFor();
    expect(await agentPage.getByRole("link", { name: "Admin" }).count()).toBe(0);
    const status = await agentPage.evaluate<number>("fetch('/api/admin/queues').then((r) => r.status)");
    expect(status).toBe(403);
  });
});
