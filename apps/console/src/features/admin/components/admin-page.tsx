import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { SessionDto } from "@inbox/contracts";
import { AutoRepliesTab } from "./auto-replies-tab";
import { BusinessProfileTab } from "./business-profile-tab";
import { ChannelsTab, LabelsTab, QuickRepliesTab, TemplatesTab } from "./catalog-tabs";
import { UsersTab } from "./users-tab";

const TABS = ["users", "labels", "quickReplies", "channels", "templates", "autoReplies", "businessProfile"] as const;

/** Admin pages; lazy-loaded so agents never download them. */
export default function AdminPage({ session }: { session: SessionDto }) {
  const { t } = useTranslation();
  const [tab, setTab] = useState<(typeof TABS)[number]>("users");
  return (
    <main className="admin page" id="main">
      <h1 className="sr-only">{t("app.admin")}</h1>
      <div role="tablist" className="tabs scroll-x" aria-label={t("app.admin")}>
        {TABS.map((x) => (
          <button
            key={x}
            role="tab"
            id={`tab-${x}`}
            aria-selected={tab === x}
            aria-controls="admin-panel"
            onClick={() => setTab(x)}
          >
            {t(`admin.${x}`)}
          </button>
        ))}
      </div>
      <section role="tabpanel" id="admin-panel" aria-labelledby={`tab-${tab}`}>
        {tab === "users" && <UsersTab session={session} />}
        {tab === "labels" && <LabelsTab />}
        {tab === "quickReplies" && <QuickRepliesTab />}
        {tab === "channels" && <ChannelsTab />}
        {tab === "templates" && <TemplatesTab />}
        {tab === "autoReplies" && <AutoRepliesTab />}
        {tab === "businessProfile" && <BusinessProfileTab />}
      </section>
    </main>
  );
}
