import { randomBytes } from "node:crypto";
import type { Channel, Db } from "@inbox/db";
import { recordAudit, type Actor } from "../../audit/record-audit";
import { AppError } from "../../errors/app-error";
import { WebchatSettingsSchema, type WebchatSettings } from "../webchat-channel";
import { ensureWebchatConsentTexts } from "./webchat-consent-texts";

export interface WebchatChannelView {
  id: string;
  name: string;
  /** The public key pages put into `data-channel`. */
  key: string;
  status: Channel["status"];
  settings: WebchatSettings;
  createdAt: Date;
}

function toView(channel: Channel): WebchatChannelView {
  return {
    id: channel.id,
    name: channel.name,
    key: channel.externalId,
    status: channel.status,
    settings: WebchatSettingsSchema.parse(channel.settings),
    createdAt: channel.createdAt,
  };
}

function parseSettings(input: unknown): WebchatSettings {
  const result = WebchatSettingsSchema.safeParse(input);
  if (!result.success) {
    throw new AppError(
      "validation_failed",
      result.error.issues.map((i) => `${i.path.join(".") || "settings"} ${i.message}`).join("; "),
    );
  }
  return result.data;
}

/** Admins add a website chat: a random public key for the snippet, validated settings, consent wording present. */
export async function createWebchatChannel(
  db: Db,
  input: { name: string; settings: unknown; defaultTeamId?: string | null },
  actor: Actor,
): Promise<WebchatChannelView> {
  const settings = parseSettings(input.settings);
  const channel = await db.$transaction(async (tx) => {
    const created = await tx.channel.create({
      data: {
        type: "webchat",
        name: input.name,
        externalId: randomBytes(18).toString("base64url"),
        settings: settings,
        defaultTeamId: input.defaultTeamId ?? null,
      },
    });
    await ensureWebchatConsentTexts(tx);
    await recordAudit(tx, actor, "channel.created", "channel", created.id, { type: "webchat" });
    return created;
  });
  return toView(channel);
}

export async function updateWebchatChannel(
  db: Db,
  id: string,
  input: { name?: string | undefined; settings?: unknown },
  actor: Actor,
): Promise<WebchatChannelView> {
  const existing = await db.channel.findUnique({ where: { id } });
  if (!existing || existing.type !== "webchat") throw new AppError("not_found", "No such web chat channel.");
  const settings = input.settings === undefined ? undefined : parseSettings(input.settings);
  const channel = await db.$transaction(async (tx) => {
    const updated = await tx.channel.update({
      where: { id },
      data: {
        ...(input.name ? { name: input.name } : {}),
        ...(settings ? { settings: settings } : {}),
      },
    });
    await recordAudit(tx, actor, "channel.updated", "channel", id, { type: "webchat" });
    return updated;
  });
  return toView(channel);
}

export async function listWebchatChannels(db: Db): Promise<WebchatChannelView[]> {
  const channels = await db.channel.findMany({ where: { type: "webchat" }, orderBy: { createdAt: "asc" } });
  return channels.map(toView);
}

/** An active web chat channel by its public key (from the page's snippet); 404 for unknown keys. */
export async function findWebchatChannelByKey(
  db: Db,
  key: string,
): Promise<{ id: string; name: string; defaultTeamId: string | null; settings: WebchatSettings }> {
  const channel = await db.channel.findUnique({
    where: { type_externalId: { type: "webchat", externalId: key } },
    select: { id: true, name: true, defaultTeamId: true, settings: true, status: true },
  });
  if (!channel || channel.status === "disconnected") throw new AppError("not_found", "No such chat.");
  return {
    id: channel.id,
    name: channel.name,
    defaultTeamId: channel.defaultTeamId,
    settings: WebchatSettingsSchema.parse(channel.settings),
  };
}

/** Whether a page on `origin` may use the channel; 403 `origin_not_allowed` otherwise (or without an Origin). */
export function assertOriginAllowed(settings: WebchatSettings, origin: string | undefined): string {
  if (!origin || !settings.allowedOrigins.includes(origin)) {
    throw new AppError("origin_not_allowed", "This website may not use this chat.");
  }
  return origin;
}
