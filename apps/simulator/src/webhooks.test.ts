import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  GraphApiError,
  GraphClient,
  getMessagesValues,
  isUserPreferencesChange,
  type SendMessageRequest,
} from "@inbox/whatsapp";
import type { RunningSimulator } from "./server";
import {
  TEST_PHONE_NUMBER_ID,
  TEST_TOKEN,
  startReceiver,
  startTestSimulator,
  statusesOf,
  type Receiver,
} from "./test-helpers";

let receiver: Receiver;
let sim: RunningSimulator;
let client: GraphClient;

const text = (to: string, body = "Hallo"): SendMessageRequest => ({
  messaging_product: "whatsapp",
  to,
  type: "text",
  text: { body },
});
const marketing = (to: string): SendMessageRequest => ({
  messaging_product: "whatsapp",
  to,
  type: "template",
  template: {
    name: "spring_sale",
    language: { code: "de" },
    components: [
      {
        type: "body",
        parameters: [
          { type: "text", text: "Erika" },
          { type: "text", text: "Sonntag" },
        ],
      },
    ],
  },
});

async function sendAndSettle(body: SendMessageRequest) {
  const result = await client.sendMessage(TEST_PHONE_NUMBER_ID, body);
  await sim.sim.idle();
  const wamid = result.messages[0]!.id;
  return { wamid, statuses: statusesOf(receiver.received).filter((s) => s.id === wamid) };
}

async function customerSays(body: Record<string, unknown>) {
  const res = await fetch(`${sim.url}/_customer/messages`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return (await res.json()) as {
    wamid: string;
    delivered: boolean;
    customer: { id: string; waId: string; userId: string | null };
  };
}

beforeEach(async () => {
  receiver = await startReceiver();
  sim = await startTestSimulator(receiver.url);
  client = new GraphClient({ baseUrl: `${sim.url}/v25.0`, accessToken: TEST_TOKEN, timeoutMs: 2000 });
});
afterEach(async () => {
  await sim.sim.idle();
  await sim.close();
  await receiver.close();
});

describe("status webhooks", () => {
  it("delivers signed sent → delivered → read in the v24+ shape (no conversation, PMP pricing)", async () => {
    const { statuses } = await sendAndSettle(text("+4915112345678"));
    expect(receiver.rejected).toBe(0);
    expect(statuses.map((s) => s.status)).toEqual(["sent", "delivered", "read"]);
    expect(statuses.every((s) => s.conversation === undefined)).toBe(true);
    expect(statuses[0]!.pricing).toMatchObject({ pricing_model: "PMP", category: "service" });
    expect(statuses[0]!.recipient_id).toBe("4915112345678");
  });

  it("sometimes reports read without delivered", async () => {
    sim.sim.options.readWithoutDeliveredRate = 1;
    const { statuses } = await sendAndSettle(text("+4915112345678"));
    expect(statuses.map((s) => s.status)).toEqual(["sent", "read"]);
    expect(statuses[1]!.pricing).toBeDefined();
  });

  it("emits the conversation object for versions before v24", async () => {
    await sim.close();
    sim = await startTestSimulator(receiver.url, { graphVersion: "v23.0" });
    client = new GraphClient({ baseUrl: `${sim.url}/v23.0`, accessToken: TEST_TOKEN });
    const { statuses } = await sendAndSettle(text("+4915112345678"));
    expect(statuses[0]!.conversation).toBeDefined();
  });

  it("duplicates deliveries when asked to", async () => {
    sim.sim.webhookBehaviour.duplicateRate = 1;
    const { statuses } = await sendAndSettle(text("+4915112345678"));
    expect(statuses.length).toBe(6);
  });

  it("reorders statuses when asked to (a held-back status arrives after later ones)", async () => {
    const draws = [0.9, 0, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9];
    sim.sim.webhookBehaviour.reorderRate = 0.5;
    (sim.sim as unknown as { random: () => number }).random = () => draws.shift() ?? 0.9;
    const { statuses } = await sendAndSettle(text("+4915112345678"));
    expect(statuses.map((s) => s.status)).toEqual(["delivered", "read", "sent"]);
  });

  it("sends value-level errors and unsupported messages", async () => {
    await fetch(`${sim.url}/_control/value-error`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ code: 131000 }),
    });
    await customerSays({ phone: "+4915112345678", type: "unsupported", text: "poll" });
    const values = receiver.received.map((p) => getMessagesValues(p)[0]!.value);
    expect(values[0]!.errors?.[0]?.code).toBe(131000);
    expect(values[1]!.messages?.[0]).toMatchObject({ type: "unsupported", errors: [{ code: 131051 }] });
  });

  it("retries with backoff while the receiver answers non-200", async () => {
    receiver.failNext.push(500, 503);
    const result = await customerSays({ phone: "+4915112345678", type: "text", text: "Hallo" });
    expect(result.delivered).toBe(false);
    await sim.sim.idle();
    expect(sim.sim.sender.stats).toMatchObject({ attempts: 3, delivered: 1, failed: 0, deliveries: 1 });
    expect(receiver.received).toHaveLength(1);
  });

  it("reports a wrong app secret as rejected by the receiver", async () => {
    await sim.close();
    sim = await startTestSimulator(receiver.url, { appSecret: "other", webhookMaxAttempts: 1 });
    const result = await customerSays({ phone: "+4915112345678", type: "text", text: "Hallo" });
    expect(result.delivered).toBe(false);
    expect(receiver.rejected).toBe(1);
  });
});

