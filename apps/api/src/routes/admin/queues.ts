import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import {
  FailedJobPageSchema,
  FailedJobsQuerySchema,
  QueueJobParamsSchema,
  QueueListSchema,
  QueueParamsSchema,
  RetryJobsResultSchema,
} from "@inbox/contracts";
import { describeQueues, listFailedQueueJobs, removeQueueJob, retryFailedQueueJobs } from "@inbox/core";
import { z } from "zod";
import type { ApiDeps } from "../../types";
import { actorOf, guards } from "../route-options";

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/**
 * The queue view for admins: each BullMQ queue's counts and oldest waiting job, its failed jobs with reason and
 * attempts, retrying one or all failed jobs and removing a job. Retries and removals are audited.
 */
export function adminQueueRoutes(deps: ApiDeps): FastifyPluginAsyncZod {
  return async (app) => {
    const { admin } = guards(app);
    const tags = ["admin"];

    app.get(
      "/api/admin/queues",
      admin({
        tags,
        summary: "Job queues with counts per state and the oldest waiting job's age",
        response: { 200: QueueListSchema },
      }),
      async () => ({ items: await describeQueues(deps) }),
    );

    app.get(
      "/api/admin/queues/:queue/failed",
      admin({
        tags,
        summary: "Failed jobs of a queue, most recently failed first",
        params: QueueParamsSchema,
        querystring: FailedJobsQuerySchema,
        response: { 200: FailedJobPageSchema },
      }),
      async (request) => {
        const page = await listFailedQueueJobs(deps, request.params.queue, request.query);
        return {
          total: page.total,
          items: page.items.map((job) => ({
            ...job,
            createdAt: job.createdAt.toISOString(),
            failedAt: iso(job.failedAt),
          })),
        };
      },
    );

    app.post(
      "/api/admin/queues/:queue/failed/retry",
      admin({
        tags,
        summary: "Retry every failed job of a queue (audited)",
        params: QueueParamsSchema,
        response: { 200: RetryJobsResultSchema },
      }),
      async (request) => retryFailedQueueJobs(deps, actorOf(request), { queue: request.params.queue }),
    );

    app.post(
      "/api/admin/queues/:queue/jobs/:jobId/retry",
      admin({
        tags,
        summary: "Retry one failed job (audited)",
        params: QueueJobParamsSchema,
        response: { 200: RetryJobsResultSchema },
      }),
      async (request) =>
        retryFailedQueueJobs(deps, actorOf(request), { queue: request.params.queue, jobId: request.params.jobId }),
    );

    app.delete(
      "/api/admin/queues/:queue/jobs/:jobId",
      admin({
        tags,
        summary: "Remove a job that is not running (audited)",
        params: QueueJobParamsSchema,
        response: { 204: z.null() },
      }),
      async (request, reply) => {
        await removeQueueJob(deps, actorOf(request), { queue: request.params.queue, jobId: request.params.jobId });
        return reply.status(204).send(null);
      },
    );
  };
}
