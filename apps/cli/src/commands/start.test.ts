import { describe, expect, it } from "vitest";
import { childExecArgv } from "./start";

describe("the Node options of pnpm start's children", () => {
  it("keep this process's options and add the larger young generation", () => {
    expect(childExecArgv(["--import", "tsx"], "")).toEqual(["--import", "tsx", "--max-semi-space-size=64"]);
  });

  it("leave an operator's own young generation as it is, from NODE_OPTIONS or the command line", () => {
    expect(childExecArgv(["--import", "tsx"], "--enable-source-maps --max-semi-space-size=16")).toEqual([
      "--import",
      "tsx",
    ]);
    expect(childExecArgv(["--max-semi-space-size=32"], "")).toEqual(["--max-semi-space-size=32"]);
  });
});
