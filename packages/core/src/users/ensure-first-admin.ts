import { randomBytes } from "node:crypto";
import type { Db } from "@inbox/db";
import { lockStartupProvisioning, STARTUP_TRANSACTION } from "../channels/startup-lock";
import { createUser } from "./create-user";

/**
 * On a fresh installation (no user at all) creates an admin (FIRST_ADMIN_EMAIL) with a random password and returns
 * the credentials so start-up can print them once. The password works for one sign-in only: the admin must set their
 * own before anything else (mustChangePassword), so the printed one — which ends up in container logs — is worthless
 * afterwards. Returns null when users exist.
 */
export async function ensureFirstAdmin(db: Db, email: string): Promise<{ email: string; password: string } | null> {
  if ((await db.user.count()) > 0) return null;
  const password = randomBytes(12).toString("base64url");
  // Two api instances starting on a fresh database: the second waits for the first and then finds the admin.
  const created = await db.$transaction(async (tx) => {
    await lockStartupProvisioning(tx);
    if ((await tx.user.count()) > 0) return false;
    await createUser(
      tx,
      { email, name: "Admin", password, role: "admin", teams: ["Support"], mustChangePassword: true },
      { type: "system" },
    );
    return true;
  }, STARTUP_TRANSACTION);
  return created ? { email, password } : null;
}
