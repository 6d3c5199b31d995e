import type { Db } from "@inbox/db";
import { recordAudit } from "../audit/record-audit";

export async function logOut(db: Db, sessionId: string, userId: string, ip?: string): Promise<void> {
  await db.session.deleteMany({ where: { id: sessionId } });
  await recordAudit(db, { type: "user", userId, ...(ip ? { ip } : {}) }, "auth.logout", "user", userId);
}
