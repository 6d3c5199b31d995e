import type { FastifyRequest } from "fastify";
import { ApiErrorSchema } from "@inbox/contracts";
import type { Actor } from "@inbox/core";
import { userOf } from "../plugins/auth";

/** What the privacy route files (retention, audit log, data-subject requests) share. */
export const privacyErrors = {
  400: ApiErrorSchema,
  401: ApiErrorSchema,
  403: ApiErrorSchema,
  404: ApiErrorSchema,
  409: ApiErrorSchema,
};
export const privacySecurity = [{ session: [] }];
export const privacyTags = ["privacy"];
export const actorOfRequest = (request: FastifyRequest): Actor => ({
  type: "user",
  userId: userOf(request).id,
  ip: request.ip,
});
