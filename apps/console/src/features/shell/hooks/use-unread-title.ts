import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { SHELL_NS } from "../locales";

/** "(3) WhatsApp-Posteingang": the number of unread conversations in the tab title. */
export function useUnreadTitle(count: number): void {
  const { t } = useTranslation();
  const { t: ts } = useTranslation(SHELL_NS);
  useEffect(() => {
    const title = t("app.title");
    document.title = count > 0 ? ts("title.unread", { count, title }) : title;
    return () => {
      document.title = title;
    };
  }, [count, t, ts]);
}
