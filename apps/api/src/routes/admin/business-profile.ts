import fastifyMultipart from "@fastify/multipart";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import {
  ApiErrorSchema,
  BUSINESS_PROFILE_LIMITS,
  BusinessProfileDtoSchema,
  UpdateBusinessProfileBodySchema,
} from "@inbox/contracts";
import { AppError, getBusinessProfile, setBusinessProfilePhoto, updateBusinessProfile } from "@inbox/core";
import type { ApiDeps } from "../../types";
import { actorOf, guards, ID_PARAMS } from "../route-options";

/** A WhatsApp channel's business profile at Meta (about, description, address, e-mail, websites, category, photo). */
export function adminBusinessProfileRoutes(deps: ApiDeps): FastifyPluginAsyncZod {
  return async (app) => {
    const { admin } = guards(app);
    const tags = ["admin"];
    const profileDeps = { db: deps.db, graph: deps.graph };
    const maxBytes = BUSINESS_PROFILE_LIMITS.photoBytes;
    // Scoped to this plugin: only the photo route takes multipart.
    await app.register(fastifyMultipart, { limits: { files: 1, fields: 0, fileSize: maxBytes, parts: 2 } });

    app.get(
      "/api/admin/channels/:id/business-profile",
      admin({
        tags,
        summary: "The WhatsApp business profile as Meta has it now",
        params: ID_PARAMS,
        response: { 200: BusinessProfileDtoSchema, 503: ApiErrorSchema },
      }),
      async (request) => getBusinessProfile(profileDeps, request.params.id),
    );

    app.put(
      "/api/admin/channels/:id/business-profile",
      admin({
        tags,
        summary: "Change the business profile (Meta's limits: about ≤ 139, description ≤ 512, 2 websites, …)",
        params: ID_PARAMS,
        body: UpdateBusinessProfileBodySchema,
        response: { 200: BusinessProfileDtoSchema, 503: ApiErrorSchema },
      }),
      async (request) => updateBusinessProfile(profileDeps, actorOf(request), request.params.id, request.body),
    );

    app.post(
      "/api/admin/channels/:id/business-profile/photo",
      {
        ...admin({
          tags,
          summary: "A new profile photo (multipart field `file`; JPEG or PNG, at most 5 MB)",
          params: ID_PARAMS,
          response: { 200: BusinessProfileDtoSchema, 413: ApiErrorSchema, 415: ApiErrorSchema, 503: ApiErrorSchema },
        }),
        bodyLimit: maxBytes + 1024 * 1024,
      },
      async (request) => {
        if (!request.isMultipart())
          throw new AppError("unsupported_media_type", "Send the photo as multipart/form-data (field `file`).");
        const file = await request.file();
        if (!file) throw new AppError("bad_request", "No file in the request.");
        let bytes: Buffer;
        try {
          bytes = await file.toBuffer();
        } catch (error) {
          if (error instanceof app.multipartErrors.RequestFileTooLargeError)
            throw new AppError("payload_too_large", "The profile photo may be at most 5 MB.");
          throw error;
        }
        return setBusinessProfilePhoto(profileDeps, actorOf(request), request.params.id, {
          bytes,
          filename: file.filename || "profile",
        });
      },
    );
  };
}
