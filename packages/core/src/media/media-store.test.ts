import { afterAll, describe, expect, it } from "vitest";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { LocalDiskMediaStore, newMediaKey, sha256Hex } from "./media-store";
import { checkMedia, sniffMimeType } from "./check-media";

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe("LocalDiskMediaStore", () => {
  it("puts, gets, checks and deletes by key, with sha256 and size", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "media-"));
    dirs.push(dir);
    const store = new LocalDiskMediaStore(dir);
    const key = newMediaKey(new Date("2026-11-23T00:00:00Z"));
    expect(key).toMatch(/^2026\/11\/[0-9a-f-]{36}$/);
    const data = Buffer.from("hello media");
    expect(await store.put(key, data)).toEqual({ key, sizeBytes: data.length, sha256: sha256Hex(data) });
    const chunks: Buffer[] = [];
    for await (const c of await store.get(key)) chunks.push(c as Buffer);
    expect(Buffer.concat(chunks)).toEqual(data);
    expect(await store.exists(key)).toBe(true);
    await store.delete(key);
    expect(await store.exists(key)).toBe(false);
    await expect(store.get(key)).rejects.toMatchObject({ code: "not_found" });
  });

  it("refuses keys that would leave the root and files over the limit", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "media-"));
    dirs.push(dir);
    const store = new LocalDiskMediaStore(dir);
    for (const key of ["../etc/passwd", "/abs", "a/../../b", "A/B"]) {
      await expect(store.put(key, Buffer.from("x"))).rejects.toMatchObject({ code: "bad_request" });
    }
    await expect(store.put("a/b", Buffer.alloc(10), { maxBytes: 5 })).rejects.toMatchObject({
      code: "payload_too_large",
    });
  });
});

describe("checkMedia", () => {
  const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]);
  it("accepts allowed types whose content matches", () => {
    expect(checkMedia({ messageType: "image", declaredMime: "image/jpeg", bytes: jpeg })).toEqual({
      ok: true,
      mimeType: "image/jpeg",
    });
    expect(
      checkMedia({ messageType: "audio", declaredMime: "audio/ogg; codecs=opus", bytes: Buffer.from("OggS....") }),
    ).toMatchObject({ ok: true });
  });
  it("rejects disallowed MIME types, mismatched content, executables and oversize files", () => {
    expect(checkMedia({ messageType: "image", declaredMime: "image/gif", bytes: jpeg })).toMatchObject({ ok: false });
    expect(checkMedia({ messageType: "image", declaredMime: "image/png", bytes: jpeg })).toMatchObject({ ok: false });
    expect(
      checkMedia({ messageType: "document", declaredMime: "application/pdf", bytes: Buffer.from("MZ\x90\x00") }),
    ).toMatchObject({ ok: false });
    expect(
      checkMedia({ messageType: "sticker", declaredMime: "image/webp", bytes: Buffer.alloc(600 * 1024) }),
    ).toMatchObject({ ok: false });
    expect(sniffMimeType(Buffer.from("<!DOCTYPE html>"))).toBe("text/html");
  });
});
