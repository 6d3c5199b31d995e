/**
 * A small Graph API client for the Cloud API endpoints the product uses, over a pluggable transport (Node's
 * global fetch by default; see ./transport). Every failure is a GraphApiError: Meta's error envelope → its code/details; timeouts and
 * network errors → retryable with code undefined.
 */
import type { z } from "zod";
import { isRetryableError } from "./errors";
import {
  GraphErrorResponseSchema,
  MarkReadRequestSchema,
  MediaUploadResponseSchema,
  MediaUrlResponseSchema,
  MessageTemplatesResponseSchema,
  PhoneNumberSettingsSchema,
  SendMessageResponseSchema,
  SuccessResponseSchema,
  type MediaUploadResponse,
  type MediaUrlResponse,
  type MessageTemplatesResponse,
  type PhoneNumberSettings,
  type RegisterRequest,
  type SendMessageRequest,
  type SendMessageResponse,
  type SuccessResponse,
  type UpdateSettingsRequest,
} from "./schemas";
import {
  BUSINESS_PROFILE_FIELDS,
  BusinessProfileResponseSchema,
  UploadedFileResponseSchema,
  UploadSessionResponseSchema,
  type BusinessProfile,
  type UpdateBusinessProfileRequest,
} from "./business-profile";
import { fetchTransport, isTransportTimeout, type FetchFn, type GraphResponse, type GraphTransport } from "./transport";

export type { FetchFn } from "./transport";

export interface GraphClientOptions {
  /** Graph API base including the version, e.g. https://graph.facebook.com/v25.0 */
  baseUrl: string;
  accessToken: string;
  /** How requests reach Graph (default: fetchTransport over `fetch`). */
  transport?: GraphTransport;
  /** Shorthand for `transport: fetchTransport(fetch)`. */
  fetch?: FetchFn;
  /** per request; default 15 s */
  timeoutMs?: number;
}

export class GraphApiError extends Error {
  readonly httpStatus: number | undefined;
  /** Meta's error code; undefined for timeouts, network errors and non-Graph answers */
  readonly code: number | undefined;
  readonly details: string | undefined;
  readonly fbtraceId: string | undefined;
  readonly isRetryable: boolean;
  readonly isTimeout: boolean;

  constructor(init: {
    message: string;
    httpStatus?: number;
    code?: number;
    details?: string;
    fbtraceId?: string;
    isRetryable?: boolean;
    isTimeout?: boolean;
    cause?: unknown;
  }) {
    super(init.message, { cause: init.cause });
    this.name = "GraphApiError";
    this.httpStatus = init.httpStatus;
    this.code = init.code;
    this.details = init.details;
    this.fbtraceId = init.fbtraceId;
    this.isTimeout = init.isTimeout ?? false;
    this.isRetryable = init.isRetryable ?? isRetryableError(init.code, init.httpStatus);
  }
}

export function isGraphApiError(error: unknown): error is GraphApiError {
  return error instanceof GraphApiError;
}

interface RequestOptions {
  method?: "GET" | "POST" | "DELETE";
  json?: unknown;
  form?: FormData;
  query?: Record<string, string | undefined>;
}

export class GraphClient {
  private readonly baseUrl: string;
  private readonly accessToken: string;
  private readonly transport: GraphTransport;
  private readonly timeoutMs: number;

