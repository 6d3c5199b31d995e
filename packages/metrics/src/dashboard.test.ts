import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { Metrics } from "./metrics";

/** The Grafana dashboard in deploy/ must only name series that /metrics exposes (a renamed metric breaks panels). */
const dashboard = JSON.parse(
  readFileSync(new URL("../../../deploy/grafana/whatsapp-inbox.json", import.meta.url), "utf8"),
) as { panels: { title: string; targets: { expr: string }[] }[] };

async function exposedSeries(): Promise<Set<string>> {
  const metrics = new Metrics("api");
  const emptyQueue = {
    name: "outbound",
    getJobCounts: async () => ({}),
    getJobs: async () => [],
  };
  metrics.observeQueues([emptyQueue]);
  metrics.observeQuarantine(async () => 0);
  const { body } = await metrics.render();
  return new Set([...body.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]!));
}

describe("deploy/grafana/whatsapp-inbox.json", () => {
  it("has panels, and every series its queries name is one the product exposes", async () => {
    const exposed = await exposedSeries();
    expect(dashboard.panels.length).toBeGreaterThan(10);
    for (const panel of dashboard.panels) {
      for (const { expr } of panel.targets) {
        const names = [...expr.matchAll(/\binbox_[a-z0-9_]+/g)].map((m) => m[0].replace(/_(bucket|sum|count)$/, ""));
        expect(names.length, panel.title).toBeGreaterThan(0);
        for (const name of names) expect(exposed, `${panel.title}: ${name}`).toContain(name);
      }
    }
  });
});
