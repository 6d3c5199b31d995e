/** The signed-in user as every request sees it (read with the session: packages/core/src/auth/find-session.ts). */
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
