-- A repeated TOTP enrolment from the same session answers the pending secret instead of creating a second one
-- (packages/core/src/auth/totp.ts, beginTotpEnrollment).
-- AlterTable
ALTER TABLE "User" ADD COLUMN     "totpPendingSessionId" UUID;
