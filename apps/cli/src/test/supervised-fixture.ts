/**
 * Real child processes for supervisor.test.ts, forked with tsx:
 *   supervised-fixture.ts steady|fatal|stubborn   a supervised child (steady: runs until stopped; fatal: cannot
 *                                                 start; stubborn: never finishes closing)
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
    if (mode === "fatal") throw new StartupError(`The ${name} cannot start: port 1 is in use.`);
    const keepAlive = setInterval(() => undefined, 60_000);
    return {
      info: { name, pid: String(process.pid) },
      close: () =>
        mode === "stubborn" ? new Promise<void>(() => undefined) : Promise.resolve(clearInterval(keepAlive)),
    };
  });
}
