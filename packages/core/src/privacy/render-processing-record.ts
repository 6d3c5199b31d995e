import type { ProcessingRecordDto } from "@inbox/contracts";

const LOCAL_STORAGE_TEXT = { enabled: "enabled", disabled: "not enabled", unknown: "could not be read" } as const;

/** The record of processing activities as Markdown: the DPO's document, regenerated whenever it is downloaded. */
export function renderProcessingRecord(record: ProcessingRecordDto): string {
  const list = (items: string[]) => items.map((i) => `- ${i}`).join("\n");
  const section = (s: { title: string; items: string[] }) => `## ${s.title}\n\n${list(s.items)}\n`;
  const channels = record.channels.map((c) =>
    c.type === "whatsapp"
      ? `${c.name} (WhatsApp): Meta local storage ${LOCAL_STORAGE_TEXT[c.localStorage]}` +
        `${c.localStorageRegion ? ` in ${c.localStorageRegion}` : ""}` +
        `${c.declaredRegion ? `; registered for ${c.declaredRegion}` : ""}`
      : `${c.name} (web chat): stored only in this installation`,
  );
  return [
    "# Record of processing activities (Art. 30 GDPR)",
    "",
    `Generated ${record.generatedAt} from the live configuration of the inbox. Controller, data-protection officer`,
    "and hosting are to be added by the operator.",
    "",
    "## Data region",
    "",
    list([
      `Database and media store: ${record.dataRegion} (media: ${record.mediaStore.location})`,
      ...channels,
      "Meta's local storage keeps message content at rest in the region after about 60 minutes; it does not cover all " +
        "metadata, and messages pass through Meta's global infrastructure in transit.",
    ]),
    "",
    section(record.purposes),
    section(record.dataSubjects),
    section(record.dataCategories),
    section(record.recipients),
    section(record.retention),
    section(record.measures),
  ].join("\n");
}
