import { LogController, type FastifyReply, type FastifyRequest } from "fastify";
import { isLevelEnabled, serializeRequest } from "@inbox/logger";

/**
 * Request logs, compact and out of the way: Fastify's default writes two info lines per request ("incoming request",
 * "request completed"), which at the default level buries everything else — the console polls, so the first admin's
 * credentials printed by `pnpm start` scrolled away within seconds. Here a request is one line (method, path without
 * query string, status, time) at `debug`; a request that errored is logged at `error` as before. Unknown routes go
 * to the app's own not-found handler and are one such line too.
 */
export class CompactRequestLog extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (!error && !isLevelEnabled(reply.log, "debug")) return;
    const ms = Math.round(reply.elapsedTime);
    const { method, url } = serializeRequest(request) as { method: string; url: string };
    if (error) {
      reply.log.error({ err: error, statusCode: reply.statusCode, ms }, `${method} ${url} errored`);
      return;
    }
    reply.log.debug({ statusCode: reply.statusCode, ms }, `${method} ${url} ${reply.statusCode} ${ms}ms`);
  }
}
