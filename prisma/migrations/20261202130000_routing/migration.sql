-- CreateEnum
CREATE TYPE "AbsenceHandover" AS ENUM ('all', 'none');

-- AlterEnum
BEGIN;
CREATE TYPE "AssignmentStrategy_new" AS ENUM ('manual', 'round_robin', 'least_loaded');
ALTER TABLE "public"."Team" ALTER COLUMN "assignmentStrategy" DROP DEFAULT;
ALTER TABLE "Team" ALTER COLUMN "assignmentStrategy" TYPE "AssignmentStrategy_new" USING (replace("assignmentStrategy"::text, 'least_busy', 'least_loaded')::"AssignmentStrategy_new");
ALTER TYPE "AssignmentStrategy" RENAME TO "AssignmentStrategy_old";
ALTER TYPE "AssignmentStrategy_new" RENAME TO "AssignmentStrategy";
DROP TYPE "public"."AssignmentStrategy_old";
ALTER TABLE "Team" ALTER COLUMN "assignmentStrategy" SET DEFAULT 'round_robin';
COMMIT;

-- AlterEnum
BEGIN;
CREATE TYPE "Availability_new" AS ENUM ('available', 'away', 'offline');
ALTER TABLE "public"."User" ALTER COLUMN "availability" DROP DEFAULT;
ALTER TABLE "User" ALTER COLUMN "availability" TYPE "Availability_new" USING (replace("availability"::text, 'online', 'available')::"Availability_new");
ALTER TYPE "Availability" RENAME TO "Availability_old";
ALTER TYPE "Availability_new" RENAME TO "Availability";
DROP TYPE "public"."Availability_old";
ALTER TABLE "User" ALTER COLUMN "availability" SET DEFAULT 'offline';
COMMIT;

-- DropForeignKey
ALTER TABLE "RoutingRule" DROP CONSTRAINT "RoutingRule_assigneeId_fkey";

-- DropForeignKey
ALTER TABLE "RoutingRule" DROP CONSTRAINT "RoutingRule_channelId_fkey";

-- DropForeignKey
ALTER TABLE "RoutingRule" DROP CONSTRAINT "RoutingRule_teamId_fkey";

-- DropIndex
DROP INDEX "RoutingRule_isActive_priority_idx";

-- AlterTable
ALTER TABLE "Absence" DROP COLUMN "handOverOpen",
ADD COLUMN     "endHandledAt" TIMESTAMP(3),
ADD COLUMN     "handover" "AbsenceHandover" NOT NULL DEFAULT 'all',
ADD COLUMN     "returnAtEnd" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "startHandledAt" TIMESTAMP(3),
ADD COLUMN     "substituteTeamId" UUID,
ALTER COLUMN "endsAt" DROP NOT NULL;

-- AlterTable
ALTER TABLE "Conversation" ADD COLUMN     "coveredForId" UUID,
ADD COLUMN     "queuedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "RoutingRule" DROP COLUMN "assigneeId",
DROP COLUMN "channelId",
DROP COLUMN "priority",
ADD COLUMN     "position" INTEGER NOT NULL,
ALTER COLUMN "teamId" SET NOT NULL;

-- AlterTable
ALTER TABLE "Team" ADD COLUMN     "awayMessage" JSONB,
ADD COLUMN     "businessHours" JSONB,
ADD COLUMN     "greetingMessage" JSONB,
ADD COLUMN     "requirePresence" BOOLEAN NOT NULL DEFAULT true;

-- AlterTable
ALTER TABLE "User" DROP COLUMN "capacity",
ADD COLUMN     "maxOpenConversations" INTEGER;

-- CreateIndex
CREATE INDEX "Conversation_teamId_queuedAt_idx" ON "Conversation"("teamId", "queuedAt");

-- CreateIndex
CREATE INDEX "RoutingRule_position_idx" ON "RoutingRule"("position");

-- AddForeignKey
ALTER TABLE "Absence" ADD CONSTRAINT "Absence_substituteTeamId_fkey" FOREIGN KEY ("substituteTeamId") REFERENCES "Team"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RoutingRule" ADD CONSTRAINT "RoutingRule_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;
