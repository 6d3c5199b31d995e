import type { Env } from "@inbox/config";
import { createLogger, type Logger } from "@inbox/logger";
import { startSimulator } from "./server";

export { buildSimulator, type BuiltSimulator } from "./app";
export { startSimulator, type RunningSimulator } from "./server";
export {
  CloudApiSimulator,
  GraphError,
  normalizePhone,
  type Customer,
  type ChatEntry,
  type SimulatorOptions,
} from "./simulator";
export { runLoad, LoadOptionsSchema, type LoadOptions, type LoadReport } from "./load";
export { seedTemplates } from "./templates";

export interface ProductSimulator {
  url: string;
  phoneUrl: string;
  close(): Promise<void>;
}

/**
 * The simulator as `pnpm start` and `pnpm inbox simulator` run it: on SIMULATOR_PORT, accepting the product's
 * access token, signing with its app secret and sending webhooks to `${PUBLIC_URL}/webhooks/whatsapp`
 * (or `overrides.webhookUrl`).
 */
export async function startSimulatorForProduct(
  env: Env,
  overrides: { webhookUrl?: string; log?: Logger; host?: string; port?: number } = {},
): Promise<ProductSimulator> {
  if (!env.WHATSAPP_ACCESS_TOKEN || !env.WHATSAPP_APP_SECRET) {
    throw new Error(
      "The simulator needs WHATSAPP_ACCESS_TOKEN and WHATSAPP_APP_SECRET (parseEnv generates both in simulator mode).",
    );
  }
  const log = overrides.log ?? createLogger({ name: "simulator", level: env.LOG_LEVEL });
  const graphVersion = /\/(v\d+\.\d+)$/.exec(env.GRAPH_API_URL)?.[1] ?? "v25.0";
  const running = await startSimulator({
    port: overrides.port ?? env.SIMULATOR_PORT,
    host: overrides.host ?? "127.0.0.1",
    accessToken: env.WHATSAPP_ACCESS_TOKEN,
    appSecret: env.WHATSAPP_APP_SECRET,
    webhookUrl: overrides.webhookUrl ?? `${env.PUBLIC_URL.replace(/\/+$/, "")}/webhooks/whatsapp`,
    phoneNumberId: env.WHATSAPP_PHONE_NUMBER_ID ?? "100000000000001",
    wabaId: env.WHATSAPP_BUSINESS_ACCOUNT_ID ?? "200000000000001",
    displayNumber: env.WHATSAPP_DISPLAY_NUMBER ?? "+49 30 1234567",
    graphVersion,
    log,
  });
  return { url: running.url, phoneUrl: `${running.url}/phone`, close: () => running.close() };
}
