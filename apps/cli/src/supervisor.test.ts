import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { Supervisor, type SupervisorOptions } from "./supervisor";
import { isAlive } from "./test/processes";

const FIXTURE = path.join(path.dirname(fileURLToPath(import.meta.url)), "test/supervised-fixture.ts");
const TSX = ["--import", "tsx"];

// Every child is a real Node process loading TypeScript: seconds each on a busy machine.
describe("Supervisor (real child processes)", { timeout: 90_000 }, () => {
  const running: Supervisor[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((s) => s.stop()));
  });

  function supervise(
    modes: Record<string, string>,
    options: Partial<SupervisorOptions> = {},
    after: Record<string, string[]> = {},
  ) {
    const lines: string[] = [];
    const supervisor = new Supervisor({
      children: Object.entries(modes).map(([name, mode]) => ({
        name,
        modulePath: FIXTURE,
        args: [mode],
        init: { name },
        ...(after[name] ? { after: after[name] } : {}),
      })),
      report: (line) => lines.push(line),
      execArgv: TSX,
      backoffMs: 20,
      ...options,
    });
    running.push(supervisor);
    return { supervisor, lines };
  }

  it("starts every child, hands it its init, and stops them all", async () => {
    const { supervisor } = supervise({ api: "steady", worker: "steady" });
    const ready = await supervisor.start();
    const pids = supervisor.pids();
    expect(ready.api).toMatchObject({ name: "api", pid: String(pids.api) });
    expect(ready.worker).toMatchObject({ name: "worker", pid: String(pids.worker) });
    expect(isAlive(pids.api) && isAlive(pids.worker)).toBe(true);

    await supervisor.stop();
    expect(await supervisor.finished).toEqual({ failure: null });
    expect(isAlive(pids.api) || isAlive(pids.worker)).toBe(false);
  });

  it("hands a child its init only after the children it starts after were ready (the worker after the simulator)", async () => {
    const { supervisor } = supervise({ simulator: "slow", worker: "steady" }, {}, { worker: ["simulator"] });
    const ready = await supervisor.start();
    expect(Number(ready.worker!.initAt)).toBeGreaterThanOrEqual(Number(ready.simulator!.readyAt));
    // Without the order both get their init at once: the worker is ready before the slow one.
    const { supervisor: unordered } = supervise({ simulator: "slow", worker: "steady" });
    const both = await unordered.start();
    expect(Number(both.worker!.readyAt)).toBeLessThan(Number(both.simulator!.readyAt));
    expect(() => supervise({ worker: "steady" }, {}, { worker: ["simulator"] })).toThrow(/no child "simulator"/);
  });

  it("restarts a child killed with SIGKILL, leaving the others alone", async () => {
    const { supervisor, lines } = supervise({ api: "steady", worker: "steady" });
    await supervisor.start();
    const before = supervisor.pids();
    process.kill(before.worker!, "SIGKILL");

    await expect.poll(() => lines.some((l) => l.includes("worker is running again")), { timeout: 30_000 }).toBe(true);
    const after = supervisor.pids();
    expect(after.worker).not.toBe(before.worker);
    expect(isAlive(after.worker)).toBe(true);
    expect(after.api).toBe(before.api);
    expect(lines[0]).toMatch(/The worker stopped unexpectedly \(killed by SIGKILL\); restarting it in 0\.0 s/);
  });

  it("stops everything with a clear message when a child keeps dying", async () => {
    const { supervisor, lines } = supervise(
      { api: "steady", worker: "steady" },
      { maxRestarts: 2, restartWindowMs: 60_000 },
    );
    await supervisor.start();
    const api = supervisor.pids().api;
    for (let restart = 1; restart <= 2; restart++) {
      process.kill(supervisor.pids().worker!, "SIGKILL");
      await expect
        .poll(() => lines.filter((l) => l.includes("worker is running again")).length, { timeout: 30_000 })
        .toBe(restart);
    }
    const last = supervisor.pids().worker;
    process.kill(last!, "SIGKILL");

    const { failure } = await supervisor.finished;
    expect(failure).toMatch(/^The worker stopped 3 times within 60 s \(last: killed by SIGKILL\); stopping everything/);
    expect(isAlive(api)).toBe(false);
    expect(supervisor.pids()).toEqual({ api: undefined, worker: undefined });
  });

  it("fails the start with the child's own message when it cannot start, and stops the others", async () => {
    const { supervisor } = supervise({ api: "fatal", worker: "steady" });
    await expect(supervisor.start()).rejects.toThrow("The api cannot start: port 1 is in use.");
    expect(await supervisor.finished).toEqual({ failure: "The api cannot start: port 1 is in use." });
    expect(supervisor.pids()).toEqual({ api: undefined, worker: undefined });
  });

  it("kills a child that does not stop within the grace period", async () => {
    const { supervisor } = supervise({ worker: "stubborn" }, { stopTimeoutMs: 200 });
    await supervisor.start();
    const pid = supervisor.pids().worker;
    await supervisor.stop();
    expect(isAlive(pid)).toBe(false);
  });

  it("leaves no orphans when the supervisor itself is killed: children follow their IPC channel", async () => {
    const parent = spawn(process.execPath, [...TSX, FIXTURE, "supervisor"], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    parent.stdout.on("data", (d: Buffer) => (out += d.toString()));
    await expect.poll(() => out.includes("}"), { timeout: 60_000 }).toBe(true);
    const pids = JSON.parse(out) as Record<string, number>;
    expect(isAlive(pids.one) && isAlive(pids.two)).toBe(true);

    parent.kill("SIGKILL");
    await expect.poll(() => isAlive(pids.one) || isAlive(pids.two), { timeout: 15_000 }).toBe(false);
  });
});
