import { dropStaleTestDatabases, prepareTemplateDatabase } from "@inbox/db/testing";
import { ensureChromium, ensureConsoleBuilt } from "./browser";

/**
 * Once per test run, before any test file: migrate the template database that each test file clones, and provision
 * what the browser tests need (Chromium, the built console), so parallel files never install or build at once.
 */
export default async function setup(): Promise<void> {
  await dropStaleTestDatabases();
  await prepareTemplateDatabase();
  ensureChromium();
  ensureConsoleBuilt();
}
