import type { AttachmentDto } from "@inbox/contracts";
import { ApiError, getCsrfToken } from "../../lib/http";

const MB = 1024 * 1024;

/** WhatsApp's limits by the browser's guess of the type: a quick hint before uploading; the server decides. */
export function precheckAttachment(file: File): { code: "payload_too_large"; maxBytes: number } | null {
  const type = file.type.toLowerCase();
  const max =
    type === "image/webp"
      ? 500 * 1024
      : type.startsWith("image/")
        ? 5 * MB
        : type.startsWith("audio/") || type.startsWith("video/")
          ? 16 * MB
          : 100 * MB;
  return file.size > max ? { code: "payload_too_large", maxBytes: max } : null;
}

/**
 * `POST /api/conversations/:id/attachments` as multipart, with upload progress (XMLHttpRequest: fetch has no
 * upload progress). Rejects with ApiError carrying the server's code (payload_too_large, unsupported_media_type …).
 */
export function uploadAttachment(
  conversationId: string,
  file: File,
  onProgress: (fraction: number) => void,
  signal?: AbortSignal,
): Promise<AttachmentDto> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", `/api/conversations/${conversationId}/attachments`);
    xhr.withCredentials = true;
    const csrf = getCsrfToken();
    if (csrf) xhr.setRequestHeader("x-csrf-token", csrf);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      let body: { code?: string; message?: string; maxBytes?: number } = {};
      try {
        body = JSON.parse(xhr.responseText) as typeof body;
      } catch {
        /* not JSON */
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body as unknown as AttachmentDto);
      else
        reject(
          Object.assign(
            new ApiError(
              xhr.status,
              body.code ?? (xhr.status === 413 ? "payload_too_large" : "error"),
              body.message ?? xhr.statusText,
            ),
            { maxBytes: body.maxBytes },
          ),
        );
    };
    xhr.onerror = () => reject(new ApiError(0, "network", "Network error"));
    xhr.onabort = () => reject(new ApiError(0, "aborted", "Upload cancelled"));
    signal?.addEventListener("abort", () => xhr.abort());
    const form = new FormData();
    form.append("file", file, file.name);
    xhr.send(form);
  });
}

export function formatBytes(bytes: number, locale: string): string {
  const nf = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
  if (bytes >= MB) return `${nf.format(bytes / MB)} MB`;
  if (bytes >= 1024) return `${nf.format(bytes / 1024)} KB`;
  return `${nf.format(bytes)} B`;
}
