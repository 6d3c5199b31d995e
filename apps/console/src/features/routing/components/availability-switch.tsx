import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api } from "../../../lib/http";
import { ROUTING_NS } from "../locales";

type Status = "available" | "away" | "offline";
const KEY = ["my-availability"];

/** The agent's own status in the top bar; only "available" agents are auto-assigned. */
export function AvailabilitySwitch() {
  const { t } = useTranslation(ROUTING_NS);
  const client = useQueryClient();
  const current = useQuery({ queryKey: KEY, queryFn: () => api<{ status: Status }>("/api/me/availability") });
  const set = useMutation({
    mutationFn: (status: Status) =>
      api<{ status: Status }>("/api/me/availability", { method: "PUT", body: { status } }),
    onSuccess: (data) => client.setQueryData(KEY, data),
  });
  return (
    <label className="small">
      {t("availability.label")}{" "}
      <select
        data-testid="availability"
        value={current.data?.status ?? "offline"}
        disabled={current.isPending || set.isPending}
        onChange={(e) => set.mutate(e.target.value as Status)}
      >
        {(["available", "away", "offline"] as const).map((s) => (
          <option key={s} value={s}>
            {t(`availability.${s}`)}
          </option>
        ))}
      </select>
      {set.error && (
        <span role="alert" className="error">
          {" "}
          {t("availability.failed")}
        </span>
      )}
    </label>
  );
}
