import { dropStaleTestDatabases, prepareTemplateDatabase } from "@inbox/db/testing";

/** Once per test run: migrate the template database that each test file clones. */
export default async function setup(): Promise<void> {
  await dropStaleTestDatabases();
  await prepareTemplateDatabase();
}
