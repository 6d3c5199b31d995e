import type { DbTx } from "@inbox/db";

export const REQUIRE_TOTP_SETTING = "security.requireTotp";

/** Whether admins made TOTP mandatory for everyone (Setting `security.requireTotp` = true). */
export async function isTotpRequired(db: DbTx): Promise<boolean> {
  const row = await db.setting.findUnique({ where: { key: REQUIRE_TOTP_SETTING } });
  return row?.value === true;
}
