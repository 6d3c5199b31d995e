import type { ChannelDto, LabelDto, QuickReplyDto } from "@inbox/contracts";
import { isUniqueViolation, type Db, type DbTx } from "@inbox/db";
import { AppError } from "../errors/app-error";
import { recordAudit, type Actor } from "../audit/record-audit";
import { assertUuid } from "../shared/ids";
import { REQUIRE_TOTP_SETTING } from "../auth/read-security-settings";

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

/** Admins make TOTP mandatory (or optional again) for every user. */
export async function setTotpRequired(db: Db, actor: Actor, requireTotp: boolean): Promise<void> {
  await db.$transaction(async (tx) => {
    await tx.setting.upsert({
      where: { key: REQUIRE_TOTP_SETTING },
      create: {
        key: REQUIRE_TOTP_SETTING,
        value: requireTotp,
        updatedById: actor.type === "user" ? actor.userId : null,
      },
      update: { value: requireTotp, updatedById: actor.type === "user" ? actor.userId : null },
    });
    await recordAudit(tx, actor, "setting.updated", "setting", REQUIRE_TOTP_SETTING, { value: requireTotp });
  });
}
