import type { ChannelDto, LabelDto, QuickReplyDto, SecuritySettings } from "@inbox/contracts";
import { isUniqueViolation, type Db, type DbTx } from "@inbox/db";
import { AppError } from "../errors/app-error";
import { recordAudit, type Actor } from "../audit/record-audit";
import { assertUuid } from "../shared/ids";
import { LEADS_SEE_TEAMLESS_SETTING, readSecuritySettings, REQUIRE_TOTP_SETTING } from "../auth/read-security-settings";

async function unique<T>(what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError("conflict", `${what} already exists.`);
    throw error;
  }
}

export async function listLabels(db: DbTx): Promise<LabelDto[]> {
  return db.label.findMany({ orderBy: { name: "asc" }, select: { id: true, name: true, color: true } });
}

export async function saveLabel(
  db: Db,
  actor: Actor,
  input: { id?: string; name: string; color: string },
): Promise<LabelDto> {
  if (input.id) assertUuid(input.id, "Label");
  return unique(`Label ${input.name}`, () =>
    db.$transaction(async (tx) => {
      const label = input.id
        ? await tx.label.update({ where: { id: input.id }, data: { name: input.name, color: input.color } })
        : await tx.label.create({ data: { name: input.name, color: input.color } });
      await recordAudit(tx, actor, input.id ? "label.updated" : "label.created", "label", label.id, {
        name: label.name,
      });
      return { id: label.id, name: label.name, color: label.color };
    }),
  );
}

export async function deleteLabel(db: Db, actor: Actor, id: string): Promise<void> {
  assertUuid(id, "Label");
  const { count } = await db.label.deleteMany({ where: { id } });
  if (!count) throw new AppError("not_found", "Label not found.");
  await recordAudit(db, actor, "label.deleted", "label", id);
}

export async function listQuickReplies(db: DbTx, teamIds?: string[]): Promise<QuickReplyDto[]> {
  return db.quickReply.findMany({
    where: teamIds ? { OR: [{ teamId: null }, { teamId: { in: teamIds } }] } : {},
    orderBy: { shortcut: "asc" },
    select: { id: true, shortcut: true, title: true, text: true, teamId: true },
  });
}

export async function saveQuickReply(
  db: Db,
  actor: Actor,
  input: { id?: string; shortcut: string; title: string; text: string; teamId: string | null },
): Promise<QuickReplyDto> {
  if (input.id) assertUuid(input.id, "Quick reply");
  if (input.teamId) assertUuid(input.teamId, "Team");
  const data = { shortcut: input.shortcut, title: input.title, text: input.text, teamId: input.teamId };
  return unique(`Shortcut /${input.shortcut}`, () =>
    db.$transaction(async (tx) => {
      const row = input.id
        ? await tx.quickReply.update({ where: { id: input.id }, data })
        : await tx.quickReply.create({ data: { ...data, createdById: actor.type === "user" ? actor.userId : null } });
      await recordAudit(tx, actor, input.id ? "quick_reply.updated" : "quick_reply.created", "quick_reply", row.id, {
        shortcut: row.shortcut,
      });
      return { id: row.id, shortcut: row.shortcut, title: row.title, text: row.text, teamId: row.teamId };
    }),
  );
}

export async function deleteQuickReply(db: Db, actor: Actor, id: string): Promise<void> {
  assertUuid(id, "Quick reply");
  const { count } = await db.quickReply.deleteMany({ where: { id } });
  if (!count) throw new AppError("not_found", "Quick reply not found.");
  await recordAudit(db, actor, "quick_reply.deleted", "quick_reply", id);
}

export async function listTeams(db: DbTx): Promise<{ id: string; name: string; description: string | null }[]> {
  return db.team.findMany({ orderBy: { name: "asc" }, select: { id: true, name: true, description: true } });
}

export async function createTeam(db: Db, actor: Actor, input: { name: string; description?: string | undefined }) {
  return unique(`Team ${input.name}`, () =>
    db.$transaction(async (tx) => {
      const team = await tx.team.create({ data: { name: input.name, description: input.description ?? null } });
      await recordAudit(tx, actor, "team.created", "team", team.id, { name: team.name });
      return { id: team.id, name: team.name, description: team.description };
    }),
  );
}

export async function listChannels(db: DbTx): Promise<ChannelDto[]> {
  const rows = await db.channel.findMany({ orderBy: { createdAt: "asc" } });
  return rows.map((c) => ({
    id: c.id,
    type: c.type,
    name: c.name,
    displayNumber: c.displayNumber,
    status: c.status,
    statusReason: c.statusReason,
    qualityRating: c.qualityRating,
    lastWebhookAt: c.lastWebhookAt ? c.lastWebhookAt.toISOString() : null,
    dataRegion: c.dataRegion,
    defaultTeamId: c.defaultTeamId,
  }));
}

/**
 * Admins change the security settings. Making TOTP mandatory ends every session of users without a second factor
 * (they sign in again and must enrol first); it is refused while the admin has none, which would lock them out.
 */
export async function updateSecuritySettings(
  db: Db,
  actor: Actor,
  input: Partial<SecuritySettings>,
): Promise<SecuritySettings> {
  const updatedById = actor.type === "user" ? actor.userId : null;
  if (input.requireTotp && actor.type === "user") {
    const me = await db.user.findUnique({ where: { id: actor.userId }, select: { totpEnabledAt: true } });
    if (!me?.totpEnabledAt) {
      throw new AppError(
        "conflict",
        "Turn on two-factor authentication for your own account first, then make it mandatory for everyone.",
      );
    }
  }
  const changes: [string, boolean | undefined][] = [
    [REQUIRE_TOTP_SETTING, input.requireTotp],
    [LEADS_SEE_TEAMLESS_SETTING, input.leadsSeeTeamlessConversations],
  ];
  await db.$transaction(async (tx) => {
    for (const [key, value] of changes) {
      if (value === undefined) continue;
      await tx.setting.upsert({
        where: { key },
        create: { key, value, updatedById },
        update: { value, updatedById },
      });
      await recordAudit(tx, actor, "setting.updated", "setting", key, { value });
    }
    if (input.requireTotp) {
      const ended = await tx.session.deleteMany({ where: { user: { totpEnabledAt: null } } });
      if (ended.count) {
        await recordAudit(tx, actor, "auth.sessions_ended", "setting", REQUIRE_TOTP_SETTING, {
          reason: "totp_required",
          count: ended.count,
        });
      }
    }
  });
  return readSecuritySettings(db);
}
