import type { MessagesValue, WebhookPayload } from "@inbox/whatsapp";
import { createGroupCommit, type GroupCommitOptions, type Pending } from "../batching/group-commit";
import { applyWhatsAppDelivery, type ApplyDeliveryDeps, type DeliveryResult } from "./apply-whatsapp-delivery";

export type DeliveryBatcherOptions = GroupCommitOptions;

export interface DeliveryBatcher {
  /** Resolves once the delivery is committed (alone or together with concurrent ones); rejects when it failed. */
  submit(payload: WebhookPayload): Promise<DeliveryResult>;
}

/**
 * Group commit for the webhook receiver: deliveries that arrive while transactions are in flight are merged
 * into the next transaction (messages values of the same phone number become one value, so contacts are locked
 * in one sorted order). Each delivery is still all-or-nothing and acknowledged only after its commit; if a merged
 * transaction fails, its deliveries are retried one by one so one bad delivery cannot fail its neighbours.
 * Under light load every delivery gets a transaction of its own at once (no added latency).
 */
export function createDeliveryBatcher(deps: ApplyDeliveryDeps, options: DeliveryBatcherOptions = {}): DeliveryBatcher {
  const apply = (p: Pending<WebhookPayload, DeliveryResult>) =>
    applyWhatsAppDelivery(deps, p.input).then(p.resolve, p.reject);
  return createGroupCommit<WebhookPayload, DeliveryResult>(async (batch) => {
    if (batch.length === 1) return apply(batch[0]!);
    try {
      const result = await applyWhatsAppDelivery(deps, mergePayloads(batch.map((p) => p.input)));
      for (const p of batch) p.resolve(result);
    } catch {
      for (const p of batch) await apply(p);
    }
  }, options);
}

/** One payload holding every delivery's entries; messages values of one phone number are concatenated. */
export function mergePayloads(payloads: WebhookPayload[]): WebhookPayload {
  const merged: WebhookPayload = { object: "whatsapp_business_account", entry: [] };
  const byNumber = new Map<string, MessagesValue>();
  for (const payload of payloads) {
    for (const entry of payload.entry) {
      const others = [];
      for (const change of entry.changes) {
        if (change.field !== "messages") {
          others.push(change);
          continue;
        }
        const value = change.value as MessagesValue;
        const key = `${entry.id}|${value.metadata.phone_number_id}`;
        const target = byNumber.get(key);
        if (!target) {
          const copy: MessagesValue = {
            ...value,
            contacts: [...(value.contacts ?? [])],
            messages: [...(value.messages ?? [])],
            statuses: [...(value.statuses ?? [])],
            errors: value.errors ? [...value.errors] : undefined,
          };
          byNumber.set(key, copy);
          merged.entry.push({ id: entry.id, changes: [{ field: "messages", value: copy }] });
        } else {
          target.contacts!.push(...(value.contacts ?? []));
          target.messages!.push(...(value.messages ?? []));
          target.statuses!.push(...(value.statuses ?? []));
          if (value.errors?.length) target.errors = [...(target.errors ?? []), ...value.errors];
        }
      }
      if (others.length) merged.entry.push({ ...entry, changes: others });
    }
  }
  return merged;
}
