import type { FastifyError } from "fastify";
import type { App } from "../types";
import { hasZodFastifySchemaValidationErrors } from "fastify-type-provider-zod";
import { isAppError } from "@inbox/core";
import { isDatabaseUnavailable } from "@inbox/db";

/** Send refusals operators count (metrics): the window, consent and opt-out rules said no. */
const REFUSAL_CODES = new Set(["window_closed", "consent_missing", "opted_out"]);

/** One place maps errors to HTTP: domain codes keep their message, validation says what is wrong, 5xx hide details. */
export function registerErrorHandler(app: App, hooks: { onRefusal: (code: string) => void }): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (isAppError(error)) {
      if (REFUSAL_CODES.has(error.code)) hooks.onRefusal(error.code);
      if (error.status >= 500) request.log.error({ err: error }, "request failed");
      return reply.status(error.status).send({ code: error.code, message: error.message, ...(error.details ?? {}) });
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      return reply.status(400).send({
        code: "validation_failed",
        message: error.validation.map((v) => `${v.instancePath || "body"} ${v.message ?? "is invalid"}`).join("; "),
      });
    }
    if (isDatabaseUnavailable(error)) {
      // Postgres is down or restarting: 503 with Retry-After, so Meta (and the console) retry instead of giving up.
      request.log.warn({ err: error }, "database unavailable");
      return reply
        .status(503)
        .header("retry-after", "5")
        .send({ code: "unavailable", message: "The database is unavailable; try again shortly." });
    }
    const status = error.statusCode ?? 500;
    if (status >= 500) {
      request.log.error({ err: error }, "request failed");
      return reply.status(500).send({ code: "internal", message: "Internal server error" });
    }
    const code =
      status === 413
        ? "payload_too_large"
        : status === 415
          ? "unsupported_media_type"
          : status === 429
            ? "rate_limited"
            : "bad_request";
    return reply.status(status).send({ code, message: error.message });
  });
  app.setNotFoundHandler((request, reply) =>
    reply
      .status(404)
      .send({ code: "not_found", message: `No route for ${request.method} ${request.url.split("?")[0]}` }),
  );
}
