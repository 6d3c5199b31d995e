/** Process helpers for the supervisor's tests (Linux /proc where it matters). */
import { readdirSync, readFileSync } from "node:fs";

/** Running (a zombie, exited but not yet reaped by whoever adopted it, counts as gone). */
export function isAlive(pid: number | undefined): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.[0] !== "Z";
  } catch {
    return true; // no /proc (not Linux): kill(pid, 0) is all there is
  }
}

/** The processes `pnpm start` supervises, by role: the children of `parentPid` running child.ts. */
export function rolesOf(parentPid: number): Record<string, number> {
  const roles: Record<string, number> = {};
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const [state, ppid] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(ppid) !== parentPid || state === "Z") continue;
      const args = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0");
      const at = args.findIndex((a) => a.endsWith("child.ts"));
      if (at !== -1) roles[args[at + 1]!] = Number(entry);
    } catch {
      // gone meanwhile
    }
  }
  return roles;
}
