import type { ProcessingRecordDto } from "@inbox/contracts";
import { PROCESSING_RECORD_TEXTS } from "./processing-record-texts";

/** The record of processing activities as Markdown, in the record's language: the DPO's document, regenerated whenever it is downloaded. */
export function renderProcessingRecord(record: ProcessingRecordDto): string {
  const x = PROCESSING_RECORD_TEXTS[record.language];
  const list = (items: string[]) => items.map((i) => `- ${i}`).join("\n");
  const section = (s: { title: string; items: string[] }) => `## ${s.title}\n\n${list(s.items)}\n`;
  const channels = record.channels.map((c) =>
    c.type === "whatsapp"
      ? x.whatsAppChannel(c.name, x.localStorage[c.localStorage], c.localStorageRegion, c.declaredRegion)
      : x.webchatChannel(c.name),
  );
  return [
    `# ${x.title}`,
    "",
    x.generated(record.generatedAt),
    "",
    `## ${x.dataRegionTitle}`,
    "",
    list([x.databaseAndMedia(record.dataRegion, record.mediaStore.location), ...channels, x.localStorageCovers]),
    "",
    section(record.purposes),
    section(record.dataSubjects),
    section(record.dataCategories),
    section(record.recipients),
    section(record.retention),
    section(record.measures),
  ].join("\n");
}
