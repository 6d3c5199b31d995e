import { Readable } from "node:stream";
import {
  DeleteObjectCommand,
  HeadObjectCommand,
  GetObjectCommand,
  NoSuchKey,
  NotFound,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import { AppError } from "../errors/app-error";
import { assertMediaKey, sha256Hex, type MediaStore, type StoredMedia } from "./media-store";

export interface S3MediaStoreOptions {
  /** e.g. https://s3.eu-central-1.amazonaws.com or a MinIO / German provider endpoint. */
  endpoint: string;
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Path-style URLs (`endpoint/bucket/key`), which MinIO and most non-AWS providers need. */
  forcePathStyle: boolean;
  /** Optional key prefix, so one bucket can hold several installations. */
  prefix?: string;
}

/**
 * Media on an S3-compatible object store, so api and workers on different machines share one media store.
 * Same contract as the local disk store: opaque product-made keys, sha256 of what was stored, not_found when missing.
 */
export class S3MediaStore implements MediaStore {
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly prefix: string;

  constructor(options: S3MediaStoreOptions) {
    this.client = new S3Client({
      endpoint: options.endpoint,
      region: options.region,
      forcePathStyle: options.forcePathStyle,
      credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey },
    });
    this.bucket = options.bucket;
    this.prefix = options.prefix ? `${options.prefix.replace(/\/+$/, "")}/` : "";
  }

  private objectKey(key: string): string {
    assertMediaKey(key);
    return `${this.prefix}${key}`;
  }

  async put(key: string, data: Buffer | Uint8Array, options: { maxBytes?: number } = {}): Promise<StoredMedia> {
    if (options.maxBytes !== undefined && data.byteLength > options.maxBytes) {
      throw new AppError("payload_too_large", `Media is ${data.byteLength} bytes, more than ${options.maxBytes}.`);
    }
    const sha256 = sha256Hex(data);
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: this.objectKey(key),
        Body: data,
        ContentLength: data.byteLength,
        // Served by the api with its own checked type; the object store never serves it to browsers directly.
        ContentType: "application/octet-stream",
        Metadata: { sha256 },
      }),
    );
    return { key, sizeBytes: data.byteLength, sha256 };
  }

  async get(key: string): Promise<Readable> {
    try {
      const result = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }));
      if (!(result.Body instanceof Readable)) throw new AppError("not_found", "Media not found.");
      return result.Body;
    } catch (error) {
      if (isMissing(error)) throw new AppError("not_found", "Media not found.");
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    // S3 answers a delete of a missing key with success, like rm --force.
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }));
  }

  async exists(key: string): Promise<boolean> {
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }));
      return true;
    } catch (error) {
      if (isMissing(error)) return false;
      throw error;
    }
  }

  close(): void {
    this.client.destroy();
  }
}

function isMissing(error: unknown): boolean {
  return (
    error instanceof NoSuchKey ||
    error instanceof NotFound ||
    (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 404)
  );
}
