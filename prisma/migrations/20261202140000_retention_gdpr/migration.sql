-- AlterEnum
BEGIN;
CREATE TYPE "DataSubjectRequestStatus_new" AS ENUM ('pending', 'in_progress', 'done', 'failed');
ALTER TABLE "public"."DataSubjectRequest" ALTER COLUMN "status" DROP DEFAULT;
ALTER TABLE "DataSubjectRequest" ALTER COLUMN "status" TYPE "DataSubjectRequestStatus_new" USING ("status"::text::"DataSubjectRequestStatus_new");
ALTER TYPE "DataSubjectRequestStatus" RENAME TO "DataSubjectRequestStatus_old";
ALTER TYPE "DataSubjectRequestStatus_new" RENAME TO "DataSubjectRequestStatus";
DROP TYPE "public"."DataSubjectRequestStatus_old";
ALTER TABLE "DataSubjectRequest" ALTER COLUMN "status" SET DEFAULT 'pending';
COMMIT;

-- AlterEnum
BEGIN;
CREATE TYPE "DataSubjectRequestType_new" AS ENUM ('export', 'erasure');
ALTER TABLE "DataSubjectRequest" ALTER COLUMN "type" TYPE "DataSubjectRequestType_new" USING ("type"::text::"DataSubjectRequestType_new");
ALTER TYPE "DataSubjectRequestType" RENAME TO "DataSubjectRequestType_old";
ALTER TYPE "DataSubjectRequestType_new" RENAME TO "DataSubjectRequestType";
DROP TYPE "public"."DataSubjectRequestType_old";
COMMIT;

-- AlterEnum
BEGIN;
CREATE TYPE "RetentionCategory_new" AS ENUM ('messages', 'media', 'contacts', 'audit_log', 'webhook_payloads', 'data_subject_exports', 'sessions', 'outbox');
ALTER TABLE "RetentionPolicy" ALTER COLUMN "category" TYPE "RetentionCategory_new" USING ("category"::text::"RetentionCategory_new");
ALTER TYPE "RetentionCategory" RENAME TO "RetentionCategory_old";
ALTER TYPE "RetentionCategory_new" RENAME TO "RetentionCategory";
DROP TYPE "public"."RetentionCategory_old";
COMMIT;

-- DropIndex
DROP INDEX "RetentionPolicy_category_channelId_key";

-- AlterTable
ALTER TABLE "DataSubjectRequest" ALTER COLUMN "status" SET DEFAULT 'pending';

-- AlterTable
ALTER TABLE "RetentionPolicy" ADD COLUMN     "labelId" UUID;

-- CreateTable
CREATE TABLE "Suppression" (
    "id" UUID NOT NULL,
    "numberHash" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Suppression_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Suppression_numberHash_key" ON "Suppression"("numberHash");

-- CreateIndex
CREATE INDEX "AuditLog_action_createdAt_idx" ON "AuditLog"("action", "createdAt");

-- CreateIndex
CREATE INDEX "Conversation_status_resolvedAt_idx" ON "Conversation"("status", "resolvedAt");

-- CreateIndex
CREATE UNIQUE INDEX "RetentionPolicy_category_channelId_labelId_key" ON "RetentionPolicy"("category", "channelId", "labelId");

-- CreateIndex
CREATE INDEX "WebhookEvent_receivedAt_idx" ON "WebhookEvent"("receivedAt");

-- The audit log is append-only, enforced by the database: no UPDATE, DELETE or TRUNCATE from the application.
-- Two exceptions: the foreign key's ON DELETE SET NULL when a user row is removed (only "actorId" changes, to
-- NULL), and the audit log's own retention, which deletes old entries inside a transaction that has set
-- `inbox.audit_retention` to 'on' (SET LOCAL; packages/core/src/retention).
CREATE FUNCTION inbox_audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF NEW."actorId" IS NULL AND OLD."actorId" IS NOT NULL
       AND (to_jsonb(NEW) - 'actorId') = (to_jsonb(OLD) - 'actorId') THEN
      RETURN NEW;
    END IF;
  ELSIF TG_OP = 'DELETE' THEN
    IF current_setting('inbox.audit_retention', true) = 'on' THEN
      RETURN OLD;
    END IF;
  END IF;
  RAISE EXCEPTION 'the audit log is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER "AuditLog_append_only"
  BEFORE UPDATE OR DELETE ON "AuditLog"
  FOR EACH ROW EXECUTE FUNCTION inbox_audit_log_append_only();

CREATE TRIGGER "AuditLog_no_truncate"
  BEFORE TRUNCATE ON "AuditLog"
  FOR EACH STATEMENT EXECUTE FUNCTION inbox_audit_log_append_only();
