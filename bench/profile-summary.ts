/**
 * Where a process spent its CPU: reads `.cpuprofile` files (node --cpu-prof, e.g. from `PROFILE_DIR=… pnpm
 * --filter @inbox/bench replies`) and prints self time per package and the functions with the most self time, and
 * the inclusive time of functions whose name matches FOCUS (a regular expression).
 *
 *   pnpm --filter @inbox/bench profile-summary <file.cpuprofile>…     (TOP=25, FOCUS=…)
 */
import { readFileSync } from "node:fs";

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

const TOP = Number(process.env.TOP ?? 25);

/** "node_modules/.pnpm/<pkg>@…" → pkg; our sources → their workspace folder; node internals → "node:…". */
function packageOf(url: string): string {
  if (!url) return "(native / vm)";
  const pnpm = /node_modules\/\.pnpm\/[^/]+\/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pnpm) return pnpm[1]!;
  const workspace = /\/((?:apps|packages)\/[^/]+)\//.exec(url);
  if (workspace) return workspace[1]!;
  if (url.startsWith("node:")) return url.split("/")[0]!;
  return url
    .replace(/^file:\/\//, "")
    .split("/")
    .slice(-2)
    .join("/");
}

function summarize(file: string): void {
  const profile = JSON.parse(readFileSync(file, "utf8")) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const totalUs = [...self.values()].reduce((a, b) => a + b, 0);
  const wallUs = profile.endTime - profile.startTime;
  const idleUs = [...self]
    .filter(([id]) => byId.get(id)!.callFrame.functionName === "(idle)")
    .reduce((a, [, v]) => a + v, 0);

  const add = (map: Map<string, number>, key: string, us: number) => map.set(key, (map.get(key) ?? 0) + us);
  const perPackage = new Map<string, number>();
  const perFunction = new Map<string, number>();
  for (const [id, us] of self) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    if (functionName === "(idle)") continue;
    add(perPackage, functionName.startsWith("(") ? functionName : packageOf(url), us);
    add(perFunction, `${functionName || "(anonymous)"} ${packageOf(url)}:${lineNumber + 1}`, us);
  }
  const ms = (us: number) => `${(us / 1000).toFixed(0)} ms`;
  const share = (us: number) => `${((us / (totalUs - idleUs)) * 100).toFixed(1)} %`;
  console.log(
    `\n${file}\nwall ${ms(wallUs)}, busy ${ms(totalUs - idleUs)} (${((1 - idleUs / totalUs) * 100).toFixed(0)} %)`,
  );
  console.log("\nself time per package:");
  for (const [key, us] of [...perPackage].sort((a, b) => b[1] - a[1]).slice(0, TOP)) {
    console.log(`  ${share(us).padStart(7)}  ${ms(us).padStart(9)}  ${key}`);
  }
  console.log("\nfunctions with the most self time:");
  for (const [key, us] of [...perFunction].sort((a, b) => b[1] - a[1]).slice(0, TOP)) {
    console.log(`  ${share(us).padStart(7)}  ${ms(us).padStart(9)}  ${key}`);
  }
  if (process.env.FOCUS) {
    // Inclusive time: a sample counts once for every distinct matching function on its stack.
    const focus = new RegExp(process.env.FOCUS);
    const inclusive = new Map<string, number>();
    for (const [id, us] of self) {
      const seen = new Set<string>();
      for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
        const { functionName, url, lineNumber } = byId.get(at)!.callFrame;
        const key = `${functionName} ${packageOf(url)}:${lineNumber + 1}`;
        if (focus.test(key) && !seen.has(key)) {
          seen.add(key);
          add(inclusive, key, us);
        }
      }
    }
    console.log(`\ninclusive time of functions matching ${focus}:`);
    for (const [key, us] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, TOP)) {
      console.log(`  ${share(us).padStart(7)}  ${ms(us).padStart(9)}  ${key}`);
    }
  }
  if (process.env.CALLERS) {
    // Who calls the functions matching CALLERS: their self time per caller chain (DEPTH frames, default 8).
    const callers = new RegExp(process.env.CALLERS);
    const depth = Number(process.env.DEPTH ?? 8);
    const chains = new Map<string, number>();
    for (const [id, us] of self) {
      const { functionName, url } = byId.get(id)!.callFrame;
      if (!callers.test(`${functionName} ${packageOf(url)}`)) continue;
      const names: string[] = [];
      for (let at = parent.get(id); at !== undefined && names.length < depth; at = parent.get(at)) {
        const frame = byId.get(at)!.callFrame;
        names.push(`${frame.functionName || "(anon)"}@${packageOf(frame.url)}`);
      }
      add(chains, names.join(" < "), us);
    }
    console.log(`\ncallers of ${callers}:`);
    for (const [key, us] of [...chains].sort((a, b) => b[1] - a[1]).slice(0, TOP)) {
      console.log(`  ${share(us).padStart(7)}  ${ms(us).padStart(9)}  ${key}`);
    }
  }
}

const files = process.argv.slice(2);
if (!files.length) throw new Error("usage: profile-summary.ts <file.cpuprofile>…");
for (const file of files) summarize(file);
