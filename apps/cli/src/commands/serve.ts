import { ensureConsoleBuilt, prepareProduct } from "../prepare";
import { createProductLogger, runRole } from "../roles";
import { loadEnv } from "../runtime";

/**
 * `pnpm inbox serve api|worker`: one role in this process, as the containers run it (their orchestrator restarts a
 * stopped container). Migrations and provisioning run first, as in `pnpm start`; the api also creates the first admin.
 */
export async function serveCommand(role: "api" | "worker"): Promise<void> {
  const env = loadEnv();
  const log = createProductLogger(env);
  const { channel, admin } = await prepareProduct(env, log, { withApi: role === "api" });
  if (role === "api") await ensureConsoleBuilt(log);
  const running = await runRole(role, env, log);
  const lines = [
    "",
    `  WhatsApp Inbox ${role} is running.`,
    ...(role === "api"
      ? [`  Console        ${env.PUBLIC_URL}`, `  Webhook        ${env.PUBLIC_URL}/webhooks/whatsapp`]
      : []),
    `  Channel        ${channel.name} (phone number id ${channel.externalId}, data region ${env.DATA_REGION})`,
  ];
  if (admin) {
    lines.push(
      "",
      "  First admin created (a one-time password: at the first sign-in the console asks for your own):",
      `    e-mail    ${admin.email}`,
      `    password  ${admin.password}`,
    );
  }
  console.log([...lines, ""].join("\n"));

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "shutting down");
    void running
      .close()
      .catch((err: unknown) => log.error({ err }, "error while closing"))
      .finally(() => process.exit(0));
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
