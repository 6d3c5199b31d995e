import type { ChannelRegionDto, ProcessingRecordDto, ProcessingRecordLanguage } from "@inbox/contracts";
import type { Db } from "@inbox/db";
import type { GraphClient } from "@inbox/whatsapp";
import { findEffectivePolicies } from "../retention/list-retention-policies";
import { PROCESSING_RECORD_TEXTS } from "./processing-record-texts";

export interface ProcessingRecordDeps {
  db: Db;
  /** Reads each number's local-storage setting back from Meta. */
  graph: Pick<GraphClient, "getSettings">;
  env: {
    DATA_REGION: string;
    MEDIA_STORE: "local" | "s3";
    S3_ENDPOINT?: string | undefined;
    S3_REGION: string;
  };
  clock: () => Date;
}

/** A number whose settings Meta does not answer within this long shows as `unknown`; the page still loads. */
const GRAPH_READ_TIMEOUT_MS = 5_000;

async function readLocalStorage(
  graph: ProcessingRecordDeps["graph"],
  phoneNumberId: string,
): Promise<Pick<ChannelRegionDto, "localStorage" | "localStorageRegion">> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const settings = await Promise.race([
      graph.getSettings(phoneNumberId),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error("timeout")), GRAPH_READ_TIMEOUT_MS);
      }),
    ]);
    const storage = settings.storage_configuration;
    if (storage?.status === "IN_COUNTRY_STORAGE_ENABLED") {
      return { localStorage: "enabled", localStorageRegion: storage.data_localization_region ?? null };
    }
    return { localStorage: storage ? "disabled" : "unknown", localStorageRegion: null };
  } catch {
    return { localStorage: "unknown", localStorageRegion: null };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Art. 30 record of processing activities, built from what is configured now: channels and Meta's local storage per
 * number (read back from the Graph API), the data region, the media store, the retention periods in force, and the
 * measures the product itself provides — in German or English. What the operator adds (controller, DPO, hosting) is
 * left to them.
 */
export async function buildProcessingRecord(
  deps: ProcessingRecordDeps,
  language: ProcessingRecordLanguage,
): Promise<ProcessingRecordDto> {
  const { db, env } = deps;
  const x = PROCESSING_RECORD_TEXTS[language];
  const [channels, policies, labels, marketingConsents] = await Promise.all([
    db.channel.findMany({ orderBy: { createdAt: "asc" } }),
    findEffectivePolicies(db),
    db.label.findMany({ select: { id: true, name: true } }),
    db.consent.count({ where: { purpose: "marketing" } }),
  ]);
  const channelRegions: ChannelRegionDto[] = await Promise.all(
    channels.map(async (c) => ({
      channelId: c.id,
      name: c.name,
      type: c.type,
      declaredRegion: c.dataRegion,
      ...(c.type === "whatsapp"
        ? await readLocalStorage(deps.graph, c.externalId)
        : { localStorage: "unknown" as const, localStorageRegion: null }),
    })),
  );
  const hasWebchat = channels.some((c) => c.type === "webchat");
  const hasWhatsApp = channels.some((c) => c.type === "whatsapp");
  const channelName = new Map(channels.map((c) => [c.id, c.name]));
  const labelName = new Map(labels.map((l) => [l.id, l.name]));
  const mediaLocation =
    env.MEDIA_STORE === "s3"
      ? x.mediaS3(env.S3_ENDPOINT ? new URL(env.S3_ENDPOINT).host : "?", env.S3_REGION)
      : x.mediaLocal;

  return {
    language,
    generatedAt: deps.clock().toISOString(),
    dataRegion: env.DATA_REGION,
    mediaStore: { kind: env.MEDIA_STORE, location: mediaLocation },
    channels: channelRegions,
    purposes: {
      title: x.purposes.title,
      items: [
        x.purposes.service,
        x.purposes.notifications,
        ...(marketingConsents > 0 ? [x.purposes.marketing] : []),
        x.purposes.archive,
        x.purposes.proof,
      ],
    },
    dataSubjects: {
      title: x.dataSubjects.title,
      items: [
        ...(hasWhatsApp ? [x.dataSubjects.whatsApp] : []),
        ...(hasWebchat ? [x.dataSubjects.webchat] : []),
        x.dataSubjects.employees,
      ],
    },
    dataCategories: {
      title: x.dataCategories.title,
      items: [
        x.dataCategories.customers,
        x.dataCategories.content,
        x.dataCategories.consents,
        ...(hasWebchat ? [x.dataCategories.webchat] : []),
        x.dataCategories.employees,
      ],
    },
    recipients: {
      title: x.recipients.title,
      items: [
        ...(hasWhatsApp ? [x.recipients.meta] : []),
        ...(env.MEDIA_STORE === "s3" ? [x.recipients.mediaStore(mediaLocation)] : []),
        x.recipients.none,
      ],
    },
    retention: {
      title: x.retention.title,
      items: policies.map((p) => {
        const scope = [
          p.channelId ? x.retention.channel(channelName.get(p.channelId) ?? p.channelId) : null,
          p.labelId ? x.retention.label(labelName.get(p.labelId) ?? p.labelId) : null,
          p.id ? null : x.retention.isDefault,
        ].filter(Boolean);
        return `${x.retention.categories[p.category]}: ${x.retention.days(p.days)}${scope.length ? ` (${scope.join(", ")})` : ""}`;
      }),
    },
    measures: {
      title: x.measures.title,
      items: [x.measures.region(env.DATA_REGION), ...x.measures.items],
    },
  };
}
