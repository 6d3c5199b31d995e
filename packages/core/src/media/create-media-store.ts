import { LocalDiskMediaStore, type MediaStore } from "./media-store";
import { S3MediaStore } from "./s3-media-store";

export interface MediaStoreEnv {
  MEDIA_STORE: "local" | "s3";
  MEDIA_DIR: string;
  S3_ENDPOINT?: string | undefined;
  S3_REGION: string;
  S3_BUCKET?: string | undefined;
  S3_ACCESS_KEY_ID?: string | undefined;
  S3_SECRET_ACCESS_KEY?: string | undefined;
  S3_FORCE_PATH_STYLE: boolean;
  S3_PREFIX?: string | undefined;
}

/** The media store the configuration names: a local folder (one machine) or an S3-compatible bucket (several). */
export function createMediaStore(env: MediaStoreEnv): MediaStore {
  if (env.MEDIA_STORE === "local") return new LocalDiskMediaStore(env.MEDIA_DIR);
  if (!env.S3_ENDPOINT || !env.S3_BUCKET || !env.S3_ACCESS_KEY_ID || !env.S3_SECRET_ACCESS_KEY) {
    // The config schema refuses this combination at start; this guards callers that build env by hand.
    throw new Error("MEDIA_STORE=s3 needs S3_ENDPOINT, S3_BUCKET, S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY.");
  }
  return new S3MediaStore({
    endpoint: env.S3_ENDPOINT,
    region: env.S3_REGION,
    bucket: env.S3_BUCKET,
    accessKeyId: env.S3_ACCESS_KEY_ID,
    secretAccessKey: env.S3_SECRET_ACCESS_KEY,
    forcePathStyle: env.S3_FORCE_PATH_STYLE,
    prefix: env.S3_PREFIX,
  });
}
