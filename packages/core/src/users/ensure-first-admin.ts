import { randomBytes } from "node:crypto";
import type { Db } from "@inbox/db";
import { lockStartupProvisioning, STARTUP_TRANSACTION } from "../channels/startup-lock";
import { createUser } from "./create-user";

const FIRST_ADMIN_EMAIL = "admin@inbox.local";

/**
 * On a fresh installation (no user at all) creates an admin with a random password and returns the
 * credentials so start-up can print them once. Returns null when users exist.
 */
export async function ensureFirstAdmin(db: Db): Promise<{ email: string; password: string } | null> {
  if ((await db.user.count()) > 0) return null;
  const password = randomBytes(12).toString("base64url");
  // Two api instances starting on a fresh database: the second waits for the first and then finds the admin.
  const created = await db.$transaction(async (tx) => {
    await lockStartupProvisioning(tx);
    if ((await tx.user.count()) > 0) return false;
    await createUser(
      tx,
      { email: FIRST_ADMIN_EMAIL, name: "Admin", password, role: "admin", teams: ["Support"] },
      { type: "system" },
    );
    return true;
  }, STARTUP_TRANSACTION);
  return created ? { email: FIRST_ADMIN_EMAIL, password } : null;
}