describe("asynchronous failures (accepted, then a failed status)", () => {
  const failedCode = (statuses: { status: string; errors?: { code: number }[] }[]) =>
    statuses.find((s) => s.status === "failed")?.errors?.[0]?.code;

  it("131026 for recipients beginning 999", async () => {
    const { statuses } = await sendAndSettle(text("+999123456789"));
    expect(failedCode(statuses)).toBe(131026);
    expect(statuses).toHaveLength(1);
  });

  it("131047 more than 24 h after the customer's last message; never-seen customers are inside the window", async () => {
    expect(failedCode((await sendAndSettle(text("+4915199999999"))).statuses)).toBeUndefined();
    await customerSays({ phone: "+4915112345678", type: "text", text: "Hallo" });
    sim.sim.advanceClock(23 * 3600_000);
    expect(failedCode((await sendAndSettle(text("+4915112345678"))).statuses)).toBeUndefined();
    sim.sim.advanceClock(2 * 3600_000);
    expect(failedCode((await sendAndSettle(text("+4915112345678"))).statuses)).toBe(131047);
    // templates still go out
    expect(failedCode((await sendAndSettle(marketing("+4915112345678"))).statuses)).toBeUndefined();
  });

  it("131050 for marketing after a user_preferences opt-out", async () => {
    const res = await fetch(`${sim.url}/_customer/preferences`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ phone: "+4915112345678", value: "stop" }),
    });
    expect(((await res.json()) as { delivered: boolean }).delivered).toBe(true);
    const change = receiver.received[0]!.entry[0]!.changes[0]!;
    expect(isUserPreferencesChange(change)).toBe(true);
    expect(failedCode((await sendAndSettle(marketing("+4915112345678"))).statuses)).toBe(131050);
    expect(failedCode((await sendAndSettle(text("+4915112345678"))).statuses)).toBeUndefined();
  });

  it("131049 after too many marketing messages to one user", async () => {
    sim.sim.options.marketingPerUserPerDay = 2;
    await sendAndSettle(marketing("+4915112345678"));
    await sendAndSettle(marketing("+4915112345678"));
    expect(failedCode((await sendAndSettle(marketing("+4915112345678"))).statuses)).toBe(131049);
  });

  it("131056 above the pair rate (burst of 45, then 1 per 6 s)", async () => {
    // The simulator's clock stands still during the burst, however slow the machine: no token refills meanwhile.
    await sim.close();
    const frozenAt = Date.now();
    sim = await startTestSimulator(receiver.url, { now: () => frozenAt });
    client = new GraphClient({ baseUrl: `${sim.url}/v25.0`, accessToken: TEST_TOKEN, timeoutMs: 2000 });
    const codes: (number | undefined)[] = [];
    for (let i = 0; i < 46; i++) {
      const r = await client.sendMessage(TEST_PHONE_NUMBER_ID, text("+4915112345678", `n${i}`));
      codes.push(r.messages[0] ? undefined : -1);
    }
    await sim.sim.idle();
    const failed = statusesOf(receiver.received).filter((s) => s.status === "failed");
    expect(failed).toHaveLength(1);
    expect(failed[0]!.errors?.[0]?.code).toBe(131056);
    sim.sim.advanceClock(6_000);
    expect(failedCode((await sendAndSettle(text("+4915112345678"))).statuses)).toBeUndefined();
  });

  it("forced asynchronous errors", async () => {
    await fetch(`${sim.url}/_control/force`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ code: 131049, mode: "async" }),
    });
    expect(failedCode((await sendAndSettle(text("+4915112345678"))).statuses)).toBe(131049);
  });
});

