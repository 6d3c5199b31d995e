-- The retention run walks resolved conversations in (resolvedAt, id) order, page after page (keyset): with id in the
-- index each page is a range scan that stops at its LIMIT, instead of sorting every remaining expired conversation.
DROP INDEX "Conversation_status_resolvedAt_idx";
CREATE INDEX "Conversation_status_resolvedAt_id_idx" ON "Conversation"("status", "resolvedAt", "id");

-- The media schedule deletes by age: its batches find the due files along this index instead of scanning the table.
CREATE INDEX "MediaAsset_createdAt_idx" ON "MediaAsset"("createdAt");
