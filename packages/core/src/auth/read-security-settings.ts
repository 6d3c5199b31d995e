import type { SecuritySettings } from "@inbox/contracts";
import type { DbTx } from "@inbox/db";

export const REQUIRE_TOTP_SETTING = "security.requireTotp";
/** Whether leads also see conversations no team owns (CONTRACT "Roles" gives leads their teams; off by default). */
export const LEADS_SEE_TEAMLESS_SETTING = "access.leadsSeeTeamlessConversations";

/** Whether admins made TOTP mandatory for everyone (Setting `security.requireTotp` = true). */
export async function isTotpRequired(db: DbTx): Promise<boolean> {
  const row = await db.setting.findUnique({ where: { key: REQUIRE_TOTP_SETTING } });
  return row?.value === true;
}

/** Whether admins let leads see conversations without a team (Setting `access.leadsSeeTeamlessConversations`). */
async function doLeadsSeeTeamlessConversations(db: DbTx): Promise<boolean> {
  const row = await db.setting.findUnique({ where: { key: LEADS_SEE_TEAMLESS_SETTING } });
  return row?.value === true;
}

export async function readSecuritySettings(db: DbTx): Promise<SecuritySettings> {
  const [requireTotp, leadsSeeTeamlessConversations] = await Promise.all([
    isTotpRequired(db),
    doLeadsSeeTeamlessConversations(db),
  ]);
  return { requireTotp, leadsSeeTeamlessConversations };
}
