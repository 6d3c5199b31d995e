-- The outbox relay (packages/jobs/src/outbox.ts drainOutbox) no longer holds a transaction open while Redis takes
-- the jobs: it claims the due rows in one statement (claimedUntil), hands them to BullMQ, and marks them dispatched
-- in another. A relay that dies in between leaves its rows claimed until claimedUntil; then any relay takes them
-- again (at least once; BullMQ's job ids keep a second add from becoming a second job).

-- AlterTable
ALTER TABLE "OutboxJob" ADD COLUMN     "claimedUntil" TIMESTAMP(3);
