import { AppError } from "../errors/app-error";

export type AttachmentType = "image" | "document" | "audio" | "video" | "sticker";

const MB = 1024 * 1024;

/** Meta's outbound limits per WhatsApp media type (Cloud API media reference). */
export const OUTBOUND_MEDIA_LIMITS: Record<AttachmentType, { maxBytes: number; mimeTypes: readonly string[] }> = {
  image: { maxBytes: 5 * MB, mimeTypes: ["image/jpeg", "image/png"] },
  sticker: { maxBytes: 500 * 1024, mimeTypes: ["image/webp"] },
  audio: { maxBytes: 16 * MB, mimeTypes: ["audio/aac", "audio/amr", "audio/mpeg", "audio/mp4", "audio/ogg"] },
  video: { maxBytes: 16 * MB, mimeTypes: ["video/mp4", "video/3gpp"] },
  document: {
    maxBytes: 100 * MB,
    mimeTypes: [
      "text/plain",
      "application/pdf",
      "application/msword",
      "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
      "application/vnd.ms-excel",
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "application/vnd.ms-powerpoint",
      "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ],
  },
};

/** The largest file any type accepts (the upload stream stops reading after this). */
export function maxAttachmentBytes(maxDocumentBytes: number): number {
  return Math.max(16 * MB, Math.min(maxDocumentBytes, OUTBOUND_MEDIA_LIMITS.document.maxBytes));
}

const OFFICE_BY_EXTENSION: Record<string, { zip: string; ole: string }> = {
  doc: { zip: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ole: "application/msword" },
  docx: { zip: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ole: "application/msword" },
  xls: { zip: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ole: "application/vnd.ms-excel" },
  xlsx: { zip: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ole: "application/vnd.ms-excel" },
  ppt: {
    zip: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ole: "application/vnd.ms-powerpoint",
  },
  pptx: {
    zip: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ole: "application/vnd.ms-powerpoint",
  },
};

function extensionOf(filename: string | undefined): string {
  const match = /\.([a-z0-9]{1,8})$/i.exec(filename ?? "");
  return match ? match[1]!.toLowerCase() : "";
}

/** Plain text: valid UTF-8 without NUL or other binary control bytes. */
function looksLikeText(bytes: Buffer): boolean {
  const sample = bytes.subarray(0, 64 * 1024);
  for (const b of sample) {
    if (b === 0 || (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c && b !== 0x1b)) return false;
  }
  try {
    // A cut multi-byte character at the sample's end is fine.
    new TextDecoder("utf-8", { fatal: true }).decode(sample.subarray(0, Math.max(0, sample.length - 4)));
    return true;
  } catch {
    return false;
  }
}

/**
 * The MIME type the content shows (magic bytes), restricted to what WhatsApp accepts for outbound media; null when
 * the content is none of them. The client's declared type is never trusted; the file name only tells apart
 * formats that share a container (docx/xlsx/pptx are zip files; doc/xls/ppt are OLE files).
 */
export function sniffAttachmentMime(bytes: Buffer, filename?: string): string | null {
  const starts = (sig: number[], offset = 0) =>
    bytes.length >= offset + sig.length && sig.every((b, i) => bytes[offset + i] === b);
  const ascii = (text: string, offset = 0) => starts([...Buffer.from(text, "latin1")], offset);
  if (starts([0xff, 0xd8, 0xff])) return "image/jpeg";
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "image/png";
  if (ascii("RIFF") && ascii("WEBP", 8)) return "image/webp";
  if (ascii("GIF87a") || ascii("GIF89a")) return "image/gif";
  if (ascii("%PDF-")) return "application/pdf";
  if (ascii("OggS")) return "audio/ogg";
  if (ascii("#!AMR")) return "audio/amr";
  if (ascii("ID3") || starts([0xff, 0xfb]) || starts([0xff, 0xf3]) || starts([0xff, 0xf2])) return "audio/mpeg";
  if (bytes.length >= 2 && bytes[0] === 0xff && (bytes[1]! & 0xf6) === 0xf0) return "audio/aac"; // ADTS
  if (ascii("ftyp", 4)) {
    const brand = bytes.subarray(8, 12).toString("latin1");
    if (brand.startsWith("3gp") || brand.startsWith("3g2")) return "video/3gpp";
    if (brand === "M4A " || brand === "M4B ") return "audio/mp4";
    return "video/mp4";
  }
  const ext = extensionOf(filename);
  const office = OFFICE_BY_EXTENSION[ext];
  if (office && starts([0x50, 0x4b, 0x03, 0x04])) return office.zip;
  if (office && starts([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return office.ole;
  if (bytes.length > 0 && looksLikeText(bytes)) {
    const head = bytes.subarray(0, 512).toString("latin1").trimStart().toLowerCase();
    if (
      head.startsWith("<!doctype html") ||
      head.startsWith("<html") ||
      head.startsWith("<script") ||
      head.startsWith("<svg") ||
      head.startsWith("<?xml")
    ) {
      return null;
    }
    return "text/plain";
  }
  return null;
}

function typeForMime(mime: string): AttachmentType | null {
  if (mime === "image/webp") return "sticker";
  for (const type of ["image", "audio", "video", "document"] as const) {
    if (OUTBOUND_MEDIA_LIMITS[type].mimeTypes.includes(mime)) return type;
  }
  return null;
}

export interface ClassifiedAttachment {
  type: AttachmentType;
  mimeType: string;
}

const human = (bytes: number) =>
  bytes >= MB ? `${Math.round((bytes / MB) * 10) / 10} MB` : `${Math.round(bytes / 1024)} KB`;

/**
 * Decides what an uploaded file is from its bytes and checks it against WhatsApp's limit for that type:
 * AppError `unsupported_media_type` (415) for content WhatsApp does not accept, `payload_too_large` (413) over the
 * type's limit (documents: the configured `maxDocumentBytes`, at most Meta's 100 MB). `details` carry the limit
 * so the console can phrase the error in the agent's language.
 */
export function classifyAttachment(input: {
  bytes: Buffer;
  filename?: string;
  maxDocumentBytes: number;
}): ClassifiedAttachment {
  const { bytes } = input;
  if (bytes.byteLength === 0) throw new AppError("unsupported_media_type", "The file is empty.", { reason: "empty" });
  const mime = sniffAttachmentMime(bytes, input.filename);
  const type = mime ? typeForMime(mime) : null;
  if (!mime || !type) {
    throw new AppError(
      "unsupported_media_type",
      "WhatsApp does not accept this file type. Allowed: JPEG/PNG images, MP4/3GPP videos, AAC/AMR/MP3/M4A/OGG audio, PDF, TXT and Office documents, WebP stickers.",
      { reason: "type" },
    );
  }
  const limit =
    type === "document"
      ? Math.min(input.maxDocumentBytes, OUTBOUND_MEDIA_LIMITS.document.maxBytes)
      : OUTBOUND_MEDIA_LIMITS[type].maxBytes;
  if (bytes.byteLength > limit) {
    throw new AppError(
      "payload_too_large",
      `The ${type} is ${human(bytes.byteLength)}; WhatsApp accepts at most ${human(limit)} for this type.`,
      {
        reason: "size",
        mediaType: type,
        maxBytes: limit,
      },
    );
  }
  return { type, mimeType: mime };
}

/** A channel's declared attachment kinds (ChannelCapabilities.media): kind → content types and size limit. */
export type MediaCapabilities = Readonly<Record<string, { mimeTypes: readonly string[]; maxBytes: number }>>;

/**
 * Decides what a customer's upload is from its bytes and checks it against a channel's declared media capabilities
 * (web chat: images and PDF/text documents): 415 `unsupported_media_type` (`details.reason` "type"/"empty",
 * `allowed`), 413 `payload_too_large` (`details.reason` "size", `mediaType`, `maxBytes`). The client's type is never
 * trusted; the result's `kind` is the capability key (the message type).
 */
export function classifyForCapabilities(input: {
  bytes: Buffer;
  filename?: string | undefined;
  media: MediaCapabilities;
}): { kind: string; mimeType: string } {
  const { bytes, media } = input;
  const allowed = [...new Set(Object.values(media).flatMap((m) => [...m.mimeTypes]))];
  if (bytes.byteLength === 0)
    throw new AppError("unsupported_media_type", "The file is empty.", { reason: "empty", allowed });
  const mime = sniffAttachmentMime(bytes, input.filename);
  const entry = mime ? Object.entries(media).find(([, m]) => m.mimeTypes.includes(mime)) : undefined;
  if (!mime || !entry) {
    throw new AppError("unsupported_media_type", `This file type is not accepted. Allowed: ${allowed.join(", ")}.`, {
      reason: "type",
      allowed,
    });
  }
  const [kind, limit] = entry;
  if (bytes.byteLength > limit.maxBytes) {
    throw new AppError(
      "payload_too_large",
      `The ${kind} is ${human(bytes.byteLength)}; at most ${human(limit.maxBytes)} is accepted for this type.`,
      { reason: "size", mediaType: kind, maxBytes: limit.maxBytes },
    );
  }
  return { kind, mimeType: mime };
}

/** The largest file any of a channel's media kinds accepts (an upload stream stops reading after this). */
export function maxCapabilityBytes(media: MediaCapabilities): number {
  return Math.max(0, ...Object.values(media).map((m) => m.maxBytes));
}
