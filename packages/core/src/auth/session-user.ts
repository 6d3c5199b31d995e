import type { DbTx } from "@inbox/db";
import { doLeadsSeeTeamlessConversations } from "./read-security-settings";

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: "agent" | "lead" | "admin";
  teamIds: string[];
  locale: string;
  timeZone: string;
  totpEnabled: boolean;
  /** An admin reset the password: until the user sets their own, only the password change works. */
  mustChangePassword: boolean;
  /** Leads: whether they also see team-less conversations (admin setting; see canAccessConversation). */
  seesTeamlessConversations: boolean;
}

export async function loadSessionUser(db: DbTx, userId: string): Promise<SessionUser | null> {
  const user = await db.user.findUnique({
    where: { id: userId },
    include: { memberships: { select: { teamId: true } } },
  });
  if (!user || !user.isActive) return null;
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    teamIds: user.memberships.map((m) => m.teamId),
    locale: user.locale,
    timeZone: user.timeZone,
    totpEnabled: user.totpEnabledAt !== null,
    mustChangePassword: user.mustChangePassword,
    seesTeamlessConversations: user.role === "lead" && (await doLeadsSeeTeamlessConversations(db)),
  };
}
