import { describe, expect, it } from "vitest";
import { webchatChannel } from "../channels/webchat-channel";
import {
  classifyAttachment,
  classifyForCapabilities,
  maxCapabilityBytes,
  maxAttachmentBytes,
  OUTBOUND_MEDIA_LIMITS,
  sniffAttachmentMime,
} from "./classify-attachment";

const MB = 1024 * 1024;
const pad = (head: number[] | string, size: number) => {
  const start = typeof head === "string" ? Buffer.from(head, "latin1") : Buffer.from(head);
  return Buffer.concat([start, Buffer.alloc(Math.max(0, size - start.length), 1)]);
};
const JPEG = [0xff, 0xd8, 0xff, 0xe0];
const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const classify = (bytes: Buffer, filename?: string, maxDocumentBytes = 25 * MB) =>
  classifyAttachment({ bytes, filename, maxDocumentBytes });

describe("sniffAttachmentMime", () => {
  it("recognises WhatsApp's media formats by their magic bytes", () => {
    expect(sniffAttachmentMime(pad(JPEG, 20))).toBe("image/jpeg");
    expect(sniffAttachmentMime(pad(PNG, 20))).toBe("image/png");
    expect(sniffAttachmentMime(pad("RIFF\x10\x00\x00\x00WEBPVP8 ", 20))).toBe("image/webp");
    expect(sniffAttachmentMime(pad("%PDF-1.7\n", 20))).toBe("application/pdf");
    expect(sniffAttachmentMime(pad("OggS", 20))).toBe("audio/ogg");
    expect(sniffAttachmentMime(pad("#!AMR\n", 20))).toBe("audio/amr");
    expect(sniffAttachmentMime(pad("ID3\x04", 20))).toBe("audio/mpeg");
    expect(sniffAttachmentMime(pad([0xff, 0xf1, 0x50, 0x80], 20))).toBe("audio/aac");
    expect(sniffAttachmentMime(pad("\x00\x00\x00\x18ftypisom", 20))).toBe("video/mp4");
    expect(sniffAttachmentMime(pad("\x00\x00\x00\x18ftyp3gp4", 20))).toBe("video/3gpp");
    expect(sniffAttachmentMime(pad("\x00\x00\x00\x18ftypM4A ", 20))).toBe("audio/mp4");
    expect(sniffAttachmentMime(Buffer.from("Hallo Welt, schöne Grüße\n"))).toBe("text/plain");
  });

  it("tells Office formats apart by container + extension, and refuses zips that are not Office files", () => {
    const zip = pad([0x50, 0x4b, 0x03, 0x04], 30);
    const ole = pad([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], 30);
    expect(sniffAttachmentMime(zip, "Angebot.docx")).toBe(
      "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    );
    expect(sniffAttachmentMime(zip, "Liste.XLSX")).toBe(
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    );
    expect(sniffAttachmentMime(ole, "alt.xls")).toBe("application/vnd.ms-excel");
    expect(sniffAttachmentMime(zip, "archive.zip")).toBeNull();
    expect(sniffAttachmentMime(zip)).toBeNull();
  });

  it("does not trust names or declared types: executables, HTML and SVG are unknown; GIF is no WhatsApp type", () => {
    expect(sniffAttachmentMime(pad("MZ\x90\x00", 20), "photo.jpg")).toBeNull();
    expect(sniffAttachmentMime(pad([0x7f, 0x45, 0x4c, 0x46], 20), "notes.txt")).toBeNull();
    expect(sniffAttachmentMime(Buffer.from("<!DOCTYPE html><p>x"), "a.txt")).toBeNull();
    expect(sniffAttachmentMime(Buffer.from("<svg xmlns='http://www.w3.org/2000/svg'/>"))).toBeNull();
    // Recognised (web chat accepts GIF), but WhatsApp does not take it.
    expect(sniffAttachmentMime(pad("GIF89a", 20), "a.png")).toBe("image/gif");
    expect(() => classify(pad("GIF89a", 20), "a.png")).toThrow(
      expect.objectContaining({ code: "unsupported_media_type" }),
    );
  });
});

describe("classifyAttachment", () => {
  it("maps the sniffed type to the WhatsApp media type", () => {
    expect(classify(pad(JPEG, 100), "x.pdf")).toEqual({ type: "image", mimeType: "image/jpeg" });
    expect(classify(pad("%PDF-1.4", 100), "x.png")).toEqual({ type: "document", mimeType: "application/pdf" });
    expect(classify(pad("RIFF\x10\x00\x00\x00WEBPVP8 ", 100))).toEqual({ type: "sticker", mimeType: "image/webp" });
    expect(classify(pad("OggS", 100))).toEqual({ type: "audio", mimeType: "audio/ogg" });
    expect(classify(pad("\x00\x00\x00\x18ftypmp42", 100))).toEqual({ type: "video", mimeType: "video/mp4" });
  });

  it("enforces each type's limit with 413 and the limit in the details", () => {
    expect(() => classify(pad(JPEG, 5 * MB))).not.toThrow();
    expect(() => classify(pad(JPEG, 5 * MB + 1))).toThrow(
      expect.objectContaining({
        code: "payload_too_large",
        status: 413,
        details: expect.objectContaining({ maxBytes: 5 * MB, mediaType: "image" }),
      }),
    );
    expect(() => classify(pad("RIFF\x10\x00\x00\x00WEBPVP8 ", 500 * 1024 + 1))).toThrow(
      expect.objectContaining({ code: "payload_too_large" }),
    );
    expect(() => classify(pad("OggS", 16 * MB + 1))).toThrow(expect.objectContaining({ code: "payload_too_large" }));
    expect(() => classify(pad("\x00\x00\x00\x18ftypmp42", 16 * MB + 1))).toThrow(
      expect.objectContaining({ code: "payload_too_large" }),
    );
    // Documents: the configured cap (lower than Meta's 100 MB) applies.
    expect(() => classify(pad("%PDF-1.4", 2 * MB + 1), "a.pdf", 2 * MB)).toThrow(
      expect.objectContaining({ code: "payload_too_large", details: expect.objectContaining({ maxBytes: 2 * MB }) }),
    );
    expect(() => classify(pad("%PDF-1.4", 2 * MB), "a.pdf", 2 * MB)).not.toThrow();
    expect(() => classify(pad("%PDF-1.4", 20), "a.pdf", 500 * MB)).not.toThrow();
    expect(maxAttachmentBytes(500 * MB)).toBe(OUTBOUND_MEDIA_LIMITS.document.maxBytes);
    expect(maxAttachmentBytes(1 * MB)).toBe(16 * MB);
  });

  it("refuses unknown content and empty files with 415", () => {
    expect(() => classify(pad("MZ\x90\x00", 100), "invoice.pdf")).toThrow(
      expect.objectContaining({ code: "unsupported_media_type", status: 415 }),
    );
    expect(() => classify(Buffer.alloc(0))).toThrow(expect.objectContaining({ code: "unsupported_media_type" }));
  });
});

describe("classifyForCapabilities (web chat's declared media)", () => {
  const media = webchatChannel.capabilities.media;
  const check = (bytes: Buffer, filename?: string) => classifyForCapabilities({ bytes, filename, media });

  it("accepts what the channel declares, by the bytes", () => {
    expect(check(pad(PNG, 100), "x.pdf")).toEqual({ kind: "image", mimeType: "image/png" });
    expect(check(pad("GIF87a", 100))).toEqual({ kind: "image", mimeType: "image/gif" });
    expect(check(pad("%PDF-1.7", 100), "x.png")).toEqual({ kind: "document", mimeType: "application/pdf" });
    expect(check(Buffer.from("Hallo\n"), "a.txt")).toEqual({ kind: "document", mimeType: "text/plain" });
    expect(maxCapabilityBytes(media)).toBe(10 * MB);
  });

  it("refuses other content (415) and sizes over the kind's limit (413)", () => {
    expect(() => check(pad("OggS", 100))).toThrow(
      expect.objectContaining({ code: "unsupported_media_type", details: expect.objectContaining({ reason: "type" }) }),
    );
    expect(() => check(Buffer.alloc(0))).toThrow(expect.objectContaining({ code: "unsupported_media_type" }));
    expect(() => check(pad(JPEG, 5 * MB + 1))).toThrow(
      expect.objectContaining({
        code: "payload_too_large",
        details: expect.objectContaining({ mediaType: "image", maxBytes: 5 * MB }),
      }),
    );
    expect(() => check(pad("%PDF-1.4", 6 * MB))).not.toThrow();
  });
});