describe("customers", () => {
  it("delivers a phone customer's text as Meta's messages webhook", async () => {
    const result = await customerSays({ phone: "+49 151 12345678", name: "Erika", type: "text", text: "Hallo" });
    expect(result.delivered).toBe(true);
    const [{ value, wabaId }] = getMessagesValues(receiver.received[0]!) as [
      ReturnType<typeof getMessagesValues>[number],
    ];
    expect(wabaId).toBe("200000000000001");
    expect(value.metadata).toEqual({ display_phone_number: "49301234567", phone_number_id: TEST_PHONE_NUMBER_ID });
    expect(value.contacts?.[0]).toMatchObject({ profile: { name: "Erika" }, wa_id: "4915112345678" });
    expect(value.messages?.[0]).toMatchObject({ from: "4915112345678", type: "text", text: { body: "Hallo" } });
  });

  it("identifies username users only by BSUID (empty wa_id and from)", async () => {
    const result = await customerSays({ username: "erika.m", isBsuidOnly: true, type: "text", text: "Hi" });
    const value = getMessagesValues(receiver.received[0]!)[0]!.value;
    expect(value.contacts?.[0]?.wa_id).toBe("");
    expect(value.contacts?.[0]?.user_id).toBe(result.customer.userId);
    expect(value.messages?.[0]?.from).toBe("");
    expect(value.messages?.[0]?.from_user_id).toBe(result.customer.userId);
    const again = await customerSays({ username: "erika.m", isBsuidOnly: true, type: "text", text: "Noch da?" });
    expect(again.customer.id).toBe(result.customer.id);
    const { statuses } = await sendAndSettle(text(result.customer.userId!));
    expect(statuses[0]).toMatchObject({ recipient_id: "", recipient_user_id: result.customer.userId });
  });

  it("sends button replies, locations, reactions and media", async () => {
    const sent = await client.sendMessage(TEST_PHONE_NUMBER_ID, {
      messaging_product: "whatsapp",
      to: "+4915112345678",
      type: "interactive",
      interactive: {
        type: "button",
        body: { text: "Passt es?" },
        action: { buttons: [{ type: "reply", reply: { id: "yes", title: "Ja" } }] },
      },
    });
    const wamid = sent.messages[0]!.id;
    await customerSays({
      phone: "+4915112345678",
      type: "button_reply",
      replyId: "yes",
      replyTitle: "Ja",
      contextId: wamid,
    });
    await customerSays({ phone: "+4915112345678", type: "location", latitude: 52.5, longitude: 13.4 });
    await customerSays({ phone: "+4915112345678", type: "reaction", messageId: wamid, emoji: "👍" });
    await customerSays({ phone: "+4915112345678", type: "image", caption: "Foto" });
    await sim.sim.idle();
    const messages = receiver.received.flatMap((p) => getMessagesValues(p)[0]!.value.messages ?? []);
    expect(messages.map((m) => m.type)).toEqual(["interactive", "location", "reaction", "image"]);
    expect(messages[0]).toMatchObject({
      context: { id: wamid },
      interactive: { type: "button_reply", button_reply: { id: "yes", title: "Ja" } },
    });
    // the inbound media is downloadable through the Graph API
    const url = await client.getMediaUrl(messages[3]!.image!.id);
    const media = await client.downloadMedia(url.url);
    expect(media.bytes.subarray(1, 4).toString()).toBe("PNG");
  });

  it("sends system messages for a changed number and user id", async () => {
    await customerSays({ phone: "+4915112345678", type: "text", text: "Hallo" });
    await fetch(`${sim.url}/_customer/system`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ phone: "+4915112345678", newPhone: "+4915187654321" }),
    });
    await fetch(`${sim.url}/_customer/system`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ phone: "+4915187654321", newUserId: "DE.1111111111111111111" }),
    });
    const systems = receiver.received
      .flatMap((p) => getMessagesValues(p)[0]!.value.messages ?? [])
      .filter((m) => m.type === "system");
    expect(systems.map((m) => m.system?.type)).toEqual(["user_changed_number", "user_changed_user_id"]);
    expect(systems[0]!.system?.wa_id).toBe("4915187654321");
    expect(systems[1]!.system?.user_id).toBe("DE.1111111111111111111");
  });

  it("serves the customer phone page", async () => {
    const res = await fetch(`${sim.url}/phone`);
    expect(res.headers.get("content-type")).toContain("text/html");
    expect(await res.text()).toContain("Kunden-Handy");
  });
});

