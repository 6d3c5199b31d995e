-- Storing a customer's message moves its conversation's "lastMessageAt" (in the inbox lists' indexes), so the row's
-- new version gets an entry in every index of "Conversation", and the message one in every index of "Message" —
-- CPU and write-ahead log inside the receiver's transaction, before its ack. Indexes that serve a few rows become
-- partial: an open conversation that waits in no queue, and a received, sent or delivered message, add nothing to
-- them (three entries fewer per customer message; docs/design/inbound.md, "Index entries per message"). Each
-- reader's query states the predicate (queuedAt IS NOT NULL, status = 'resolved', status queued/sending).
-- DropIndex
DROP INDEX "Conversation_status_resolvedAt_id_idx";

-- DropIndex
DROP INDEX "Conversation_teamId_queuedAt_idx";

-- DropIndex
DROP INDEX "Message_status_statusAt_idx";

-- CreateIndex
CREATE INDEX "Conversation_teamId_queuedAt_idx" ON "Conversation"("teamId", "queuedAt") WHERE ("queuedAt" IS NOT NULL);

-- CreateIndex
CREATE INDEX "Conversation_resolvedAt_id_idx" ON "Conversation"("resolvedAt", "id") WHERE (status = 'resolved');

-- CreateIndex
CREATE INDEX "Message_status_statusAt_idx" ON "Message"("status", "statusAt") WHERE (status = 'queued' OR status = 'sending');
