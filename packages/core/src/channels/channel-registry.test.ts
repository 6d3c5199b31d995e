import { describe, expect, it } from "vitest";
import { parseWebhookDelivery } from "@inbox/whatsapp";
import { IMAGE_MESSAGE_WEBHOOK, TEXT_MESSAGE_WEBHOOK } from "@inbox/whatsapp/fixtures";
import { getChannelAdapter, getChannelCapabilities, listChannelTypes } from "./channel-registry";
import { WebchatSettingsSchema } from "./webchat-channel";

function parsed(body: unknown) {
  const result = parseWebhookDelivery(body);
  if (!result.ok) throw new Error("fixture does not parse");
  return result.delivery;
}

describe("channel registry", () => {
  it("has an adapter for every channel type of the schema", () => {
    expect(listChannelTypes().sort()).toEqual(["webchat", "whatsapp"]);
    for (const type of listChannelTypes()) expect(getChannelAdapter(type).type).toBe(type);
  });

  it("WhatsApp has the 24 h window, templates and provider delivery; web chat has none of these", () => {
    expect(getChannelCapabilities("whatsapp")).toMatchObject({
      hasServiceWindow: true,
      serviceWindowMs: 24 * 3600 * 1000,
      supportsTemplates: true,
      delivery: "provider",
    });
    expect(getChannelCapabilities("webchat")).toMatchObject({
      hasServiceWindow: false,
      supportsTemplates: false,
      delivery: "live",
      hasReadReceipts: true,
      hasTypingIndicator: true,
    });
    expect(getChannelCapabilities("webchat").media.image!.mimeTypes).toContain("image/png");
  });

  it("normalises a WhatsApp delivery: wamid, sender, text, Meta's timestamp", () => {
    const [message] = getChannelAdapter("whatsapp").normalizeInbound(parsed(TEXT_MESSAGE_WEBHOOK) as never);
    expect(message).toEqual({
      externalId: "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTA0NjU1OUFFRTAzODEwMTQ0RgA=",
      sender: { waId: "16505551234", userId: undefined, profileName: "Sheena Nelson" },
      type: "text",
      text: "Does it come in another color?",
      sentAt: new Date(1749416383 * 1000),
      replyToExternalId: null,
      media: null,
    });
    const [image] = getChannelAdapter("whatsapp").normalizeInbound(parsed(IMAGE_MESSAGE_WEBHOOK) as never);
    expect(image!.media).toMatchObject({ providerMediaId: "1003383421387256", mimeType: "image/jpeg" });
  });

  it("normalises a web chat visitor message with a channel-unique external id", () => {
    const sentAt = new Date();
    const [message] = getChannelAdapter("webchat").normalizeInbound({
      visitorId: "7d0b5f7e-3b7e-4a59-9d8c-1f1f4b0c2a11",
      clientMessageId: "0d9f1f3c-2a44-4c6e-8f0e-3b5c6d7e8f90",
      text: "Hallo",
      sentAt,
    } as never);
    expect(message).toMatchObject({
      externalId: "webchat.0d9f1f3c-2a44-4c6e-8f0e-3b5c6d7e8f90",
      sender: { externalId: "7d0b5f7e-3b7e-4a59-9d8c-1f1f4b0c2a11" },
      type: "text",
      text: "Hallo",
      sentAt,
    });
  });

  it("web chat settings: origins are normalised, paths and other schemes refused, one origin required", () => {
    expect(WebchatSettingsSchema.parse({ allowedOrigins: ["https://www.example.de"] }).allowedOrigins).toEqual([
      "https://www.example.de",
    ]);
    expect(WebchatSettingsSchema.safeParse({ allowedOrigins: ["https://www.example.de/shop"] }).success).toBe(false);
    expect(WebchatSettingsSchema.safeParse({ allowedOrigins: ["javascript:alert(1)"] }).success).toBe(false);
    expect(WebchatSettingsSchema.safeParse({ allowedOrigins: [] }).success).toBe(false);
    expect(
      WebchatSettingsSchema.safeParse({ allowedOrigins: ["https://a.de"], colors: { primary: "red", text: "#fff" } })
        .success,
    ).toBe(false);
  });
});
