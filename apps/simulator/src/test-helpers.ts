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

export async function startTestSimulator(receiverUrl: string, overrides: Partial<SimulatorOptions> = {}): Promise<RunningSimulator> {
  return startSimulator({ ...testOptions(receiverUrl, overrides), port: 0 });
}

/** All statuses received, in arrival order. */
export function statusesOf(received: WebhookPayload[]) {
  return received.flatMap((p) =>
    p.entry.flatMap((e) =>
      e.changes.flatMap((c) => (c.field === "messages" ? ((c.value as { statuses?: unknown[] }).statuses ?? []) : [])),
    ),
  ) as { id: string; status: string; errors?: { code: number }[]; pricing?: Record<string, unknown>; conversation?: unknown; recipient_id: string; recipient_user_id?: string }[];
}
