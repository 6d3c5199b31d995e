/**
 * The child side of supervisor.ts: waits for the supervisor's `init` message, starts, answers `{type: "ready"}` or
 * `{type: "fatal", message}` (a StartupError's one line), and stops on SIGTERM or when the supervisor goes away.
 * SIGINT is left to the supervisor: Ctrl-C in a terminal reaches every process of the group, and the supervisor
 * must not mistake its children's exits for crashes.
 */
import type { ChildMessage, ReadyInfo } from "./supervisor";
import { StartupError } from "./startup-error";

export interface RunningChild {
  info?: ReadyInfo;
  close(): Promise<void>;
}

export async function runSupervisedChild<Init>(start: (init: Init) => Promise<RunningChild>): Promise<void> {
  if (!process.send) throw new Error("This module runs as a child of the supervisor (child_process.fork).");
  const send = (message: ChildMessage) => new Promise<void>((resolve) => process.send!(message, () => resolve()));
  let running: RunningChild | null = null;
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await running?.close().catch((err: unknown) => console.error(err));
    process.exit(0);
  };
  process.on("SIGINT", () => undefined);
  process.on("SIGTERM", () => void stop());
  process.on("disconnect", () => void stop());

  const init = await new Promise<Init>((resolve) => {
    process.once("message", (message: { type: "init"; init: Init }) => resolve(message.init));
    void send({ type: "listening" });
  });
  try {
    running = await start(init);
  } catch (error) {
    const message =
      error instanceof StartupError ? error.message : error instanceof Error ? error.message : String(error);
    if (!(error instanceof StartupError)) console.error(error);
    await send({ type: "fatal", message });
    process.exit(1);
  }
  await send({ type: "ready", ...(running.info ? { info: running.info } : {}) });
}
