-- A redelivered webhook part is kept once (packages/core/src/inbound/webhook-event-keys.ts): the sha256 of its
-- field, channel and JSON, looked up before a part is stored again.
-- AlterTable
ALTER TABLE "WebhookEvent" ADD COLUMN     "contentKey" TEXT;

-- CreateIndex
CREATE INDEX "WebhookEvent_contentKey_idx" ON "WebhookEvent"("contentKey");
