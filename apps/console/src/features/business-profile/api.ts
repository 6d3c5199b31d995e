import type { BusinessProfileDto, UpdateBusinessProfileBody } from "@inbox/contracts";
import { api, ApiError, getCsrfToken } from "../../lib/http";

const base = (channelId: string) => `/api/admin/channels/${channelId}/business-profile`;

export const businessProfileApi = {
  get: (channelId: string) => api<BusinessProfileDto>(base(channelId)),
  update: (channelId: string, body: UpdateBusinessProfileBody) =>
    api<BusinessProfileDto>(base(channelId), { method: "PUT", body }),
  /** The photo as multipart (field `file`); the server checks it is a JPEG or PNG of at most 5 MB. */
  async uploadPhoto(channelId: string, file: File): Promise<BusinessProfileDto> {
    const form = new FormData();
    form.set("file", file, file.name);
    const csrf = getCsrfToken();
    const res = await fetch(`${base(channelId)}/photo`, {
      method: "POST",
      body: form,
      credentials: "same-origin",
      headers: csrf ? { "x-csrf-token": csrf } : {},
    });
    const json = (await res.json().catch(() => ({}))) as { code?: string; message?: string };
    if (!res.ok) throw new ApiError(res.status, json.code ?? "error", json.message ?? res.statusText);
    return json as BusinessProfileDto;
  },
};
