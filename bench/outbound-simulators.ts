/**
 * Child process of bench/outbound.ts (started with child_process.fork): Cloud API simulators, one per phone
 * number, each on its own loopback port with its throughput limit. Sends `{ports}` to the parent once listening
 * and exits when the parent goes away (IPC channel closed), so a crashed or killed benchmark leaves nothing behind.
 * Webhooks go nowhere (one attempt).
 *   fork("outbound-simulators.ts", [count, throughputPerSec, accessToken, firstIndex])
 */
import type { AddressInfo } from "node:net";
import { createLogger } from "@inbox/logger";
import { buildSimulator } from "../apps/simulator/src/app";
import { phoneNumberIdFor } from "./outbound-numbers";

const [count = "1", throughput = "80", token = "bench-token", first = "0"] = process.argv.slice(2);
const log = createLogger({ name: "bench-simulator", level: "error", pretty: false });
process.on("disconnect", () => process.exit(0));
const ports: number[] = [];
for (let i = 0; i < Number(count); i++) {
  const { app } = buildSimulator({
    accessToken: token,
    appSecret: "bench-app-secret",
    webhookUrl: "http://127.0.0.1:9/webhooks/whatsapp",
    phoneNumberId: phoneNumberIdFor(Number(first) + i),
    wabaId: "200000000000001",
    displayNumber: "+49 30 1234567",
    throughputPerSec: Number(throughput),
    isAutoRead: false,
    statusStepMs: 60_000,
    webhookMaxAttempts: 1,
    webhookTimeoutMs: 200,
    log,
  });
  await app.listen({ port: 0, host: "127.0.0.1" });
  ports.push((app.server.address() as AddressInfo).port);
}
process.send?.({ ports });
