import { describe, expect, it } from "vitest";
import { RATE_LIMIT_ERROR_RESPONSE, SEND_MESSAGE_RESPONSE, SEND_TEXT_REQUEST } from "../fixtures/graph";
import { GraphApiError, GraphClient, type FetchFn } from "./client";
import type { SendMessageRequest } from "./schemas";

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

describe("GraphClient", () => {
  it("sends with the bearer token and parses the success body", async () => {
    const calls: { url: string; init: RequestInit | undefined }[] = [];
    const fetch: FetchFn = async (url, init) => {
      calls.push({ url: url instanceof Request ? url.url : url.toString(), init });
      return json(200, SEND_MESSAGE_RESPONSE);
    };
    const client = new GraphClient({ baseUrl: "https://graph.example/v25.0/", accessToken: "tok", fetch });
    const result = await client.sendMessage("123", SEND_TEXT_REQUEST as SendMessageRequest);
    expect(result.messages[0]?.id).toMatch(/^wamid\./);
    expect(calls[0]?.url).toBe("https://graph.example/v25.0/123/messages");
    expect(new Headers(calls[0]?.init?.headers).get("authorization")).toBe("Bearer tok");
  });

  it("throws GraphApiError with Meta's code, details and retryability", async () => {
    const client = new GraphClient({
      baseUrl: "http://x/v25.0",
      accessToken: "t",
      fetch: async () => json(429, RATE_LIMIT_ERROR_RESPONSE),
    });
    const error = await client.sendMessage("1", SEND_TEXT_REQUEST as SendMessageRequest).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphApiError);
    expect(error).toMatchObject({
      httpStatus: 429,
      code: 130429,
      details: "<DETAILS>",
      fbtraceId: "Az8or2yhqkZfEZ-_4Qn_Bam",
      isRetryable: true,
    });
  });

  it("treats timeouts and network errors as retryable", async () => {
    const slow: FetchFn = (_url, init) =>
      new Promise((_resolve, reject) =>
        init?.signal?.addEventListener("abort", () => reject(init.signal!.reason as Error)),
      );
    const client = new GraphClient({ baseUrl: "http://x/v25.0", accessToken: "t", fetch: slow, timeoutMs: 20 });
    await expect(client.getSettings("1")).rejects.toMatchObject({
      isRetryable: true,
      isTimeout: true,
      code: undefined,
    });
    const down = new GraphClient({
      baseUrl: "http://x/v25.0",
      accessToken: "t",
      fetch: async () => Promise.reject(new TypeError("fetch failed")),
    });
    await expect(down.getSettings("1")).rejects.toMatchObject({ isRetryable: true, isTimeout: false });
  });

  it("retries 5xx without a Graph body but not unknown 4xx", async () => {
    const c = (status: number) =>
      new GraphClient({
        baseUrl: "http://x/v25.0",
        accessToken: "t",
        fetch: async () => new Response("oops", { status }),
      });
    await expect(c(502).getSettings("1")).rejects.toMatchObject({ isRetryable: true, httpStatus: 502 });
    await expect(c(404).getSettings("1")).rejects.toMatchObject({ isRetryable: false, httpStatus: 404 });
  });
});
