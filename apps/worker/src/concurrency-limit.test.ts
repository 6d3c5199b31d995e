import { describe, expect, it } from "vitest";
import { createConcurrencyLimit } from "./concurrency-limit";

describe("createConcurrencyLimit", () => {
  it("runs at most `limit` tasks at once, the rest in arrival order, and frees the place when a task fails", async () => {
    const limit = createConcurrencyLimit(2);
    let running = 0;
    let most = 0;
    const order: number[] = [];
    const task = (n: number) => async () => {
      running++;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running--;
      order.push(n);
      if (n === 1) throw new Error("task 1 fails");
      return n;
    };
    const results = await Promise.allSettled([1, 2, 3, 4, 5].map((n) => limit(task(n))));
    expect(most).toBe(2);
    expect(results.map((r) => r.status)).toEqual(["rejected", "fulfilled", "fulfilled", "fulfilled", "fulfilled"]);
    expect(order.slice(2)).toEqual([3, 4, 5]);
    expect(await limit(async () => "after")).toBe("after");
  });
});
