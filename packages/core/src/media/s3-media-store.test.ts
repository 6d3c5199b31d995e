/**
 * The S3 media store against a real S3-compatible server on loopback (s3rver: S3's REST API over HTTP, objects on
 * disk), through the same factory the api and worker use.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import S3rver from "s3rver";
import { createMediaStore } from "./create-media-store";
import { newMediaKey, sha256Hex, type MediaStore } from "./media-store";

let server: S3rver;
let dir: string;
let endpoint: string;

const s3Env = (bucket: string, extra: Record<string, string> = {}) => ({
  MEDIA_STORE: "s3" as const,
  MEDIA_DIR: "unused",
  S3_ENDPOINT: endpoint,
  S3_REGION: "eu-central-1",
  S3_BUCKET: bucket,
  S3_ACCESS_KEY_ID: "S3RVER",
  S3_SECRET_ACCESS_KEY: "S3RVER",
  S3_FORCE_PATH_STYLE: true,
  ...extra,
});

async function readAll(store: MediaStore, key: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await store.get(key)) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "s3rver-"));
  server = new S3rver({
    port: 0,
    address: "127.0.0.1",
    silent: true,
    directory: dir,
    configureBuckets: [{ name: "media", configs: [] }],
  });
  const address = await server.run();
  endpoint = `http://127.0.0.1:${address.port}`;
});

afterAll(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

describe("S3MediaStore", () => {
  it("puts, gets, checks and deletes by key, with sha256 and size, like the local store", async () => {
    const store = createMediaStore(s3Env("media"));
    const key = newMediaKey();
    const data = Buffer.from([0xff, 0xd8, 0xff, 0xe0, ...Buffer.from("jpeg bytes")]);
    expect(await store.put(key, data)).toEqual({ key, sizeBytes: data.length, sha256: sha256Hex(data) });
    expect(await store.exists(key)).toBe(true);
    expect(await readAll(store, key)).toEqual(data);
    await store.delete(key);
    expect(await store.exists(key)).toBe(false);
    await expect(store.get(key)).rejects.toMatchObject({ code: "not_found" });
    await expect(store.delete(key)).resolves.toBeUndefined();
  });

  it("shares files between two stores (api and worker on different machines) and keeps prefixes apart", async () => {
    const worker = createMediaStore(s3Env("media", { S3_PREFIX: "inbox-a" }));
    const api = createMediaStore(s3Env("media", { S3_PREFIX: "inbox-a" }));
    const other = createMediaStore(s3Env("media", { S3_PREFIX: "inbox-b" }));
    const key = newMediaKey();
    await worker.put(key, Buffer.from("shared"));
    expect((await readAll(api, key)).toString()).toBe("shared");
    expect(await other.exists(key)).toBe(false);
  });

  it("refuses keys the product did not make, oversize files, and reports a missing bucket as an error", async () => {
    const store = createMediaStore(s3Env("media"));
    await expect(store.put("../etc/passwd", Buffer.from("x"))).rejects.toMatchObject({ code: "bad_request" });
    await expect(store.get("a//b")).rejects.toMatchObject({ code: "bad_request" });
    await expect(store.put(newMediaKey(), Buffer.alloc(11), { maxBytes: 10 })).rejects.toMatchObject({
      code: "payload_too_large",
    });
    const missingBucket = createMediaStore(s3Env("no-such-bucket"));
    await expect(missingBucket.put(newMediaKey(), Buffer.from("x"))).rejects.toThrow(/bucket/i);
  });
});
