import { startSimulatorForProduct } from "@inbox/simulator";
import { loadEnv, StartupError } from "../runtime";

/**
 * `pnpm inbox simulator`: the Cloud API simulator alone on SIMULATOR_PORT. Accepts WHATSAPP_ACCESS_TOKEN as the
 * bearer token and signs webhooks to `${PUBLIC_URL}/webhooks/whatsapp` with WHATSAPP_APP_SECRET. Both must be set
 * for a separately running product to talk to it (in `pnpm start` they are shared automatically).
 */
export async function simulatorCommand(): Promise<void> {
  const env = loadEnv();
  const hasSharedSecrets = Boolean(process.env.WHATSAPP_ACCESS_TOKEN && process.env.WHATSAPP_APP_SECRET);
  const simulator = await startSimulatorForProduct(env, { webhookUrl: process.env.SIMULATOR_WEBHOOK_URL }).catch(
    (error: unknown) => {
      throw new StartupError(
        `Cannot start the simulator on port ${env.SIMULATOR_PORT} (${error instanceof Error ? error.message : String(error)}). Free the port or set SIMULATOR_PORT.`,
      );
    },
  );
  const lines = [
    "",
    "  WhatsApp Cloud API simulator is running.",
    `  Graph API      ${simulator.url}/v25.0   (any /vNN.N/ prefix)`,
    `  Customer phone ${simulator.phoneUrl}`,
    `  Control API    ${simulator.url}/_control/state`,
    `  Webhooks to    ${process.env.SIMULATOR_WEBHOOK_URL ?? `${env.PUBLIC_URL}/webhooks/whatsapp`}`,
    `  Phone number   ${env.WHATSAPP_PHONE_NUMBER_ID ?? ""} · WABA ${env.WHATSAPP_BUSINESS_ACCOUNT_ID ?? ""}`,
  ];
  if (!hasSharedSecrets) {
    lines.push(
      "",
      "  WHATSAPP_ACCESS_TOKEN / WHATSAPP_APP_SECRET are not both set: the simulator generated its own for this run,",
      "  so a separately started product will not match them. Set both (same values for product and simulator).",
    );
  }
  lines.push("", "  Press Ctrl-C to stop.", "");
  console.log(lines.join("\n"));
  const stop = () => {
    void simulator.close().finally(() => process.exit(0));
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
