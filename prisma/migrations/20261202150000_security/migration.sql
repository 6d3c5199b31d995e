-- Security (issue 15): lockout per account and source instead of per account, TOTP failure counters and replay
-- guard, recovery codes, trigram indexes for the inbox search, and media types stored normalised.
-- TOTP secrets already stored in plain text are encrypted by the application right after the migrations
-- (`pnpm inbox migrate` / start-up: encryptStoredSecrets), because the key lives in the environment, not here.

-- pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- AlterTable
ALTER TABLE "Session" ADD COLUMN     "failedChecks" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "User" DROP COLUMN "failedLoginCount",
DROP COLUMN "lockedUntil",
ADD COLUMN     "totpFailedCount" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "totpLastStep" INTEGER,
ADD COLUMN     "totpLockedUntil" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "TotpRecoveryCode" (
    "id" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "codeHash" TEXT NOT NULL,
    "usedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TotpRecoveryCode_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LoginThrottle" (
    "account" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "blockedUntil" TIMESTAMP(3),
    "lastFailureAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LoginThrottle_pkey" PRIMARY KEY ("account","source")
);

-- CreateIndex
CREATE UNIQUE INDEX "TotpRecoveryCode_codeHash_key" ON "TotpRecoveryCode"("codeHash");

-- CreateIndex
CREATE INDEX "TotpRecoveryCode_userId_idx" ON "TotpRecoveryCode"("userId");

-- CreateIndex
CREATE INDEX "LoginThrottle_lastFailureAt_idx" ON "LoginThrottle"("lastFailureAt");

-- CreateIndex
CREATE INDEX "Contact_displayName_trgm_idx" ON "Contact" USING GIN ("displayName" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "Contact_profileName_trgm_idx" ON "Contact" USING GIN ("profileName" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "Message_text_trgm_idx" ON "Message" USING GIN ("text" gin_trgm_ops);

-- AddForeignKey
ALTER TABLE "TotpRecoveryCode" ADD CONSTRAINT "TotpRecoveryCode_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Media types: the checked base type ("audio/ogg"), never the raw string the sender declared
-- ("text/plain;a=b, text/html" would otherwise reach browsers as text/html).
UPDATE "MediaAsset" SET "mimeType" = lower(btrim(split_part(split_part("mimeType", ',', 1), ';', 1)))
WHERE "mimeType" <> lower(btrim(split_part(split_part("mimeType", ',', 1), ';', 1)));
