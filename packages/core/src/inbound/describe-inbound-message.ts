import type { InboundMessage } from "@inbox/whatsapp";

type MediaMessageType = "image" | "audio" | "video" | "document" | "sticker";

interface InboundMedia {
  providerMediaId: string;
  mimeType: string;
  filename: string | null;
  /** Meta's checksum of the file, checked by the download job. */
  sha256: string | null;
}

export interface DescribedMessage {
  text: string | null;
  /** Text a consent keyword is looked for in (typed text, template quick-reply button, interactive reply). */
  keywordText: string | null;
  media: InboundMedia | null;
  replyToExternalId: string | null;
}

const MEDIA_FALLBACK_MIME: Record<MediaMessageType, string> = {
  image: "image/jpeg",
  audio: "audio/ogg",
  video: "video/mp4",
  document: "application/octet-stream",
  sticker: "image/webp",
};

/** What the inbox shows and acts on for one message of any type; unknown types keep their payload only. */
export function describeInboundMessage(message: InboundMessage): DescribedMessage {
  const replyToExternalId = message.context?.id ?? null;
  const base = { text: null, keywordText: null, media: null, replyToExternalId };
  switch (message.type) {
    case "text":
      return { ...base, text: message.text?.body ?? null, keywordText: message.text?.body ?? null };
    case "image":
    case "audio":
    case "video":
    case "document":
    case "sticker": {
      const body = message[message.type];
      if (!body) return base;
      return {
        ...base,
        text: body.caption ?? null,
        media: {
          providerMediaId: body.id,
          mimeType: body.mime_type ?? MEDIA_FALLBACK_MIME[message.type],
          filename: body.filename ?? null,
          sha256: body.sha256 ?? null,
        },
      };
    }
    case "location": {
      const l = message.location;
      return { ...base, text: l ? [l.name, l.address].filter(Boolean).join(", ") || null : null };
    }
    case "contacts":
      return {
        ...base,
        text:
          message.contacts
            ?.map((c) => c.name?.formatted_name)
            .filter(Boolean)
            .join(", ") || null,
      };
    case "interactive": {
      const title = message.interactive?.button_reply?.title ?? message.interactive?.list_reply?.title ?? null;
      return { ...base, text: title, keywordText: title };
    }
    case "button":
      return { ...base, text: message.button?.text ?? null, keywordText: message.button?.text ?? null };
    case "reaction":
      return {
        ...base,
        text: message.reaction?.emoji ?? null,
        replyToExternalId: message.reaction?.message_id ?? replyToExternalId,
      };
    case "order":
      return { ...base, text: message.order?.text ?? null };
    case "system":
      return { ...base, text: message.system?.body ?? null };
    default:
      return base;
  }
}
