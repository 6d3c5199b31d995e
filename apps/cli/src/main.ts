#!/usr/bin/env tsx
/** `pnpm inbox <command>` and `pnpm start`. */
import { migrateCommand } from "./commands/migrate";
import { simulatorCommand } from "./commands/simulator";
import { startCommand } from "./commands/start";
import { USER_CREATE_USAGE, userCreateCommand } from "./commands/user-create";
import { WEBHOOKS_REPROCESS_USAGE, webhooksReprocessCommand } from "./commands/webhooks-reprocess";
import { WHATSAPP_REGISTER_USAGE, whatsappRegisterCommand } from "./commands/whatsapp-register";
import { runCommand, StartupError } from "./runtime";

const USAGE = `Usage: pnpm inbox <command>

Commands:
  start                 apply migrations and run api, worker, console (and the simulator without Meta credentials)
  serve api|worker      run one role (containers): api serves the console; worker runs the jobs
  migrate               apply pending database migrations
  whatsapp register …   enable Meta's local storage (DATA_REGION) for the number and register it: --pin 123456
  simulator             run the WhatsApp Cloud API simulator alone (SIMULATOR_PORT)
  user create …         ${USER_CREATE_USAGE.replace("pnpm inbox user create ", "")}
  webhooks reprocess    apply quarantined webhook parts again: [--since ISO-date]
`;

const [command, ...rest] = process.argv.slice(2);

await runCommand(async () => {
  switch (command) {
    case "start":
      return startCommand();
    case "serve": {
      const role = rest[0];
      if (role !== "api" && role !== "worker") throw new StartupError("Usage: pnpm inbox serve api|worker");
      return startCommand([role]);
    }
    case "simulator":
      return simulatorCommand();
    case "whatsapp":
      if (rest[0] === "register") {
        await whatsappRegisterCommand(rest.slice(1));
        return process.exit(0);
      }
      throw new StartupError(`Usage: ${WHATSAPP_REGISTER_USAGE}`);
    case "migrate":
      await migrateCommand();
      return process.exit(0);
    case "user":
      if (rest[0] === "create") {
        await userCreateCommand(rest.slice(1));
        return process.exit(0);
      }
      throw new StartupError(`Usage: ${USER_CREATE_USAGE}`);
    case "webhooks":
      if (rest[0] === "reprocess") {
        await webhooksReprocessCommand(rest.slice(1));
        return process.exit();
      }
      throw new StartupError(`Usage: ${WEBHOOKS_REPROCESS_USAGE}`);
    case undefined:
    case "help":
    case "--help":
      console.log(USAGE);
      return;
    default:
      throw new StartupError(`Unknown command "${command}".\n${USAGE}`);
  }
});
