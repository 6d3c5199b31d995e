import type { Db } from "@inbox/db";
import { AppError } from "../errors/app-error";
import { assertConversationAccess, type AccessUser } from "../conversations/can-access-conversation";
import { isUuid } from "../shared/ids";
import { classifyAttachment, type AttachmentType } from "./classify-attachment";
import { newMediaKey, type MediaStore } from "./media-store";

export interface StoreOutboundAttachmentDeps {
  db: Db;
  store: MediaStore;
  /** Configured cap for documents (MEDIA_MAX_DOCUMENT_MB), at most Meta's 100 MB. */
  maxDocumentBytes: number;
}

export interface StoredAttachment {
  id: string;
  type: AttachmentType;
  mimeType: string;
  filename: string | null;
  sizeBytes: number;
  sha256: string;
}

/** A file name safe to show and to hand to Meta: no path, no control characters, at most 200 characters. */
export function cleanFilename(name: string | undefined): string | null {
  const base = (name ?? "").split(/[\\/]/).pop() ?? "";
  const clean = base
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f]/g, "")
    .trim()
    .slice(0, 200);
  return clean || null;
}

/**
 * An agent's attachment for a conversation: checks access FIRST and only then reads the upload (`readFile`: no
 * stranger's 100 MB is read into memory), decides the WhatsApp media type from the content (magic bytes, never the
 * client's MIME type) and its limit, stores the bytes (sha256, size) and records a MediaAsset without a message and
 * without a provider id — the worker uploads it to Meta when a message uses it.
 */
export async function storeOutboundAttachment(
  deps: StoreOutboundAttachmentDeps,
  input: {
    user: AccessUser;
    conversationId: string;
    readFile: () => Promise<{ bytes: Buffer; filename?: string | undefined }>;
  },
): Promise<StoredAttachment> {
  if (!isUuid(input.conversationId)) throw new AppError("not_found", "Conversation not found.");
  await assertConversationAccess(deps.db, input.user, input.conversationId);
  const conversation = await deps.db.conversation.findUniqueOrThrow({
    where: { id: input.conversationId },
    select: { channelId: true },
  });
  const file = await input.readFile();
  const filename = cleanFilename(file.filename);
  const { type, mimeType } = classifyAttachment({
    bytes: file.bytes,
    filename: filename ?? undefined,
    maxDocumentBytes: deps.maxDocumentBytes,
  });
  const stored = await deps.store.put(newMediaKey(), file.bytes);
  try {
    const asset = await deps.db.mediaAsset.create({
      data: {
        channelId: conversation.channelId,
        mimeType,
        filename,
        sizeBytes: stored.sizeBytes,
        sha256: stored.sha256,
        storageKey: stored.key,
        status: "stored",
      },
    });
    return { id: asset.id, type, mimeType, filename, sizeBytes: stored.sizeBytes, sha256: stored.sha256 };
  } catch (error) {
    await deps.store.delete(stored.key);
    throw error;
  }
}
