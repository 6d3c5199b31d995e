import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { formatDateTime } from "../../../lib/format";
import { queuesApi } from "../api";
import { QUEUES_NS } from "../locales";

/** Refreshes the counts while the tab is open: jobs move on their own. */
const REFRESH_MS = 5_000;

/**
 * The admins' queue view: each queue's counts and its oldest waiting job; for a chosen queue its failed jobs with
 * reason and attempts, to retry one or all of them, or remove one.
 */
export function QueuesAdmin() {
  const { t } = useTranslation(QUEUES_NS);
  const client = useQueryClient();
  const [selected, setSelected] = useState<string | null>(null);
  const queues = useQuery({ queryKey: ["admin-queues"], queryFn: queuesApi.list, refetchInterval: REFRESH_MS });
  const failed = useQuery({
    queryKey: ["admin-queues", selected, "failed"],
    queryFn: () => queuesApi.failed(selected!),
    enabled: selected !== null,
  });
  const refresh = () => void client.invalidateQueries({ queryKey: ["admin-queues"] });
  const retryAll = useMutation({ mutationFn: (queue: string) => queuesApi.retryAll(queue), onSuccess: refresh });
  const retry = useMutation({
    mutationFn: (a: { queue: string; id: string }) => queuesApi.retry(a.queue, a.id),
    onSuccess: refresh,
  });
  const remove = useMutation({
    mutationFn: (a: { queue: string; id: string }) => queuesApi.remove(a.queue, a.id),
    onSuccess: refresh,
  });
  const error = queues.error ?? failed.error ?? retryAll.error ?? retry.error ?? remove.error;
  const retried = retryAll.data ?? retry.data;
  const age = (seconds: number | null) => {
    if (seconds === null) return t("none");
    if (seconds < 120) return t("seconds", { count: seconds });
    if (seconds < 7200) return t("minutes", { count: Math.floor(seconds / 60) });
    return t("hours", { count: Math.floor(seconds / 3600) });
  };
  const queueName = (name: string) => t(`names.${name}`, { defaultValue: name });

  return (
    <>
      <p className="muted">{t("intro")}</p>
      <div className="table-scroll">
        <table aria-label={t("tab")}>
          <thead>
            <tr>
              <th scope="col">{t("queue")}</th>
              <th scope="col">{t("waiting")}</th>
              <th scope="col">{t("active")}</th>
              <th scope="col">{t("delayed")}</th>
              <th scope="col">{t("failed")}</th>
              <th scope="col">{t("completed")}</th>
              <th scope="col">{t("oldest")}</th>
              <th scope="col" />
            </tr>
          </thead>
          <tbody>
            {queues.data?.items.map((q) => (
              <tr key={q.name} data-testid={`queue-${q.name}`}>
                <th scope="row">{queueName(q.name)}</th>
                <td>{q.counts.waiting}</td>
                <td>{q.counts.active}</td>
                <td>{q.counts.delayed}</td>
                <td data-testid={`queue-${q.name}-failed`}>{q.counts.failed}</td>
                <td>{q.counts.completed}</td>
                <td>{age(q.oldestWaitingSeconds)}</td>
                <td>
                  <button onClick={() => setSelected(q.name)} aria-pressed={selected === q.name}>
                    {t("show")}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <button onClick={refresh}>{t("refresh")}</button>
      {retried && <p role="status">{t("retried", { count: retried.retried })}</p>}
      {selected && (
        <section aria-label={t("failedOf", { queue: queueName(selected) })}>
          <h3>{t("failedOf", { queue: queueName(selected) })}</h3>
          <button
            onClick={() => retryAll.mutate(selected)}
            disabled={retryAll.isPending || (failed.data?.total ?? 0) === 0}
          >
            {t("retryAll")}
          </button>
          {failed.data && failed.data.items.length === 0 && <p>{t("empty")}</p>}
          {failed.data && failed.data.items.length > 0 && (
            <div className="table-scroll">
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t("job")}</th>
                    <th scope="col">{t("reason")}</th>
                    <th scope="col">{t("attempts")}</th>
                    <th scope="col">{t("failedAt")}</th>
                    <th scope="col" />
                  </tr>
                </thead>
                <tbody>
                  {failed.data.items.map((job) => (
                    <tr key={job.id}>
                      <td>
                        {job.name}
                        <br />
                        <small className="muted">{job.id}</small>
                      </td>
                      <td>{job.failedReason}</td>
                      <td>
                        {job.attemptsMade}/{job.maxAttempts}
                      </td>
                      <td>{job.failedAt ? formatDateTime(job.failedAt) : t("none")}</td>
                      <td>
                        <button
                          onClick={() => retry.mutate({ queue: selected, id: job.id })}
                          disabled={retry.isPending}
                        >
                          {t("retry")}
                        </button>
                        <button
                          onClick={() => {
                            if (window.confirm(t("confirmRemove"))) remove.mutate({ queue: selected, id: job.id });
                          }}
                          disabled={remove.isPending}
                        >
                          {t("remove")}
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      )}
      {error && (
        <p role="alert" className="error">
          {t("error", { message: error.message })}
        </p>
      )}
    </>
  );
}
