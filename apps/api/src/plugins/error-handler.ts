import type { FastifyError } from "fastify";
import type { App } from "../app";
import { hasZodFastifySchemaValidationErrors } from "fastify-type-provider-zod";
import { isAppError } from "@inbox/core";

/** One place maps errors to HTTP: domain codes keep their message, validation says what is wrong, 5xx hide details. */
export function registerErrorHandler(app: App): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (isAppError(error)) {
      if (error.status >= 500) request.log.error({ err: error }, "request failed");
      return reply.status(error.status).send({ code: error.code, message: error.message, ...(error.details ?? {}) });
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      return reply.status(400).send({
        code: "validation_failed",
        message: error.validation.map((v) => `${v.instancePath || "body"} ${v.message ?? "is invalid"}`).join("; "),
        // Machine-readable, so the console can say in the user's language what is wrong (e.g. text too_big, 4096).
        issues: error.validation.map((v) => {
          const params = v.params as { maximum?: unknown; minimum?: unknown };
          return {
            path: v.instancePath,
            code: v.keyword,
            ...(typeof params.maximum === "number" ? { maximum: params.maximum } : {}),
            ...(typeof params.minimum === "number" ? { minimum: params.minimum } : {}),
          };
        }),
      });
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
