import type { FailedJobPage, QueueList, RetryJobsResult } from "@inbox/contracts";
import { api } from "../../lib/http";

/** The admins' queue view (/api/admin/queues…). */
export const queuesApi = {
  list: () => api<QueueList>("/api/admin/queues"),
  failed: (queue: string) => api<FailedJobPage>(`/api/admin/queues/${encodeURIComponent(queue)}/failed?limit=50`),
  retryAll: (queue: string) =>
    api<RetryJobsResult>(`/api/admin/queues/${encodeURIComponent(queue)}/failed/retry`, { method: "POST" }),
  retry: (queue: string, jobId: string) =>
    api<RetryJobsResult>(`/api/admin/queues/${encodeURIComponent(queue)}/jobs/${encodeURIComponent(jobId)}/retry`, {
      method: "POST",
    }),
  remove: (queue: string, jobId: string) =>
    api<void>(`/api/admin/queues/${encodeURIComponent(queue)}/jobs/${encodeURIComponent(jobId)}`, {
      method: "DELETE",
    }),
};
