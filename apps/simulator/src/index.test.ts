import { afterEach, describe, expect, it } from "vitest";
import { parseEnv } from "@inbox/config";
import { GraphClient } from "@inbox/whatsapp";
import { createLogger } from "@inbox/logger";
import { startSimulatorForProduct, type ProductSimulator } from "./index";
import { startReceiver, type Receiver } from "./test-helpers";

let simulator: ProductSimulator | undefined;
let receiver: Receiver | undefined;
afterEach(async () => {
  await simulator?.close();
  await receiver?.close();
});

describe("startSimulatorForProduct", () => {
  it("shares the product's generated token and app secret in simulator mode", async () => {
    const env = parseEnv({ SIMULATOR_PORT: "3001" });
    expect(env.isSimulatorMode).toBe(true);
    receiver = await startReceiver(env.WHATSAPP_APP_SECRET);
    simulator = await startSimulatorForProduct(env, {
      webhookUrl: receiver.url,
      port: 0,
      log: createLogger({ name: "simulator-test", level: "silent", pretty: false }),
    });
    expect(simulator.phoneUrl).toBe(`${simulator.url}/phone`);
    const client = new GraphClient({ baseUrl: `${simulator.url}/v25.0`, accessToken: env.WHATSAPP_ACCESS_TOKEN! });
    const sent = await client.sendMessage(env.WHATSAPP_PHONE_NUMBER_ID!, {
      messaging_product: "whatsapp",
      to: "+4915112345678",
      type: "text",
      text: { body: "Hallo" },
    });
    expect(sent.messages[0]?.id).toMatch(/^wamid\./);
    const res = await fetch(`${simulator.url}/_customer/messages`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ phone: "+4915112345678", type: "text", text: "Hallo" }),
    });
    expect(((await res.json()) as { delivered: boolean }).delivered).toBe(true);
    expect(receiver.rejected).toBe(0);
  });
});
