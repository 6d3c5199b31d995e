import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@inbox/db/testing";
import { evaluateSendPolicy } from "../outbound/evaluate-send-policy";
import { seedOutbound } from "../outbound/outbound-fixtures.test-helpers";
import { createSendStatements } from "../outbound/send-statements";
import type { ConsentState } from "./consent-rules";
import { findCurrentConsents } from "./current-consents";
import { recordConsent, type RecordConsentInput } from "./record-consent";

// One query for the current consents: the API's policy check (findCurrentConsents) and the worker's claim statement
// (which embeds currentConsentsSql) must read the same state from the same log, whatever the log holds.
let t: TestDatabase;
let seed: Awaited<ReturnType<typeof seedOutbound>>;

/** Purpose and status, sorted (both reads also carry when it happened; the API's and the claim's must agree). */
const byPurpose = (c: ConsentState[]) =>
  [...c].sort((a, b) => a.purpose.localeCompare(b.purpose)).map(({ purpose, status }) => ({ purpose, status }));

/** What the worker's claim statement loads for a message to this contact. */
async function claimedConsents(): Promise<ConsentState[]> {
  const message = await t.db.message.create({
    data: {
      conversationId: seed.conversation.id,
      channelId: seed.channel.id,
      direction: "outbound",
      type: "text",
      text: "hi",
      status: "queued",
    },
  });
  const claimed = await createSendStatements(t.db).claim(message.id, new Date());
  return claimed!._consents;
}

beforeAll(async () => {
  t = await createTestDatabase();
  seed = await seedOutbound(t.db);
});
afterAll(async () => {
  await t.drop();
});

describe("current consents: one query for the API and the worker", () => {
  const at = (s: number) => new Date(Date.UTC(2026, 11, 1, 10, 0, s));
  const record = (input: Omit<RecordConsentInput, "contactId" | "evidence">) =>
    t.db.$transaction((tx) => recordConsent(tx, { contactId: seed.contact.id, evidence: {}, ...input }));
  const steps: [string, () => Promise<unknown>, ConsentState[]][] = [
    ["no record yet", async () => undefined, []],
    [
      "an opt-in keyword grants service and marketing",
      () =>
        record({ purposes: ["service", "marketing"], status: "granted", source: "chat_keyword", occurredAt: at(1) }),
      [
        { purpose: "marketing", status: "granted" },
        { purpose: "service", status: "granted" },
      ],
    ],
    [
      "WhatsApp's stop promotions withdraws marketing only",
      () => record({ purposes: ["marketing"], status: "withdrawn", source: "whatsapp", occurredAt: at(2) }),
      [
        { purpose: "marketing", status: "withdrawn" },
        { purpose: "service", status: "granted" },
      ],
    ],
    [
      "a record stored later but dated earlier does not win",
      () => record({ purposes: ["marketing"], status: "granted", source: "agent", occurredAt: at(0) }),
      [
        { purpose: "marketing", status: "withdrawn" },
        { purpose: "service", status: "granted" },
      ],
    ],
    [
      "STOP withdraws everything",
      () =>
        record({ purposes: ["service", "marketing"], status: "withdrawn", source: "chat_keyword", occurredAt: at(3) }),
      [
        { purpose: "marketing", status: "withdrawn" },
        { purpose: "service", status: "withdrawn" },
      ],
    ],
    [
      "of two records at the same instant, the one stored later wins",
      () => record({ purposes: ["service"], status: "granted", source: "agent", occurredAt: at(3) }),
      [
        { purpose: "marketing", status: "withdrawn" },
        { purpose: "service", status: "granted" },
      ],
    ],
  ];

  it.each(steps)("%s", async (_name, step, expected) => {
    await step();
    const api = await findCurrentConsents(t.db, seed.contact.id);
    expect(byPurpose(api)).toEqual(expected);
    expect(byPurpose(await claimedConsents())).toEqual(expected);
    expect(await claimedConsents()).toEqual(expect.arrayContaining(api));
    expect(api.every((c) => typeof c.occurredAt === "string")).toBe(true);
    // The policy check reads it itself when the caller has not: same decision as with the claim's copy.
    const input = { channelId: seed.channel.id, contactId: seed.contact.id, lastInboundAt: null, now: new Date() };
    const own = await evaluateSendPolicy(t.db, {
      ...input,
      kind: "template",
      template: { name: "order_update", language: "de" },
    });
    const given = await evaluateSendPolicy(t.db, {
      ...input,
      kind: "template",
      template: { name: "order_update", language: "de" },
      consents: await claimedConsents(),
    });
    expect(own.decision).toEqual(given.decision);
  });
});
