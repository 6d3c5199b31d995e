/** Test helpers: a real local HTTP receiver that checks signatures and parses with the shared schema. */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createLogger } from "@inbox/logger";
import { parseWebhookPayload, verifySignature, type WebhookPayload } from "@inbox/whatsapp";
import { startSimulator, type RunningSimulator } from "./server";
import type { SimulatorOptions } from "./simulator";

export const TEST_TOKEN = "test-access-token";
export const TEST_SECRET = "test-app-secret";
export const TEST_PHONE_NUMBER_ID = "100000000000001";
export const TEST_WABA_ID = "200000000000001";

export interface Receiver {
  url: string;
  received: WebhookPayload[];
  rejected: number;
  /** answer these statuses first (e.g. [500, 500]) before answering 200 */
  failNext: number[];
  close(): Promise<void>;
}

export async function startReceiver(secret = TEST_SECRET): Promise<Receiver> {
  const receiver: Receiver = { url: "", received: [], rejected: 0, failNext: [], close: async () => undefined };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks);
      if (!verifySignature(raw, req.headers["x-hub-signature-256"], secret)) {
        receiver.rejected++;
        res.writeHead(401).end();
        return;
      }
      const forced = receiver.failNext.shift();
      if (forced) {
        res.writeHead(forced).end();
        return;
      }
      const parsed = parseWebhookPayload(raw);
      if (!parsed.ok) {
        receiver.rejected++;
        res.writeHead(400).end(parsed.issues.join("\n"));
        return;
      }
      receiver.received.push(parsed.payload);
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/whatsapp`;
  receiver.close = () => new Promise((resolve) => server.close(() => resolve()));
  return receiver;
}

export function testOptions(webhookUrl: string, overrides: Partial<SimulatorOptions> = {}): SimulatorOptions {
  return {
    accessToken: TEST_TOKEN,
    appSecret: TEST_SECRET,
    webhookUrl,
    phoneNumberId: TEST_PHONE_NUMBER_ID,
    wabaId: TEST_WABA_ID,
    displayNumber: "+49 30 1234567",
    statusStepMs: 5,
    readWithoutDeliveredRate: 0,
    webhookRetryBaseMs: 5,
    log: createLogger({ name: "simulator-test", level: "silent", pretty: false }),
    ...overrides,
  };
}

/** Where webhooks go when a test does not receive them (nothing listens on port 9: one refused attempt). */
export const NO_RECEIVER = "http://127.0.0.1:9/webhooks/whatsapp";

export interface TestSimulator extends RunningSimulator {
  /** The Graph API base the product's clients use, e.g. http://127.0.0.1:PORT/v25.0 (GRAPH_API_URL). */
  graphUrl: string;
  /** The product's environment for talking to this simulator (merge into parseEnv's input). */
  productEnv: Record<string, string>;
}

/** A simulator on a free loopback port with test defaults (fast status steps, fixed token, secret and ids). */
export async function startTestSimulator(
  receiverUrl: string,
  overrides: Partial<SimulatorOptions> = {},
): Promise<TestSimulator> {
  const options = testOptions(receiverUrl, overrides);
  const running = await startSimulator({ ...options, port: 0, host: "127.0.0.1" });
  const graphUrl = `${running.url}/${options.graphVersion ?? "v25.0"}`;
  const productEnv = {
    GRAPH_API_URL: graphUrl,
    WHATSAPP_ACCESS_TOKEN: options.accessToken,
    WHATSAPP_APP_SECRET: options.appSecret,
    WHATSAPP_VERIFY_TOKEN: "verify",
    WHATSAPP_PHONE_NUMBER_ID: options.phoneNumberId,
    WHATSAPP_BUSINESS_ACCOUNT_ID: options.wabaId,
  };
  return Object.assign(running, { graphUrl, productEnv });
}

/** All statuses received, in arrival order. */
export function statusesOf(received: WebhookPayload[]) {
  return received.flatMap((p) =>
    p.entry.flatMap((e) =>
      e.changes.flatMap((c) => (c.field === "messages" ? ((c.value as { statuses?: unknown[] }).statuses ?? []) : [])),
    ),
  ) as {
    id: string;
    status: string;
    errors?: { code: number }[];
    pricing?: Record<string, unknown>;
    conversation?: unknown;
    recipient_id: string;
    recipient_user_id?: string;
  }[];
}
