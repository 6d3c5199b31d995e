import { describe, expect, it } from "vitest";
import {
  ENABLE_LOCAL_STORAGE_REQUEST,
  EXPIRED_TOKEN_ERROR_RESPONSE,
  MEDIA_URL_RESPONSE,
  RATE_LIMIT_ERROR_RESPONSE,
  SEND_MESSAGE_RESPONSE,
  SEND_TEMPLATE_REQUEST,
  SEND_TEXT_REQUEST,
} from "../fixtures/graph";
import {
  GraphErrorResponseSchema,
  MarkReadRequestSchema,
  MediaUrlResponseSchema,
  SendMessageRequestSchema,
  SendMessageResponseSchema,
  UpdateSettingsRequestSchema,
} from "./schemas";

const base = { messaging_product: "whatsapp", to: "+4915112345678" } as const;

describe("Graph schemas against Meta's documented bodies", () => {
  it("parses documented send requests and responses", () => {
    expect(SendMessageRequestSchema.parse(SEND_TEXT_REQUEST).type).toBe("text");
    expect(SendMessageRequestSchema.parse(SEND_TEMPLATE_REQUEST).type).toBe("template");
    expect(SendMessageResponseSchema.parse(SEND_MESSAGE_RESPONSE).messages[0]?.message_status).toBe("accepted");
    expect(GraphErrorResponseSchema.parse(RATE_LIMIT_ERROR_RESPONSE).error.code).toBe(130429);
    expect(GraphErrorResponseSchema.parse(EXPIRED_TOKEN_ERROR_RESPONSE).error.code).toBe(190);
    expect(MediaUrlResponseSchema.parse(MEDIA_URL_RESPONSE).id).toBe("1037543291543636");
    expect(
      UpdateSettingsRequestSchema.parse(ENABLE_LOCAL_STORAGE_REQUEST).storage_configuration?.data_localization_region,
    ).toBe("DE");
  });

  it("accepts every outbound type", () => {
    const bodies = [
      { type: "image", image: { id: "123" } },
      { type: "document", document: { link: "https://example.com/a.pdf", filename: "a.pdf" } },
      { type: "audio", audio: { id: "1", voice: true } },
      { type: "video", video: { link: "https://example.com/a.mp4", caption: "x" } },
      { type: "sticker", sticker: { id: "1" } },
      { type: "reaction", reaction: { message_id: "wamid.X", emoji: "👍" } },
      { type: "location", location: { latitude: 52.5, longitude: 13.4, name: "Berlin" } },
      { type: "contacts", contacts: [{ name: { formatted_name: "Erika" }, phones: [{ phone: "+49301234" }] }] },
      {
        type: "interactive",
        interactive: {
          type: "button",
          body: { text: "Ja?" },
          action: { buttons: [{ type: "reply", reply: { id: "y", title: "Ja" } }] },
        },
      },
      {
        type: "interactive",
        interactive: {
          type: "list",
          body: { text: "Wählen" },
          action: { button: "Optionen", sections: [{ title: "A", rows: [{ id: "a", title: "A" }] }] },
        },
      },
    ];
    for (const body of bodies)
      expect(SendMessageRequestSchema.safeParse({ ...base, ...body }).success, body.type).toBe(true);
  });

  it("rejects media with both id and link, or neither", () => {
    expect(SendMessageRequestSchema.safeParse({ ...base, type: "image", image: {} }).success).toBe(false);
    expect(
      SendMessageRequestSchema.safeParse({ ...base, type: "image", image: { id: "1", link: "https://x.y/z" } }).success,
    ).toBe(false);
  });

  it("parses mark-as-read", () => {
    expect(
      MarkReadRequestSchema.parse({ messaging_product: "whatsapp", status: "read", message_id: "wamid.X" }).status,
    ).toBe("read");
  });
});
