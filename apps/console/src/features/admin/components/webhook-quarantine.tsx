import { useState } from "react";
import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import i18n from "i18next";
import { useTranslation } from "react-i18next";
import { formatDateTime } from "../../../lib/format";
import { adminApi } from "../api";
import { QUARANTINE_TEXTS } from "../quarantine-texts";

for (const [lng, texts] of Object.entries(QUARANTINE_TEXTS)) {
  i18n.addResourceBundle(lng, "translation", { quarantine: texts }, true, false);
}

/** Webhook parts that could not be tied to a conversation: the count, each entry, apply again, set one aside. */
export function WebhookQuarantine() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [open, setOpen] = useState<string | null>(null);
  const list = useInfiniteQuery({
    queryKey: ["admin-quarantine"],
    queryFn: ({ pageParam }) => adminApi.quarantine(pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
  const refresh = () => void client.invalidateQueries({ queryKey: ["admin-quarantine"] });
  const reprocess = useMutation({ mutationFn: adminApi.reprocessQuarantine, onSuccess: refresh });
  const dismiss = useMutation({ mutationFn: adminApi.dismissQuarantined, onSuccess: refresh });
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  const total = list.data?.pages[0]?.total ?? 0;
  const error = list.error ?? reprocess.error ?? dismiss.error;
  return (
    <>
      <p className="muted">{t("quarantine.intro")}</p>
      <div className="row">
        <strong data-testid="quarantine-count">{t("quarantine.count", { count: total })}</strong>{" "}
        <button onClick={() => reprocess.mutate()} disabled={reprocess.isPending || total === 0}>
          {reprocess.isPending ? t("quarantine.reprocessing") : t("quarantine.reprocess")}
        </button>
      </div>
      {reprocess.data && <p role="status">{t("quarantine.reprocessed", reprocess.data)}</p>}
      {list.isPending && <p>{t("app.loading")}</p>}
      {!list.isPending && items.length === 0 && <p>{t("quarantine.empty")}</p>}
      {items.length > 0 && (
        <div className="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">{t("quarantine.receivedAt")}</th>
                <th scope="col">{t("quarantine.reason")}</th>
                <th scope="col">{t("quarantine.field")}</th>
                <th scope="col" />
              </tr>
            </thead>
            <tbody>
              {items.map((item) => (
                <tr key={item.id}>
                  <td>{formatDateTime(item.receivedAt)}</td>
                  <td>
                    {t(`quarantine.reasons.${item.reason}`, { defaultValue: item.reason })}
                    {open === item.id && <pre className="payload">{JSON.stringify(item.payload, null, 2)}</pre>}
                  </td>
                  <td>{item.field}</td>
                  <td>
                    <button onClick={() => setOpen(open === item.id ? null : item.id)}>
                      {open === item.id ? t("quarantine.hide") : t("quarantine.show")}
                    </button>
                    <button onClick={() => dismiss.mutate(item.id)} disabled={dismiss.isPending}>
                      {t("quarantine.dismiss")}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {list.hasNextPage && (
        <button onClick={() => void list.fetchNextPage()} disabled={list.isFetchingNextPage}>
          {t("quarantine.more")}
        </button>
      )}
      {error && (
        <p role="alert" className="error">
          {error.message}
        </p>
      )}
    </>
  );
}
