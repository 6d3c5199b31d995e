#!/usr/bin/env tsx
/** `pnpm inbox <command>` and `pnpm start`. */
import { migrateCommand } from "./commands/migrate";
import { RETENTION_RUN_USAGE, retentionRunCommand } from "./commands/retention-run";
import { USER_CREATE_USAGE, userCreateCommand } from "./commands/user-create";
import { WEBHOOKS_REPROCESS_USAGE, webhooksReprocessCommand } from "./commands/webhooks-reprocess";
import { WHATSAPP_REGISTER_USAGE, whatsappRegisterCommand } from "./commands/whatsapp-register";
import { runCommand, StartupError } from "./runtime";

const USAGE = `Usage: pnpm inbox <command>

Commands:
  start                 apply migrations, then run api (with the console), worker and, without Meta credentials, the
                        simulator, each in a supervised process of its own
  serve api|worker      run one role in this process (containers): api serves the console; worker runs the jobs
  migrate               apply pending database migrations
  whatsapp register …   enable Meta's local storage (DATA_REGION) for the number and register it: --pin 123456
  simulator             run the WhatsApp Cloud API simulator alone (SIMULATOR_PORT)
  retention run         run the deletion schedules now and print what was deleted; --dry-run only counts
  user create …         ${USER_CREATE_USAGE.replace("pnpm inbox user create ", "")}
  webhooks reprocess    apply quarantined webhook parts again: [--since ISO-date]
`;

const [command, ...rest] = process.argv.slice(2);

await runCommand(async () => {
  switch (command) {
    // Imported when run: `pnpm start` itself loads neither api, worker nor simulator (its child processes do).
    case "start":
      return (await import("./commands/start")).startCommand();
    case "serve": {
      const role = rest[0];
      if (role !== "api" && role !== "worker") throw new StartupError("Usage: pnpm inbox serve api|worker");
      return (await import("./commands/serve")).serveCommand(role);
    }
    case "simulator":
      return (await import("./commands/simulator")).simulatorCommand();
    case "whatsapp":
      if (rest[0] === "register") {
        await whatsappRegisterCommand(rest.slice(1));
        return process.exit(0);
      }
      throw new StartupError(`Usage: ${WHATSAPP_REGISTER_USAGE}`);
    case "migrate":
      await migrateCommand();
      return process.exit(0);
    case "retention":
      if (rest[0] === "run") {
        await retentionRunCommand(rest.slice(1));
        return process.exit(0);
      }
      throw new StartupError(`Usage: ${RETENTION_RUN_USAGE}`);
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
