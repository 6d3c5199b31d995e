/**
 * Real child processes for supervisor.test.ts, forked with tsx:
 *   supervised-fixture.ts steady|slow|fatal|stubborn   a supervised child (steady: runs until stopped; slow: the
 *                                                 same, ready a second after its init; fatal: cannot start;
 *                                                 stubborn: never finishes closing). Its ready info says when it
 *                                                 got its init and when it was ready (ms since the epoch).
 *   supervised-fixture.ts supervisor              a supervisor of two steady children that prints their pids
 */
import { fileURLToPath } from "node:url";
import { StartupError } from "../startup-error";
import { runSupervisedChild } from "../supervised-child";
import { Supervisor } from "../supervisor";

const mode = process.argv[2];

if (mode === "supervisor") {
  const self = fileURLToPath(import.meta.url);
  const supervisor = new Supervisor({
    children: ["one", "two"].map((name) => ({ name, modulePath: self, args: ["steady"], init: { name } })),
    report: (line) => console.error(line),
  });
  await supervisor.start();
  console.log(JSON.stringify(supervisor.pids()));
} else {
  await runSupervisedChild<{ name: string }>(async ({ name }) => {
    const initAt = Date.now();
    if (mode === "fatal") throw new StartupError(`The ${name} cannot start: port 1 is in use.`);
    if (mode === "slow") await new Promise((resolve) => setTimeout(resolve, 1000));
    const keepAlive = setInterval(() => undefined, 60_000);
    return {
      info: { name, pid: String(process.pid), initAt: String(initAt), readyAt: String(Date.now()) },
      close: () =>
        mode === "stubborn" ? new Promise<void>(() => undefined) : Promise.resolve(clearInterval(keepAlive)),
    };
  });
}