describe("the product's Graph client against the simulator", () => {
  it("surfaces forced 5xx, timeouts and slow answers as retryable GraphApiErrors", async () => {
    const force = (body: unknown) =>
      fetch(`${sim.url}/_control/force`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    await force({ http: 500 });
    await expect(client.sendMessage(TEST_PHONE_NUMBER_ID, text("+4915112345678"))).rejects.toMatchObject({
      httpStatus: 500,
      code: 1,
      isRetryable: true,
    });
    await force({ timeout: true });
    const quick = new GraphClient({ baseUrl: `${sim.url}/v25.0`, accessToken: TEST_TOKEN, timeoutMs: 200 });
    await expect(quick.sendMessage(TEST_PHONE_NUMBER_ID, text("+4915112345678"))).rejects.toMatchObject({
      isTimeout: true,
      isRetryable: true,
    });
    await force({ slowMs: 300 });
    const started = Date.now();
    await client.sendMessage(TEST_PHONE_NUMBER_ID, text("+4915112345678"));
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    await force({ code: 131047, mode: "sync" });
    const error = await client.sendMessage(TEST_PHONE_NUMBER_ID, text("+4915112345678")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphApiError);
    expect(error).toMatchObject({ code: 131047, isRetryable: false });
    const wrongToken = new GraphClient({ baseUrl: `${sim.url}/v25.0`, accessToken: "nope" });
    await expect(wrongToken.listTemplates("200000000000001")).rejects.toMatchObject({
      code: 190,
      httpStatus: 401,
      isRetryable: false,
    });
    const templates = await client.listTemplates("200000000000001", { limit: 2 });
    expect(templates.data.length).toBe(sim.sim.templates.length);
  });
});

describe("outages of a period (fault tests)", () => {
  const force = (body: unknown) =>
    fetch(`${sim.url}/_control/force`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });

  it("answers 5xx to every send for forMs, then accepts again", async () => {
    expect((await force({ http: 503, forMs: 400 })).ok).toBe(true);
    for (let i = 0; i < 3; i++) {
      await expect(client.sendMessage(TEST_PHONE_NUMBER_ID, text("+4915112345678"))).rejects.toMatchObject({
        httpStatus: 503,
      });
    }
    await new Promise((r) => setTimeout(r, 450));
    await expect(client.sendMessage(TEST_PHONE_NUMBER_ID, text("+4915112345678"))).resolves.toBeDefined();
    expect(sim.sim.forced).toHaveLength(0);
  });

  it("an accepted timeout sends the message and its status webhooks but never answers the call", async () => {
    await force({ timeout: true, accepted: true });
    const quick = new GraphClient({ baseUrl: `${sim.url}/v25.0`, accessToken: TEST_TOKEN, timeoutMs: 300 });
    await expect(quick.sendMessage(TEST_PHONE_NUMBER_ID, text("+4915112345678", "lost answer"))).rejects.toMatchObject({
      isTimeout: true,
    });
    const sent = [...sim.sim.outbound.values()];
    expect(sent).toHaveLength(1);
    await sim.sim.idle();
    expect(statusesOf(receiver.received).some((s) => s.status === "sent")).toBe(true);
  });

  it("holds every send unanswered for forMs, without sending it", async () => {
    await force({ timeout: true, forMs: 2_000 });
    const quick = new GraphClient({ baseUrl: `${sim.url}/v25.0`, accessToken: TEST_TOKEN, timeoutMs: 200 });
    for (let i = 0; i < 2; i++) {
      await expect(quick.sendMessage(TEST_PHONE_NUMBER_ID, text("+4915112345678"))).rejects.toMatchObject({
        isTimeout: true,
      });
    }
    expect(sim.sim.outbound.size).toBe(0);
  });

  it("refuses a period that is not a positive number of milliseconds", async () => {
    expect((await force({ http: 503, forMs: 0 })).status).toBeGreaterThanOrEqual(400);
    expect((await force({ http: 503, forMs: "soon" })).status).toBeGreaterThanOrEqual(400);
    expect(sim.sim.forced).toHaveLength(0);
  });
});
