import { Writable } from "node:stream";
import { describe, expect, it, vi } from "vitest";
import { createLazyChildLogger, createLogger } from "./index";

function capture(level: string) {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split("\n").filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { log: createLogger({ name: "test", level, destination }), lines };
}

describe("createLazyChildLogger", () => {
  it("builds no pino child for lines below the level, and writes enabled lines with its bindings, redacted", () => {
    const { log, lines } = capture("warn");
    const child = vi.spyOn(log, "child");
    const request = createLazyChildLogger(log, { reqId: "r-1" });
    request.info({ text: "hello" }, "not written");
    request.debug("not written");
    expect(child).not.toHaveBeenCalled();
    expect(request.level).toBe("warn");

    request.warn({ message: { text: "secret body" }, count: 2 }, "written");
    expect(child).toHaveBeenCalledTimes(1);
    expect(lines).toEqual([
      expect.objectContaining({ reqId: "r-1", msg: "written", count: 2, message: { text: "[redacted]" }, level: 40 }),
    ]);
  });

  it("hands its bindings on to its own children and follows a level set on it", () => {
    const { log, lines } = capture("warn");
    const request = createLazyChildLogger(log, { reqId: "r-2" });
    request.child({ jobId: "j" }).error("from the grandchild");
    request.level = "debug";
    request.debug("now written");
    expect(lines).toEqual([
      expect.objectContaining({ reqId: "r-2", jobId: "j", msg: "from the grandchild" }),
      expect.objectContaining({ reqId: "r-2", msg: "now written" }),
    ]);
  });

  it("builds the child at once when it has options of its own (a route's log level)", () => {
    const { log, lines } = capture("warn");
    const request = createLazyChildLogger(log, { reqId: "r-3" }, { level: "info" });
    request.info("route-level info");
    expect(lines).toEqual([expect.objectContaining({ reqId: "r-3", msg: "route-level info" })]);
  });
});
