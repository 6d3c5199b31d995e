-- CreateTable
CREATE TABLE "WhatsAppHandoff" (
    "id" UUID NOT NULL,
    "reference" TEXT NOT NULL,
    "webchatChannelId" UUID NOT NULL,
    "whatsappChannelId" UUID NOT NULL,
    "webContactId" UUID,
    "purposes" "ConsentPurpose"[],
    "wordingVersion" INTEGER NOT NULL,
    "wordingText" TEXT NOT NULL,
    "evidence" JSONB NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "linkedAt" TIMESTAMP(3),
    "linkedContactId" UUID,
    "linkedConversationId" UUID,
    "linkedMessageId" UUID,

    CONSTRAINT "WhatsAppHandoff_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "WhatsAppHandoff_reference_key" ON "WhatsAppHandoff"("reference");

-- CreateIndex
CREATE INDEX "WhatsAppHandoff_expiresAt_idx" ON "WhatsAppHandoff"("expiresAt");
