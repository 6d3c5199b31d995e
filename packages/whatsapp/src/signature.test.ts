import { describe, expect, it } from "vitest";
import { matchesVerifyToken, signPayload, verifySignature } from "./signature";

// Test vector from Meta's official Node SDK (github.com/WhatsApp/WhatsApp-Nodejs-SDK src/__tests__/utils.test.ts).
const VECTOR = "sha256=0c61947b610d4f45e65f3d680e26027121ec2413e77598bcb6cfc6e0d9888221";

describe("X-Hub-Signature-256", () => {
  it("signs Meta's test vector", () => {
    expect(signPayload("test", "TEST_APP_SECRET")).toBe(VECTOR);
    expect(signPayload(Buffer.from("test"), "TEST_APP_SECRET")).toBe(VECTOR);
  });

  it("verifies the raw bytes, rejecting wrong, missing or malformed headers", () => {
    expect(verifySignature("test", VECTOR, "TEST_APP_SECRET")).toBe(true);
    expect(
      verifySignature(Buffer.from("test"), VECTOR.toUpperCase().replace("SHA256=", "sha256="), "TEST_APP_SECRET"),
    ).toBe(true);
    expect(verifySignature("test ", VECTOR, "TEST_APP_SECRET")).toBe(false);
    expect(verifySignature("test", VECTOR, "OTHER")).toBe(false);
    expect(verifySignature("test", undefined, "TEST_APP_SECRET")).toBe(false);
    expect(verifySignature("test", "sha256=abc", "TEST_APP_SECRET")).toBe(false);
    expect(verifySignature("test", VECTOR.replace("sha256=", ""), "TEST_APP_SECRET")).toBe(false);
    expect(verifySignature("test", VECTOR, "")).toBe(false);
  });

  it("signs unicode bodies over their UTF-8 bytes", () => {
    const body = JSON.stringify({ text: "äöü 😀 مرحبا" });
    expect(verifySignature(Buffer.from(body, "utf8"), signPayload(body, "s"), "s")).toBe(true);
  });
});

describe("hub.verify_token", () => {
  it("matches only the exact configured token; nothing matches an unset one", () => {
    expect(matchesVerifyToken("geheim-123", "geheim-123")).toBe(true);
    expect(matchesVerifyToken("geheim-12", "geheim-123")).toBe(false);
    expect(matchesVerifyToken("geheim-1234", "geheim-123")).toBe(false);
    expect(matchesVerifyToken("GEHEIM-123", "geheim-123")).toBe(false);
    expect(matchesVerifyToken(undefined, "geheim-123")).toBe(false);
    expect(matchesVerifyToken("", "")).toBe(false);
    expect(matchesVerifyToken("x", undefined)).toBe(false);
  });
});
