import { useEffect, useRef, useState } from "react";
import type { AttachmentDto } from "@inbox/contracts";
import { ApiError } from "../../../lib/http";
import { precheckAttachment, uploadAttachment } from "../upload-attachment";

export interface Attachment {
  file: File;
  progress: number;
  asset: AttachmentDto | null;
  abort: AbortController;
}

/**
 * One attachment of a draft: checked against WhatsApp's size limits, uploaded with progress, cancellable. A new
 * file replaces (and cancels) the previous one. Errors go to `onError` as ApiError (payload_too_large, network …).
 */
export function useAttachmentUpload(conversationId: string, onError: (error: ApiError) => void) {
  const [attachment, setAttachment] = useState<Attachment | null>(null);
  const onErrorRef = useRef(onError);
  useEffect(() => {
    onErrorRef.current = onError;
  });

  const attach = (file: File | undefined): boolean => {
    if (!file) return false;
    attachment?.abort.abort();
    const tooLarge = precheckAttachment(file);
    if (tooLarge) {
      setAttachment(null);
      onErrorRef.current(
        Object.assign(new ApiError(413, "payload_too_large", "too large"), { maxBytes: tooLarge.maxBytes }),
      );
      return false;
    }
    const current: Attachment = { file, progress: 0, asset: null, abort: new AbortController() };
    setAttachment(current);
    const isCurrent = (a: Attachment | null) => a !== null && a.file === file;
    uploadAttachment(
      conversationId,
      file,
      (progress) => setAttachment((a) => (isCurrent(a) ? { ...a!, progress } : a)),
      current.abort.signal,
    )
      .then((asset) => setAttachment((a) => (isCurrent(a) ? { ...a!, progress: 1, asset } : a)))
      .catch((e: unknown) => {
        if (e instanceof ApiError && e.code === "aborted") return;
        setAttachment((a) => (isCurrent(a) ? null : a));
        onErrorRef.current(e instanceof ApiError ? e : new ApiError(0, "network", "upload failed"));
      });
    return true;
  };

  const remove = () => {
    attachment?.abort.abort();
    setAttachment(null);
  };

  return { attachment, attach, remove, clear: () => setAttachment(null) };
}
