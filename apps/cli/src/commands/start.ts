import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Env } from "@inbox/config";
import { ensureConsoleBuilt, prepareProduct, type Prepared } from "../prepare";
import { createProductLogger, type Role } from "../roles";
import { loadEnv, StartupError } from "../runtime";
import { Supervisor, type ReadyInfo } from "../supervisor";

const CHILD_MODULE = path.join(path.dirname(fileURLToPath(import.meta.url)), "../child.ts");

/**
 * `pnpm start`: migrations, provisioning and the first admin once, here; then api, worker and (in simulator mode) the
 * Cloud API simulator, each in a process of its own, supervised: a child that dies is restarted, one that keeps dying
 * stops everything with a message; one Ctrl-C (SIGINT) or SIGTERM stops them all.
 */
export async function startCommand(): Promise<void> {
  const env = loadEnv();
  const log = createProductLogger(env);
  const prepared = await prepareProduct(env, log, { withApi: true });
  // The children load their code while the console is built (first start only); they get the environment after.
  const consoleBuilt = ensureConsoleBuilt(log);
  const childInit = consoleBuilt.then(() => ({ env }));
  childInit.catch(() => undefined); // the error is shown once, from `consoleBuilt` below
  const roles: Role[] = env.isSimulatorMode ? ["simulator", "api", "worker"] : ["api", "worker"];
  const supervisor = new Supervisor({
    children: roles.map((role) => ({
      name: role,
      modulePath: CHILD_MODULE,
      args: [role],
      init: childInit,
      // Its first template sync would otherwise reach for a simulator not yet listening (a warning at every start).
      ...(role === "worker" && roles.includes("simulator") ? { after: ["simulator"] } : {}),
    })),
    report: (line) => console.error(line),
    execArgv: childExecArgv(),
  });
  const onSignal = (signal: NodeJS.Signals) => {
    log.info({ signal }, "shutting down");
    void supervisor.stop();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);

  const starting = supervisor.start();
  starting.catch(() => undefined); // awaited below, after the console build (whose error is the one to show)
  try {
    await consoleBuilt;
  } catch (error) {
    await supervisor.stop();
    throw error;
  }
  let ready: Record<string, ReadyInfo>;
  try {
    ready = await starting;
  } catch (error) {
    throw new StartupError(error instanceof Error ? error.message : String(error));
  }
  console.log(banner(env, roles, prepared, ready.simulator).join("\n"));

  const { failure } = await supervisor.finished;
  if (failure) throw new StartupError(failure);
  process.exit(0);
}

/**
 * The children's Node options: this process's (tsx's loader), plus semi-spaces of V8's young generation of
 * YOUNG_GENERATION_MB instead of Node 20's 16 MB. The api allocates short-lived objects for every delivery and live
 * event; with the default they were collected four times as often, with five times the pause time, at 1,000
 * deliveries/s — pauses every request and live event waits behind (docs/performance.md, "Live path"). An operator's
 * own `--max-semi-space-size` (in NODE_OPTIONS) is left as it is.
 */
const YOUNG_GENERATION_MB = 64;

export function childExecArgv(
  execArgv: readonly string[] = process.execArgv,
  nodeOptions: string = process.env.NODE_OPTIONS ?? "",
): string[] {
  const isSet = [...execArgv, ...nodeOptions.split(/\s+/)].some((arg) => arg.startsWith("--max-semi-space-size"));
  return isSet ? [...execArgv] : [...execArgv, `--max-semi-space-size=${YOUNG_GENERATION_MB}`];
}

function banner(env: Env, roles: Role[], prepared: Prepared, simulator: ReadyInfo | undefined): string[] {
  const { channel, admin } = prepared;
  const lines = [
    "",
    `  WhatsApp Inbox is running (${roles.join(", ")}: one process each).`,
    `  Console        ${env.PUBLIC_URL}`,
    `  API docs       ${env.PUBLIC_URL}/api/docs`,
    `  Webhook        ${env.PUBLIC_URL}/webhooks/whatsapp`,
    `  Channel        ${channel.name} (phone number id ${channel.externalId}, data region ${env.DATA_REGION})`,
  ];
  if (simulator) {
    lines.push(
      "",
      "  Meta credentials are missing (WHATSAPP_ACCESS_TOKEN unset): the Cloud API simulator stands in for Meta.",
      `  Simulator      ${simulator.url}  (Graph API ${env.GRAPH_API_URL})`,
      `  Customer phone ${simulator.phoneUrl}  ← type as a customer here`,
    );
  }
  if (admin) {
    lines.push(
      "",
      "  First admin created (a one-time password: at the first sign-in the console asks for your own):",
      `    e-mail    ${admin.email}`,
      `    password  ${admin.password}`,
      "  Shown only here, once. Request logs are off at LOG_LEVEL=info so this stays in view; if other lines pushed it",
      '  away, scroll back to "First admin created".',
    );
  } else {
    lines.push(
      "",
      `  Sign in with your account. The first admin (${env.FIRST_ADMIN_EMAIL}) got a one-time password in the banner of`,
      "  the very first start. Another admin: pnpm inbox user create --email E --password P --role admin",
    );
  }
  lines.push("", "  Press Ctrl-C to stop.", "");
  return lines;
}
