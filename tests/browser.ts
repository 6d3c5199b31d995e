/**
 * Browser tests need Debian's Chromium and a built console. Both are provisioned once per test run (vitest global
 * setup), before any test file starts: two files installing or building at the same time would fail each other.
 */
import { execFileSync, execSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const CONSOLE_DIR = path.join(REPO_ROOT, "apps/console");
export const CONSOLE_DIST = path.join(CONSOLE_DIR, "dist");
/** Debian's Chromium; CHROMIUM_PATH points the tests at another build (other distributions, macOS). */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Installs Debian's Chromium when it is missing, or stops the run with what to do instead. */
export function ensureChromium(): void {
  if (existsSync(CHROMIUM)) return;
  if (process.env.CHROMIUM_PATH) {
    throw new Error(`CHROMIUM_PATH is set to ${CHROMIUM}, but no file is there.`);
  }
  console.log("Browser tests: Chromium is missing; installing Debian's chromium package (once)…");
  try {
    execSync("apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium", {
      stdio: "inherit",
    });
  } catch {
    // Falls through to the message below.
  }
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      "Browser tests need Chromium at /usr/bin/chromium and installing it failed (apt-get needs root and Debian's " +
        "package mirrors). Install it yourself (`sudo apt-get install chromium`) or set CHROMIUM_PATH to a " +
        "Chromium or Chrome binary, then run the tests again.",
    );
  }
}

/** Builds the console when dist/ is missing or older than its sources (a stale build would test old code). */
export function ensureConsoleBuilt(): void {
  const index = path.join(CONSOLE_DIST, "index.html");
  if (existsSync(index) && newestSource() <= statSync(index).mtimeMs) return;
  console.log("Browser tests: building the console…");
  // Vite's own CLI from the console package; vitest sets NODE_ENV=test, which would give a development bundle.
  execFileSync(
    process.execPath,
    [path.join(CONSOLE_DIR, "node_modules/vite/bin/vite.js"), "build", "--logLevel", "warn"],
    {
      cwd: CONSOLE_DIR,
      stdio: "inherit",
      env: { ...process.env, NODE_ENV: "production" },
    },
  );
}

/** Newest modification time of what the console bundle is built from (its sources, config and contracts). */
function newestSource(): number {
  const files = ["index.html", "vite.config.ts", "package.json"].map((f) => path.join(CONSOLE_DIR, f));
  return Math.max(
    ...files.filter(existsSync).map((f) => statSync(f).mtimeMs),
    newestIn(path.join(CONSOLE_DIR, "src")),
    newestIn(path.join(REPO_ROOT, "packages/contracts/src")),
  );
}

function newestIn(dir: string): number {
  if (!existsSync(dir)) return 0;
  return readdirSync(dir, { withFileTypes: true }).reduce((max, entry) => {
    const full = path.join(dir, entry.name);
    return Math.max(max, entry.isDirectory() ? newestIn(full) : statSync(full).mtimeMs);
  }, 0);
}
