/**
 * The processes of the outbound benchmark (bench/outbound.ts): Cloud API simulators and the worker, each forked with
 * an IPC channel, so none shares the benchmark's event loop; each exits when the benchmark goes away.
 */
import { fork, type ChildProcess } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { WorkerStats } from "./outbound-worker";

export const TOKEN = "bench-token";
const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * The simulators run in `procs` forked processes (numbers spread evenly), so they do not share the worker's event
 * loop. One process takes the 1,000 sends/s of scenario (b); more processes only add scheduling jitter on 2 cores
 * (measured: 5 processes 86 %, 1 process 88–90 % of the limit). Each child exits when this process goes away.
 */
export async function startSimulators(
  count: number,
  throughput: number,
  procs: number,
): Promise<{ children: ChildProcess[]; ports: number[] }> {
  const groups = Math.max(1, Math.min(count, procs));
  const children: ChildProcess[] = [];
  const started = Array.from({ length: groups }, (_, g) => {
    const first = Math.floor((g * count) / groups);
    const n = Math.floor(((g + 1) * count) / groups) - first;
    const child = fork(
      path.join(here, "outbound-simulators.ts"),
      [String(n), String(throughput), TOKEN, String(first)],
      {
        cwd: here,
        execArgv: ["--import", "tsx"],
        stdio: ["ignore", "inherit", "inherit", "ipc"],
      },
    );
    children.push(child);
    // Diagnostic: SIM_NICE=-10 gives the simulators scheduling priority, so their arrival stamps are not delayed
    // by an oversubscribed machine (Meta's edge does not share our cores).
    if (process.env.SIM_NICE && child.pid) os.setPriority(child.pid, Number(process.env.SIM_NICE));
    return new Promise<number[]>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("simulator did not start within 60 s")), 60_000);
      child.once("message", (m: { ports: number[] }) => {
        clearTimeout(timer);
        resolve(m.ports);
      });
      child.once("exit", (code) => reject(new Error(`simulator exited with ${code}`)));
    });
  });
  try {
    return { children, ports: (await Promise.all(started)).flat() };
  } catch (error) {
    for (const c of children) c.kill();
    throw error;
  }
}

/** Forks the worker process (bench/outbound-worker.ts) and resolves once it is warmed up and started. */
export async function startWorkerProcess(databaseUrl: string, prefix: string, ports: number[], concurrency?: number) {
  const child = fork(
    path.join(here, "outbound-worker.ts"),
    [databaseUrl, prefix, JSON.stringify(ports), ...(concurrency ? [String(concurrency)] : [])],
    {
      cwd: here,
      execArgv: ["--import", "tsx", ...(process.env.WORKER_NODE_ARGS ?? "").split(" ").filter(Boolean)],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    },
  );
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("worker did not start within 60 s")), 60_000);
    child.once("message", () => {
      clearTimeout(timer);
      resolve();
    });
    child.once("exit", (code) => reject(new Error(`worker exited with ${code}`)));
  });
  return {
    stop: () =>
      new Promise<WorkerStats>((resolve) => {
        child.once("message", (m: { stats: WorkerStats }) => resolve(m.stats));
        child.send("stop");
      }),
    kill: () => child.kill(),
  };
}
