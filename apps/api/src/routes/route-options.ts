import type { FastifyRequest, onRequestAsyncHookHandler } from "fastify";
import { z } from "zod";
import { ApiErrorSchema } from "@inbox/contracts";
import type { Actor } from "@inbox/core";
import { requireRole, userOf } from "../plugins/auth";
import type { App } from "../types";

/** The refusals any route behind the session may answer with (OpenAPI), each `{code, message}`. */
const ERROR_RESPONSES = {
  400: ApiErrorSchema,
  401: ApiErrorSchema,
  403: ApiErrorSchema,
  404: ApiErrorSchema,
  409: ApiErrorSchema,
};

/** `:id` in a path. A value that is no id is answered 404 by the use case, like an unknown id. */
export const ID_PARAMS = z.object({ id: z.string() });

/** `{ items: [...] }`, the shape of every list that is not paged. */
export const itemsOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item) });

/** The signed-in user as the actor of an audited change. */
export const actorOf = (request: FastifyRequest): Actor => ({
  type: "user",
  userId: userOf(request).id,
  ip: request.ip,
});

interface RouteSchema {
  tags: string[];
  summary: string;
  response: Record<number, z.ZodType>;
}

// onRequest, not preHandler: the session (and role) is checked before a body is read or parsed.
const guarded = <S extends RouteSchema>(
  onRequest: onRequestAsyncHookHandler | onRequestAsyncHookHandler[],
  schema: S,
) => ({
  onRequest,
  schema: { ...schema, security: [{ session: [] }], response: { ...ERROR_RESPONSES, ...schema.response } },
});

/**
 * Route options for the routes behind the session: `signedIn` for every user, `admin` for admins only. Each adds
 * the authentication (and role) check, the session security scheme and the usual refusals to the route's schema.
 */
export function guards(app: App) {
  const admin = [app.authenticate, requireRole("admin")];
  return {
    signedIn: <S extends RouteSchema>(schema: S) => guarded(app.authenticate, schema),
    admin: <S extends RouteSchema>(schema: S) => guarded(admin, schema),
  };
}
