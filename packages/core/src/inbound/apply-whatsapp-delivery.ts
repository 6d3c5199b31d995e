import { Prisma, type Db, type PgPool } from "@inbox/db";
import type { Logger } from "@inbox/logger";
import type { WebhookDelivery } from "@inbox/whatsapp";
import { ConsentKeywordCache } from "../consent/consent-keywords";
import type { LiveMessageRow } from "../shared/live-changes";
import { ChannelDirectory } from "./channel-directory";
import { applyFastPath, planFastPath } from "./fast-path";
import { applyFullPath, emptyResult } from "./full-path";
import { prepareDelivery } from "./prepare-delivery";

export interface ApplyDeliveryDeps {
  db: Db;
  log?: Logger | undefined;
  /** Shared across deliveries so the channel lookup is not a query per webhook. */
  channels?: ChannelDirectory | undefined;
  /** Keyword settings cache shared across deliveries; a fresh read per delivery when absent. */
  keywords?: ConsentKeywordCache | undefined;
  /**
   * Plain pg pool for the fast path (phone-only senders' customer messages and status reports): one short raw-SQL
   * statement instead of a Prisma interactive transaction. Without it every delivery takes the full path.
   */
  pool?: PgPool | undefined;
}

export interface ApplyDeliveryOptions {
  /** When the delivery was first received (reprocessing a quarantined one keeps it). */
  receivedAt?: Date | undefined;
  /** The quarantined WebhookEvent being reprocessed: marked handled in the delivery's transaction (full path). */
  handledWebhookEventId?: string | undefined;
}

/** What a committed delivery changed: the api acknowledges, pokes the outbox relay and publishes live events. */
export interface DeliveryResult {
  /** Which path stored it (the behaviour is the same; the fast path is the cheap one). */
  path: "fast" | "full";
  outboxWritten: boolean;
  createdMessageIds: string[];
  /** The created messages' rows as stored (announced live without reading them back). */
  storedMessages: LiveMessageRow[];
  updatedMessageIds: string[];
  conversationIds: string[];
  counts: {
    messages: number;
    duplicates: number;
    statuses: number;
    webhookEvents: number;
    consents: number;
    /** Parts kept for admins because they could not be tied to a conversation. */
    quarantined: number;
    /** Messages stored as `unsupported` (shown with an explanation). */
    unsupported: number;
  };
}

const RETRYABLE = new Set(["P2002", "P2034", "40001", "40P01", "23505"]);

/** A conflict with a concurrent delivery (same new customer, deadlock): the whole delivery is tried again. */
export function isRetryableConflict(error: unknown): boolean {
  if (error instanceof Prisma.PrismaClientKnownRequestError) return RETRYABLE.has(error.code);
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "string" && RETRYABLE.has(code)) return true;
  const text = error instanceof Error ? error.message : "";
  return /deadlock|could not serialize|concurrent conversation|unique constraint/i.test(text);
}

const defaultChannels = new ChannelDirectory();

/**
 * Applies one verified webhook delivery: every entry, change and element, each parsed on its own
 * (`prepareDelivery`). The fast path takes what it can (`planFastPath`), the full path the rest — both store
 * messages through the one database write path. Either all of the delivery is stored (with its outbox jobs and
 * quarantined parts) or nothing is, so the 200 Meta gets means "durable". Redeliveries are harmless: messages are
 * unique on (channel, wamid), statuses on (channel, wamid, status). Concurrency conflicts retry the delivery.
 */
export async function applyWhatsAppDelivery(
  deps: ApplyDeliveryDeps,
  delivery: WebhookDelivery,
  options: ApplyDeliveryOptions = {},
): Promise<DeliveryResult> {
  const channels = deps.channels ?? defaultChannels;
  const keywords = deps.keywords ?? new ConsentKeywordCache(0);
  for (let attempt = 1; ; attempt++) {
    try {
      const prepared = await prepareDelivery(deps.db, channels, delivery);
      const fast = deps.pool && !options.handledWebhookEventId ? await planFastPath(deps.db, keywords, prepared) : null;
      if (fast && deps.pool) {
        const results = await applyFastPath(deps.db, deps.pool, fast);
        const result = emptyResult("fast");
        const conversations = new Set<string>();
        for (const r of results) {
          for (const c of r.messages?.created ?? []) {
            result.createdMessageIds.push(c.row.id);
            result.storedMessages.push({
              row: c.row,
              teamId: c.conversation.teamId,
              assigneeId: c.conversation.assigneeId,
            });
            if (c.element.unsupported) {
              result.counts.unsupported++;
              deps.log?.info(
                { messageId: c.row.id, why: c.element.unsupported, errorCode: c.element.error?.code ?? null },
                "inbound message kept as unsupported",
              );
            }
          }
          for (const c of r.messages?.conversations.values() ?? []) {
            conversations.add(c.id);
            if (c.isNew) result.outboxWritten = true;
          }
          result.counts.messages += r.messages?.created.length ?? 0;
          result.counts.duplicates += r.messages?.duplicates ?? 0;
          result.counts.statuses += r.statuses.recorded;
          result.updatedMessageIds.push(...r.statuses.updatedMessageIds);
        }
        result.conversationIds = [...conversations];
        return result;
      }
      return await deps.db.$transaction((tx) => applyFullPath(tx, prepared, { keywords, log: deps.log, ...options }), {
        timeout: 20_000,
        maxWait: 10_000,
      });
    } catch (error) {
      if (attempt >= 4 || !isRetryableConflict(error)) throw error;
      deps.log?.debug({ err: error, attempt }, "delivery conflicted with a concurrent one; retrying");
    }
  }
}
