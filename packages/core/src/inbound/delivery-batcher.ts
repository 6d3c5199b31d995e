import { isDatabaseUnavailable } from "@inbox/db";
import {
  readValueParts,
  MESSAGES_VALUE_LISTS,
  WHATSAPP_OBJECT,
  type DeliveryChange,
  type WebhookDelivery,
} from "@inbox/whatsapp";
import { createGroupCommit, type GroupCommitOptions, type Pending } from "../batching/group-commit";
import { linkWhatsAppHandoffs } from "../channels/webchat/link-whatsapp-handoffs";
import {
  applyWhatsAppDelivery,
  isRetryableConflict,
  type ApplyDeliveryDeps,
  type DeliveryResult,
} from "./apply-whatsapp-delivery";
import { emptyResult } from "./full-path";
import { quarantineDelivery } from "./quarantine-parts";

export type DeliveryBatcherOptions = GroupCommitOptions;

export interface DeliveryBatcher {
  /** Resolves once the delivery is committed (alone or together with concurrent ones); rejects when it failed. */
  submit(delivery: WebhookDelivery): Promise<DeliveryResult>;
}

/**
 * Group commit for the webhook receiver: deliveries that arrive while transactions are in flight are merged
 * into the next transaction (messages values of the same phone number become one value, so contacts are locked
 * in one sorted order). Each delivery is still all-or-nothing and acknowledged only after its commit; if a merged
 * transaction fails, its deliveries are retried one by one so one bad delivery cannot fail its neighbours. A
 * delivery that still cannot be applied for a reason retrying does not cure is kept whole in quarantine (stored,
 * answered 200, applied again by `pnpm inbox webhooks reprocess`). When the database is unreachable nothing is
 * quarantined: the error goes to the api, which answers 503, and Meta delivers again.
 * Under light load every delivery gets a transaction of its own at once (no added latency).
 */
export function createDeliveryBatcher(deps: ApplyDeliveryDeps, options: DeliveryBatcherOptions = {}): DeliveryBatcher {
  /** After the commit, once per transaction: "continue on WhatsApp" references in the messages it stored. */
  const linkHandoffs = async (result: DeliveryResult) => {
    if (result.storedMessages.length === 0) return;
    await linkWhatsAppHandoffs(
      deps.db,
      result.storedMessages.map((m) => m.row),
    ).catch((err: unknown) => deps.log?.warn({ err }, "handoff not linked"));
  };
  const applyOne = async (delivery: WebhookDelivery): Promise<DeliveryResult> => {
    try {
      const result = await applyWhatsAppDelivery(deps, delivery);
      await linkHandoffs(result);
      return result;
    } catch (error) {
      // Postgres down or restarting: nothing to quarantine; the api answers 503 and Meta delivers again.
      if (isRetryableConflict(error) || isDatabaseUnavailable(error)) throw error;
      await quarantineDelivery(deps.db, delivery, error, deps.log);
      const result = emptyResult("full");
      result.counts.quarantined = 1;
      result.counts.webhookEvents = 1;
      return result;
    }
  };
  const apply = (p: Pending<WebhookDelivery, DeliveryResult>) => applyOne(p.input).then(p.resolve, p.reject);
  const applyMerged = async (group: Pending<WebhookDelivery, DeliveryResult>[]) => {
    if (group.length === 1) return apply(group[0]!);
    try {
      const result = await applyWhatsAppDelivery(deps, mergeDeliveries(group.map((p) => p.input)));
      await linkHandoffs(result);
      for (const p of group) p.resolve(result);
    } catch {
      for (const p of group) await apply(p);
    }
  };
  return createGroupCommit<WebhookDelivery, DeliveryResult>(async (batch) => {
    // Status reports and customer messages merged into one delivery would be one transaction of several statements
    // (BEGIN … COMMIT, a round trip each), holding the conversations' rows while the api's event loop gets round to
    // the next statement — and an agent's reply to one of them waits for it. Kept apart, each kind is one
    // autocommitted statement. Meta sends the two kinds in deliveries of their own, so a delivery still never spans
    // the two groups and stays all-or-nothing.
    const statusesOnly = batch.filter((p) => isStatusesOnly(p.input));
    const rest = statusesOnly.length === 0 ? batch : batch.filter((p) => !isStatusesOnly(p.input));
    if (rest.length > 0) await applyMerged(rest);
    if (statusesOnly.length > 0) await applyMerged(statusesOnly);
  }, options);
}

/** A delivery whose every change is a `messages` value with status reports and nothing else to store. */
function isStatusesOnly(delivery: WebhookDelivery): boolean {
  if (delivery.changes.length === 0 || delivery.malformed.length > 0) return false;
  return delivery.changes.every((change) => {
    if (change.field !== "messages") return false;
    const parts = readValueParts(change.value, MESSAGES_VALUE_LISTS);
    return (
      parts.malformed.length === 0 &&
      parts.lists.statuses!.length > 0 &&
      parts.lists.messages!.length === 0 &&
      parts.lists.errors!.length === 0
    );
  });
}

type Json = Record<string, unknown>;

/**
 * One delivery holding every delivery's changes; `messages` values of one phone number are concatenated. A value
 * that carries value-level errors (about its own messages) or lists that are not lists stays a value of its own.
 */
export function mergeDeliveries(deliveries: WebhookDelivery[]): WebhookDelivery {
  const merged: WebhookDelivery = { raw: { object: WHATSAPP_OBJECT }, changes: [], malformed: [] };
  const byNumber = new Map<string, Json>();
  for (const delivery of deliveries) {
    merged.malformed.push(...delivery.malformed);
    for (const change of delivery.changes) {
      const parts = change.field === "messages" ? readValueParts(change.value, MESSAGES_VALUE_LISTS) : null;
      if (!parts?.phoneNumberId || parts.malformed.length || parts.lists.errors!.length) {
        merged.changes.push(change);
        continue;
      }
      const key = `${change.wabaId}|${parts.phoneNumberId}`;
      const target = byNumber.get(key);
      if (!target) {
        const copy: Json = {
          ...(change.value as Json),
          contacts: [...parts.lists.contacts!],
          messages: [...parts.lists.messages!],
          statuses: [...parts.lists.statuses!],
        };
        byNumber.set(key, copy);
        merged.changes.push({ wabaId: change.wabaId, field: "messages", value: copy } satisfies DeliveryChange);
      } else {
        (target.contacts as unknown[]).push(...parts.lists.contacts!);
        (target.messages as unknown[]).push(...parts.lists.messages!);
        (target.statuses as unknown[]).push(...parts.lists.statuses!);
      }
    }
  }
  return merged;
}
