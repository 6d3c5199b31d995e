import type { ChannelRegionDto, ProcessingRecordDto, RetentionCategory } from "@inbox/contracts";
import type { Db } from "@inbox/db";
import type { GraphClient } from "@inbox/whatsapp";
import { findEffectivePolicies } from "../retention/list-retention-policies";

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

const CATEGORY_TEXT: Record<RetentionCategory, string> = {
  messages: "Messages and their conversation, counted from the conversation's resolution",
  media: "Media files, counted from when they were received or sent",
  contacts: "Contacts without a conversation for",
  webhook_payloads: "Raw webhook payloads and unmatched status reports",
  sessions: "Expired sessions and unused web chat → WhatsApp handoffs, after expiry",
  outbox: "Job queue entries already handed to the queue",
};

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
 * measures the product itself provides. What the operator adds (controller, DPO, hosting) is left to them.
 */
export async function buildProcessingRecord(deps: ProcessingRecordDeps): Promise<ProcessingRecordDto> {
  const { db, env } = deps;
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
      ? `S3-compatible bucket at ${env.S3_ENDPOINT ? new URL(env.S3_ENDPOINT).host : "?"} (region ${env.S3_REGION})`
      : "local disk of the server running the product";

  return {
    generatedAt: deps.clock().toISOString(),
    dataRegion: env.DATA_REGION,
    mediaStore: { kind: env.MEDIA_STORE, location: mediaLocation },
    channels: channelRegions,
    purposes: {
      title: "Purposes of the processing",
      items: [
        "Answering customer enquiries and providing customer service over the connected channels",
        "Sending service messages and notifications the customer asked for (template messages of category utility/authentication)",
        ...(marketingConsents > 0
          ? ["Sending marketing messages to customers who opted in (consent record kept)"]
          : []),
        "Keeping a central archive of customer communication instead of employees' phones",
        "Proving consent, opt-outs and what was done on data-subject requests; security of the service (audit log)",
      ],
    },
    dataSubjects: {
      title: "Categories of data subjects",
      items: [
        ...(hasWhatsApp ? ["Customers and prospects who write to or are written to on WhatsApp"] : []),
        ...(hasWebchat ? ["Website visitors who use the web chat"] : []),
        "Employees using the inbox (agents, team leads, admins)",
      ],
    },
    dataCategories: {
      title: "Categories of personal data",
      items: [
        "Customers: phone number / WhatsApp id, profile name, name set by an agent, labels",
        "Message content (text, media files, locations, contacts shared), delivery and read status",
        "Consent records with the wording shown and evidence (message, form, IP address and browser for the web chat)",
        ...(hasWebchat ? ["Web chat visitors: a random visitor id, optionally name and e-mail they enter"] : []),
        "Employees: name, e-mail, role, team memberships, sign-in times and IP addresses, actions in the audit log",
      ],
    },
    recipients: {
      title: "Recipients and transfers",
      items: [
        ...(hasWhatsApp
          ? [
              "Meta Platforms Ireland Ltd. as processor for the WhatsApp Business Platform (Cloud API); transfers to the " +
                "USA on the EU-US Data Privacy Framework and standard contractual clauses (Meta's data processing terms)",
            ]
          : []),
        ...(env.MEDIA_STORE === "s3" ? [`The operator of the media storage: ${mediaLocation}`] : []),
        "No other recipients by the product; hosting, backups and e-mail are the operator's own processors",
      ],
    },
    retention: {
      title: "Retention periods (Löschfristen)",
      items: policies.map((p) => {
        const scope = [
          p.channelId ? `channel ${channelName.get(p.channelId) ?? p.channelId}` : null,
          p.labelId ? `label ${labelName.get(p.labelId) ?? p.labelId}` : null,
        ].filter(Boolean);
        return `${CATEGORY_TEXT[p.category]}: ${p.days} days${scope.length ? ` (${scope.join(", ")})` : ""}${p.id ? "" : " (default)"}`;
      }),
    },
    measures: {
      title: "Technical and organisational measures provided by the product",
      items: [
        "Data region: database and media store declared in " + env.DATA_REGION,
        "Access control: roles (agent, team lead, admin); agents see only their teams' conversations",
        "Authentication: passwords hashed with argon2id, account lockout, optional or mandatory TOTP second factor",
        "Append-only audit log, enforced by the database (no update, delete or truncate)",
        "Webhook deliveries verified by their HMAC signature before anything is stored",
        "Deletion schedules per category; legal holds; data-subject export and erasure with suppression of the number",
      ],
    },
  };
}
