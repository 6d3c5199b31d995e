/**
 * Entry point of the processes `pnpm start` supervises: `child.ts api|worker|simulator`, forked by commands/start.ts.
 * The environment comes from the supervisor (parsed once there, with the development secrets it generated), so every
 * process shares one configuration.
 */
import type { Env } from "@inbox/config";
import { createProductLogger, isRole, runRole } from "./roles";
import { runSupervisedChild } from "./supervised-child";

const role = process.argv[2];
if (!isRole(role)) throw new Error(`Unknown role "${role}" (api, worker or simulator).`);

await runSupervisedChild<{ env: Env }>(({ env }) => runRole(role, env, createProductLogger(env)));