  constructor(options: GraphClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, "");
    this.accessToken = options.accessToken;
    this.transport = options.transport ?? fetchTransport(options.fetch);
    this.timeoutMs = options.timeoutMs ?? 15_000;
  }

  /** `POST /{phone-number-id}/messages` — "accepted", not delivered; delivery comes as status webhooks. */
  async sendMessage(phoneNumberId: string, body: SendMessageRequest): Promise<SendMessageResponse> {
    return this.request(`/${phoneNumberId}/messages`, SendMessageResponseSchema, { method: "POST", json: body });
  }

  /** Marks an inbound message (and the ones before it) as read; optionally shows a typing indicator. */
  async markRead(
    phoneNumberId: string,
    messageId: string,
    options: { typing?: boolean } = {},
  ): Promise<SuccessResponse> {
    const body = MarkReadRequestSchema.parse({
      messaging_product: "whatsapp",
      status: "read",
      message_id: messageId,
      ...(options.typing ? { typing_indicator: { type: "text" } } : {}),
    });
    return this.request(`/${phoneNumberId}/messages`, SuccessResponseSchema, { method: "POST", json: body });
  }

  /** `GET /{media-id}` → a URL valid for 5 minutes. */
  async getMediaUrl(mediaId: string, phoneNumberId?: string): Promise<MediaUrlResponse> {
    return this.request(`/${mediaId}`, MediaUrlResponseSchema, { query: { phone_number_id: phoneNumberId } });
  }

  /** Downloads media bytes from a URL returned by getMediaUrl (needs the bearer token). */
  async downloadMedia(url: string): Promise<{ bytes: Buffer; mimeType: string | undefined }> {
    const response = await this.send({ method: "GET", url });
    if (!isOk(response)) throw await this.toError(response);
    return { bytes: await response.bytes(), mimeType: response.header("content-type") };
  }

  /** `POST /{phone-number-id}/media` (multipart) → `{id}`. */
  async uploadMedia(
    phoneNumberId: string,
    file: { bytes: Buffer | Uint8Array; mimeType: string; filename?: string },
  ): Promise<MediaUploadResponse> {
    const form = new FormData();
    form.set("messaging_product", "whatsapp");
    form.set("type", file.mimeType);
    form.set("file", new Blob([new Uint8Array(file.bytes)], { type: file.mimeType }), file.filename ?? "file");
    return this.request(`/${phoneNumberId}/media`, MediaUploadResponseSchema, { method: "POST", form });
  }

  async deleteMedia(mediaId: string): Promise<SuccessResponse> {
    return this.request(`/${mediaId}`, SuccessResponseSchema, { method: "DELETE" });
  }

  /** `GET /{waba-id}/message_templates`; follows `paging.next` up to `maxPages`. */
  async listTemplates(
    wabaId: string,
    options: { limit?: number; maxPages?: number } = {},
  ): Promise<MessageTemplatesResponse> {
    const first = await this.request(`/${wabaId}/message_templates`, MessageTemplatesResponseSchema, {
      query: { limit: String(options.limit ?? 100) },
    });
    const data = [...first.data];
    let next = first.paging?.next;
    for (let page = 1; next && page < (options.maxPages ?? 20); page++) {
      const more = await this.request(next, MessageTemplatesResponseSchema, {});
      data.push(...more.data);
      next = more.paging?.next;
    }
    return { data };
  }

  async getSettings(phoneNumberId: string): Promise<PhoneNumberSettings> {
    return this.request(`/${phoneNumberId}/settings`, PhoneNumberSettingsSchema, {});
  }

  /** Local storage (`storage_configuration`) can only change while the number is unregistered (v21+). */
  async updateSettings(phoneNumberId: string, body: UpdateSettingsRequest): Promise<SuccessResponse> {
    return this.request(`/${phoneNumberId}/settings`, SuccessResponseSchema, { method: "POST", json: body });
  }

  async register(phoneNumberId: string, body: RegisterRequest): Promise<SuccessResponse> {
    return this.request(`/${phoneNumberId}/register`, SuccessResponseSchema, { method: "POST", json: body });
  }

  /** `GET /{phone-number-id}/whatsapp_business_profile` → the profile (Meta answers it as `data[0]`). */
  async getBusinessProfile(phoneNumberId: string): Promise<BusinessProfile> {
    const answer = await this.request(`/${phoneNumberId}/whatsapp_business_profile`, BusinessProfileResponseSchema, {
      query: { fields: BUSINESS_PROFILE_FIELDS },
    });
    return answer.data[0] ?? {};
  }

  /** `POST /{phone-number-id}/whatsapp_business_profile`; fields left out stay as they are. */
  async updateBusinessProfile(phoneNumberId: string, body: UpdateBusinessProfileRequest): Promise<SuccessResponse> {
    return this.request(`/${phoneNumberId}/whatsapp_business_profile`, SuccessResponseSchema, {
      method: "POST",
      json: body,
    });
  }

  /**
   * Resumable Upload API: an upload session for the file (`POST /app/uploads`), then the bytes in one piece
   * (`POST /{session}` with `file_offset: 0`, authorised as `OAuth <token>`) → the handle, e.g. for
   * `profile_picture_handle`.
   */
  async uploadResumable(file: { bytes: Uint8Array; mimeType: string; filename: string }): Promise<string> {
    const session = await this.request("/app/uploads", UploadSessionResponseSchema, {
      method: "POST",
      query: { file_length: String(file.bytes.length), file_type: file.mimeType, file_name: file.filename },
    });
    const response = await this.send({
      method: "POST",
      url: `${this.baseUrl}/${session.id}`,
      body: file.bytes,
      contentType: file.mimeType,
      authorization: `OAuth ${this.accessToken}`,
      headers: { file_offset: "0" },
    });
    if (!isOk(response)) throw await this.toError(response);
    const parsed = UploadedFileResponseSchema.safeParse(JSON.parse(await response.text()));
    if (!parsed.success) {
      throw new GraphApiError({ message: "Graph API upload answer has no handle", httpStatus: response.status });
    }
    return parsed.data.h;
  }

  private async request<T extends z.ZodType>(
    pathOrUrl: string,
    schema: T,
    options: RequestOptions,
  ): Promise<z.infer<T>> {
    const url = new URL(/^https?:\/\//.test(pathOrUrl) ? pathOrUrl : `${this.baseUrl}${pathOrUrl}`);
    for (const [key, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, value);
    }
    const method = options.method ?? "GET";
    const response =
      options.json !== undefined
        ? await this.send({
            method,
            url: url.toString(),
            body: JSON.stringify(options.json),
            contentType: "application/json",
          })
        : await this.send({ method, url: url.toString(), body: options.form });
    if (!isOk(response)) throw await this.toError(response);
    let json: unknown;
    try {
      json = JSON.parse(await response.text());
    } catch (cause) {
      throw new GraphApiError({
        message: "Graph API answered with invalid JSON",
        httpStatus: response.status,
        isRetryable: true,
        cause,
      });
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      throw new GraphApiError({
        message: `Graph API answer did not match the expected shape: ${parsed.error.issues.map((i) => i.path.join(".")).join(", ")}`,
        httpStatus: response.status,
        isRetryable: false,
      });
    }
    return parsed.data;
  }

  private async send(request: {
    method: "GET" | "POST" | "DELETE";
    url: string;
    body?: string | FormData | Uint8Array | undefined;
    contentType?: string;
    /** Default `Bearer <token>`; the Resumable Upload's data step wants `OAuth <token>`. */
    authorization?: string;
    headers?: Record<string, string>;
  }): Promise<GraphResponse> {
    const headers: Record<string, string> = {
      ...request.headers,
      authorization: request.authorization ?? `Bearer ${this.accessToken}`,
    };
    if (request.contentType) headers["content-type"] = request.contentType;
    try {
      return await this.transport({
        method: request.method,
        url: request.url,
        headers,
        timeoutMs: this.timeoutMs,
        ...(request.body !== undefined ? { body: request.body } : {}),
      });
    } catch (cause) {
      const isTimeout = isTransportTimeout(cause);
      throw new GraphApiError({
        message: isTimeout
          ? `Graph API request timed out after ${this.timeoutMs} ms`
          : "Graph API request failed (network)",
        isRetryable: true,
        isTimeout,
        cause,
      });
    }
  }

  private async toError(response: GraphResponse): Promise<GraphApiError> {
    const text = await response.text().catch(() => "");
    let parsed: ReturnType<typeof GraphErrorResponseSchema.safeParse> | undefined;
    try {
      parsed = GraphErrorResponseSchema.safeParse(JSON.parse(text));
    } catch {
      parsed = undefined;
    }
    if (parsed?.success) {
      const { error } = parsed.data;
      return new GraphApiError({
        message: error.message,
        httpStatus: response.status,
        code: error.code,
        details: error.error_data?.details,
        fbtraceId: error.fbtrace_id,
      });
    }
    return new GraphApiError({ message: `Graph API answered HTTP ${response.status}`, httpStatus: response.status });
  }
}

const isOk = (response: GraphResponse) => response.status >= 200 && response.status < 300;
