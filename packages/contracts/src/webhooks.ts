import { z } from "zod";
import { PageQuerySchema } from "./common";

/**
 * A quarantined part of a webhook delivery (admins): what could not be tied to a conversation — an unknown
 * business number, a message without sender or wamid, a status or contact that does not parse, value-level errors
 * without a message — kept as a delivery of its own until it is applied again or dismissed.
 */
export const QuarantinedDeliveryDtoSchema = z.object({
  id: z.string(),
  receivedAt: z.iso.datetime(),
  /** The webhook field (messages, user_preferences, …). */
  field: z.string(),
  /** Machine-readable reason: unknown_channel, no_phone_number_id, message_without_sender, message_without_id,
   *  invalid_status, invalid_contact, invalid_preference, preference_without_customer, value_errors,
   *  malformed_value, malformed_envelope, apply_failed, not_an_object. */
  reason: z.string(),
  channelId: z.string().nullable(),
  /** The part as Meta sent it (may hold personal data: admins only). */
  payload: z.record(z.string(), z.unknown()),
});
export type QuarantinedDeliveryDto = z.infer<typeof QuarantinedDeliveryDtoSchema>;

export const QuarantineQuerySchema = PageQuerySchema;
export const QuarantinePageSchema = z.object({
  items: z.array(QuarantinedDeliveryDtoSchema),
  nextCursor: z.string().nullable(),
  /** All unhandled quarantined parts (not only this page). */
  total: z.number().int(),
});
export type QuarantinePage = z.infer<typeof QuarantinePageSchema>;

export const ReprocessBodySchema = z.object({ since: z.iso.datetime().optional() });
export const ReprocessResultSchema = z.object({
  /** Quarantined parts taken up. */
  reprocessed: z.number().int(),
  /** Of those, applied in full now. */
  applied: z.number().int(),
  /** Parts still (or again) in quarantine afterwards. */
  stillQuarantined: z.number().int(),
  /** Parts whose application failed (left as they were). */
  failed: z.number().int(),
});
export type ReprocessResult = z.infer<typeof ReprocessResultSchema>;
