-- A conversation's route job can be lost after the outbox handed it to BullMQ (Redis restarted without its data,
-- or the job failed all its attempts and nobody retried it): the conversation then never got its team's queue,
-- auto-assignment or greeting. The router now records when it ran (routedAt), and the worker's sweeper routes a
-- conversation whose dispatched route job is more than ten minutes old, has no live job and has not been routed
-- (packages/core/src/routing/sweep-unrouted-conversations.ts).
--
-- Upgrade order: the sweep only looks at conversations named by route jobs still in the outbox (at most a day old,
-- see pruneOutbox). Those that exist now are marked routed below, whether their job ran or not: a job still waiting
-- runs as before, and one that ran under the previous worker version must not be routed a second time.

-- AlterTable
ALTER TABLE "Conversation" ADD COLUMN     "routedAt" TIMESTAMP(3);

UPDATE "Conversation" c SET "routedAt" = c."createdAt"
  FROM (SELECT DISTINCT x.id::uuid AS id
          FROM "OutboxJob" o
          CROSS JOIN LATERAL jsonb_array_elements_text(
            coalesce(o.payload->'conversationIds', jsonb_build_array(o.payload->'conversationId'))) AS x(id)
         WHERE o.name = 'conversation.route') r
 WHERE c.id = r.id AND c."routedAt" IS NULL;
