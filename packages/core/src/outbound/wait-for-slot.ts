import { RetryableSendError } from "./send-errors";

interface ThrottleRequest {
  channelId: string;
  /** Channel.throughputLimit: messages per second for the phone number. */
  limitPerSecond: number;
  /** Pair-rate key: the recipient's identity on the channel. */
  recipientKey: string;
  /** Book a slot only if it is at most this far away. */
  maxWaitMs: number;
  /** The recipient already holds a pair slot (re-booking a number slot that was missed): do not charge it again. */
  isPairHeld?: boolean;
}

/**
 * Books the number's earliest send slot if the recipient's pair limit allows a message now. Booked → wait
 * `waitMs`, then send; not booked → ask again after `waitMs` (or retry the job later when that is too long).
 */
export type Throttle = (request: ThrottleRequest) => Promise<{
  isBooked: boolean;
  waitMs: number;
  /** The booked slot on this process's clock (Date.now()); when given, a send later than the slot + tolerance re-books. */
  dueAt?: number;
}>;

/** The request is marked as handed to Graph this long before its slot, so the mark's commit does not delay it. */
const MARK_LEAD_MS = 100;
/** A process that keeps missing its slots still sends eventually (on the last re-booked slot). */
const MAX_REBOOKS = 20;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface SlotRequest {
  channelId: string;
  limitPerSecond: number;
  recipientKey: string;
  /** Longest wait for a slot before the job is retried later instead (Infinity: wait inline). */
  maxWaitMs: number;
  /** A slot missed by more than this is re-booked. */
  maxLatenessMs: number;
  /** The recipient already holds a pair slot (Meta refused the send with 130429, nothing reached the customer). */
  isPairHeld?: boolean;
  /** Called for each slot missed by more than `maxLatenessMs` (re-booked): counted by the worker's metrics. */
  onSlotMissed: () => void;
}

/**
 * Books the number's next slot (and the recipient's pair slot) and sleeps until it; `mark` runs (once)
 * MARK_LEAD_MS before the slot, and its answer is returned. A slot missed by more than `maxLatenessMs` (the
 * process stalled) is not used: late requests would arrive bunched with the following ones and overrun Meta's
 * sliding second, so a fresh slot is booked (the recipient keeps its pair slot). No slot within `maxWaitMs` →
 * RetryableSendError("rate_limited") with the wait.
 */
export async function waitForSlot(
  throttle: Throttle,
  request: SlotRequest,
  mark: () => Promise<boolean>,
): Promise<boolean> {
  const { maxWaitMs } = request;
  let isPairHeld = request.isPairHeld ?? false;
  let marked: boolean | undefined;
  const markOnce = async () => (marked ??= await mark());
  for (let waited = 0, rebooked = 0; ;) {
    const slot = await throttle({
      channelId: request.channelId,
      limitPerSecond: request.limitPerSecond,
      recipientKey: request.recipientKey,
      maxWaitMs,
      isPairHeld,
    });
    if (slot.isBooked) {
      isPairHeld = true;
      const dueAt = slot.dueAt ?? Date.now() + slot.waitMs;
      if (dueAt - Date.now() > MARK_LEAD_MS) await sleep(dueAt - Date.now() - MARK_LEAD_MS);
      if (!(await markOnce())) return false;
      const remaining = dueAt - Date.now();
      if (remaining > 0) await sleep(remaining);
      if (slot.dueAt === undefined || Date.now() - dueAt <= request.maxLatenessMs || rebooked >= MAX_REBOOKS)
        return true;
      request.onSlotMissed();
      rebooked++;
      continue;
    }
    if (waited + slot.waitMs > maxWaitMs)
      throw new RetryableSendError("rate_limited", "rate limit: sending later", slot.waitMs);
    await sleep(slot.waitMs);
    waited += slot.waitMs;
  }
}
