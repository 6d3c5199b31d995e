import { randomBytes } from "node:crypto";
import type { Db } from "@inbox/db";
import { createUser } from "./create-user";

const FIRST_ADMIN_EMAIL = "admin@inbox.local";

/**
 * On a fresh installation (no user at all) creates an admin with a random password and returns the
 * credentials so start-up can print them once. Returns null when users exist.
 */
export async function ensureFirstAdmin(db: Db): Promise<{ email: string; password: string } | null> {
  if ((await db.user.count()) > 0) return null;
  const password = randomBytes(12).toString("base64url");
  await db.$transaction(async (tx) => {
    await createUser(
      tx,
      { email: FIRST_ADMIN_EMAIL, name: "Admin", password, role: "admin", teams: ["Support"] },
      { type: "system" },
    );
  });
  return { email: FIRST_ADMIN_EMAIL, password };
}
