import type { ReactNode } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { describeApiError } from "../../../lib/api-errors";

export function useSave<A>(keys: string[], fn: (a: A) => Promise<unknown>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: () => keys.forEach((k) => void client.invalidateQueries({ queryKey: [k] })),
  });
}

export function Table({ head, children, caption }: { head: string[]; children: ReactNode; caption?: string }) {
  return (
    <div className="table-wrap">
      <table>
        {caption && <caption className="sr-only">{caption}</caption>}
        <thead>
          <tr>
            {head.map((h, i) => (
              <th key={i} scope="col">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

/** The first error of the given mutations, in the user's language. */
export function ErrorLine({ errors }: { errors: unknown[] }) {
  const { t } = useTranslation();
  const error = errors.find(Boolean);
  if (!error) return null;
  return (
    <p role="alert" className="error">
      {describeApiError(error, t).text}
    </p>
  );
}

export function Empty({ text }: { text: string }) {
  return <p className="empty-state small">{text}</p>;
}
