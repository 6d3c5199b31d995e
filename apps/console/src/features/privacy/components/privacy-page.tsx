import { useState } from "react";
import { useTranslation } from "react-i18next";
import { PRIVACY_NS } from "../locale";
import { RetentionPanel } from "./retention-panel";
import { LegalHoldsPanel } from "./legal-holds-panel";
import { AuditLogPanel } from "./audit-log-panel";
import { RequestsPanel } from "./requests-panel";
import { ProcessingRecordPanel } from "./processing-record-panel";
import { DataRegionPanel } from "./data-region-panel";
import { ConsentTextsPanel } from "./consent-texts-panel";

const TABS = ["retention", "holds", "requests", "audit", "consent", "record", "region"] as const;
type Tab = (typeof TABS)[number];

/** Datenschutz: what a data-protection officer asks for, for admins; lazy-loaded like the admin page. */
export default function PrivacyPage() {
  const { t } = useTranslation(PRIVACY_NS);
  const [tab, setTab] = useState<Tab>("retention");
  return (
    <main className="admin" id="main">
      <h1>{t("title")}</h1>
      <div role="tablist" className="tabs" aria-label={t("title")}>
        {TABS.map((x) => (
          <button key={x} role="tab" aria-selected={tab === x} onClick={() => setTab(x)}>
            {t(`tabs.${x}`)}
          </button>
        ))}
      </div>
      <section role="tabpanel">
        {tab === "retention" && <RetentionPanel />}
        {tab === "holds" && <LegalHoldsPanel />}
        {tab === "requests" && <RequestsPanel />}
        {tab === "audit" && <AuditLogPanel />}
        {tab === "consent" && <ConsentTextsPanel />}
        {tab === "record" && <ProcessingRecordPanel />}
        {tab === "region" && <DataRegionPanel />}
      </section>
    </main>
  );
}
