import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GraphClient, type SendMessageRequest } from "@inbox/whatsapp";
import { RATE_LIMIT_ERROR_RESPONSE, SEND_MESSAGE_RESPONSE, SEND_TEXT_REQUEST } from "@inbox/whatsapp/fixtures";
import { createGraphTransport } from "./graph";

// The worker's undici transport against a real HTTP server: same results and errors as the fetch transport.
let server: http.Server;
let base: string;
const seen: { url?: string; auth?: string; type?: string; body: string }[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      seen.push({ url: req.url, auth: req.headers.authorization, type: req.headers["content-type"], body });
      if (req.url?.startsWith("/v25.0/hang")) return; // never answers
      const [status, answer] = req.url?.startsWith("/v25.0/limited")
        ? [400, RATE_LIMIT_ERROR_RESPONSE]
        : [200, SEND_MESSAGE_RESPONSE];
      res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(answer));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v25.0`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe("createGraphTransport", () => {
  const client = (timeoutMs = 2_000, baseUrl = base) =>
    new GraphClient({ baseUrl, accessToken: "tok", transport: createGraphTransport(), timeoutMs });
  const send = (c: GraphClient, number: string) => c.sendMessage(number, SEND_TEXT_REQUEST as SendMessageRequest);

  it("posts JSON with the bearer token and parses Meta's answer", async () => {
    const result = await send(client(), "123");
    expect(result.messages[0]?.id).toBe(SEND_MESSAGE_RESPONSE.messages[0]!.id);
    expect(seen.at(-1)).toMatchObject({ url: "/v25.0/123/messages", auth: "Bearer tok", type: "application/json" });
    expect(JSON.parse(seen.at(-1)!.body)).toEqual(SEND_TEXT_REQUEST);
  });

  it("maps Meta's error envelope, timeouts and refused connections like the fetch transport", async () => {
    await expect(send(client(), "limited")).rejects.toMatchObject({ httpStatus: 400, code: 130429, isRetryable: true });
    await expect(send(client(150), "hang")).rejects.toMatchObject({
      isTimeout: true,
      isRetryable: true,
      code: undefined,
    });
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const error = await send(client(2_000, `http://127.0.0.1:${port}/v25.0`), "1").catch((e: unknown) => e);
    expect(error).toMatchObject({ isTimeout: false, isRetryable: true, httpStatus: undefined });
    expect((error as { cause?: { code?: string } }).cause?.code).toBe("ECONNREFUSED");
  });
});
