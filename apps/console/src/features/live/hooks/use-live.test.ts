import { describe, expect, it } from "vitest";
import type { MessageDto } from "@inbox/contracts";
import { insertNewestFirst } from "./use-live";

const msg = (id: string, createdAt: string) => ({ id, createdAt }) as MessageDto;

describe("insertNewestFirst (live message.created into the newest-first cache)", () => {
  const list = [msg("c", "2026-11-23T10:00:03.000Z"), msg("a", "2026-11-23T10:00:01.000Z")];

  it("puts the newest message first", () => {
    expect(insertNewestFirst(list, msg("d", "2026-11-23T10:00:04.000Z")).map((m) => m.id)).toEqual(["d", "c", "a"]);
  });

  it("puts a message that arrives late (an earlier createdAt) where the server's order has it", () => {
    // e.g. the opt-out confirmation's event overtakes the customer's "STOP" of the webhook batch.
    expect(insertNewestFirst(list, msg("b", "2026-11-23T10:00:02.000Z")).map((m) => m.id)).toEqual(["c", "b", "a"]);
    expect(insertNewestFirst(list, msg("z", "2026-11-23T09:59:59.000Z")).map((m) => m.id)).toEqual(["c", "a", "z"]);
  });

  it("breaks createdAt ties by id descending, as the server does", () => {
    expect(insertNewestFirst(list, msg("b", "2026-11-23T10:00:03.000Z")).map((m) => m.id)).toEqual(["c", "b", "a"]);
    expect(insertNewestFirst(list, msg("d", "2026-11-23T10:00:03.000Z")).map((m) => m.id)).toEqual(["d", "c", "a"]);
  });
});
