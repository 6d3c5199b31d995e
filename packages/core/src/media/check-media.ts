/** Meta's limits per media type (Cloud API media reference); inbound files over 100 MB never arrive. */
export const MEDIA_LIMITS: Record<string, { maxBytes: number; mimeTypes: string[] }> = {
  image: { maxBytes: 5 * 1024 * 1024, mimeTypes: ["image/jpeg", "image/png"] },
  sticker: { maxBytes: 500 * 1024, mimeTypes: ["image/webp"] },
  audio: {
    maxBytes: 16 * 1024 * 1024,
    mimeTypes: ["audio/aac", "audio/amr", "audio/mpeg", "audio/mp4", "audio/ogg", "audio/opus"],
  },
  video: { maxBytes: 16 * 1024 * 1024, mimeTypes: ["video/mp4", "video/3gpp"] },
  document: {
    maxBytes: 100 * 1024 * 1024,
    mimeTypes: [
      "text/plain",
      "text/csv",
      "application/pdf",
      "application/msword",
      "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
      "application/vnd.ms-excel",
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "application/vnd.ms-powerpoint",
      "application/vnd.openxmlformats-officedocument.presentationml.presentation",
      "application/zip",
      "application/octet-stream",
      "image/jpeg",
      "image/png",
    ],
  },
};

/** "audio/ogg; codecs=opus" → "audio/ogg". */
export function baseMimeType(mime: string): string {
  return mime.split(";")[0]!.trim().toLowerCase();
}

/** The type the first bytes show, for the formats whose signature is unambiguous; null when unknown. */
export function sniffMimeType(bytes: Buffer): string | null {
  const starts = (sig: number[], offset = 0) => sig.every((b, i) => bytes[offset + i] === b);
  if (starts([0xff, 0xd8, 0xff])) return "image/jpeg";
  if (starts([0x89, 0x50, 0x4e, 0x47])) return "image/png";
  if (starts([0x52, 0x49, 0x46, 0x46]) && starts([0x57, 0x45, 0x42, 0x50], 8)) return "image/webp";
  if (starts([0x25, 0x50, 0x44, 0x46])) return "application/pdf";
  if (starts([0x4f, 0x67, 0x67, 0x53])) return "audio/ogg";
  if (starts([0x66, 0x74, 0x79, 0x70], 4)) return "video/mp4";
  if (starts([0x4d, 0x5a]) || starts([0x7f, 0x45, 0x4c, 0x46])) return "application/x-executable";
  const head = bytes.subarray(0, 512).toString("latin1").trimStart().toLowerCase();
  if (
    head.startsWith("<!doctype html") ||
    head.startsWith("<html") ||
    head.startsWith("<script") ||
    head.startsWith("<svg")
  ) {
    return "text/html";
  }
  return null;
}

const FAMILY: Record<string, string> = {
  "image/jpeg": "image/jpeg",
  "image/png": "image/png",
  "image/webp": "image/webp",
  "application/pdf": "application/pdf",
  "audio/ogg": "audio/ogg",
  "audio/opus": "audio/ogg",
};

export type MediaCheck = { ok: true; mimeType: string } | { ok: false; reason: string };

/**
 * Checks a downloaded file before it is stored: size within Meta's limit for the type, declared MIME type allowed
 * for the type, content not executable/HTML, and the sniffed type consistent with the declared one where the
 * signature is unambiguous (an mp4 container may carry audio, so only the listed families are compared).
 */
export function checkMedia(input: { messageType: string; declaredMime: string; bytes: Buffer }): MediaCheck {
  const limits = MEDIA_LIMITS[input.messageType];
  const declared = baseMimeType(input.declaredMime);
  if (!limits) return { ok: false, reason: `no media allowed for message type ${input.messageType}` };
  // "text/plain;a=b, text/html": browsers take the last type of a list; a MIME type never needs a comma.
  if (input.declaredMime.includes(",")) return { ok: false, reason: "declared MIME type is a list" };
  if (input.bytes.byteLength === 0) return { ok: false, reason: "empty file" };
  if (input.bytes.byteLength > limits.maxBytes)
    return { ok: false, reason: `file larger than ${limits.maxBytes} bytes` };
  if (!limits.mimeTypes.includes(declared))
    return { ok: false, reason: `MIME type ${declared} not allowed for ${input.messageType}` };
  const sniffed = sniffMimeType(input.bytes);
  if (sniffed === "application/x-executable" || sniffed === "text/html")
    return { ok: false, reason: `content looks like ${sniffed}` };
  const declaredFamily = FAMILY[declared];
  if (sniffed && declaredFamily && FAMILY[sniffed] && FAMILY[sniffed] !== declaredFamily) {
    return { ok: false, reason: `content is ${sniffed}, declared ${declared}` };
  }
  return { ok: true, mimeType: declared };
}
