import fastifyMultipart from "@fastify/multipart";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { ApiErrorSchema, AttachmentDtoSchema } from "@inbox/contracts";
import { AppError, maxAttachmentBytes, storeOutboundAttachment } from "@inbox/core";
import type { ApiDeps } from "../types";
import { userOf } from "../plugins/auth";

const MB = 1024 * 1024;

/**
 * `POST /api/conversations/:id/attachments` (multipart, one `file` field): the agent's file goes to the media
 * store; the answer is the MediaAsset id a media message then refers to. Thin: read → use case → DTO.
 */
export function attachmentRoutes(deps: ApiDeps): FastifyPluginAsyncZod {
  return async (app) => {
    const maxDocumentBytes = deps.env.MEDIA_MAX_DOCUMENT_MB * MB;
    const maxBytes = maxAttachmentBytes(maxDocumentBytes);
    // Scoped to this plugin: no other route accepts multipart bodies.
    await app.register(fastifyMultipart, { limits: { files: 1, fields: 0, fileSize: maxBytes, parts: 2 } });

    app.post(
      "/api/conversations/:id/attachments",
      {
        onRequest: app.authenticate,
        bodyLimit: maxBytes + MB,
        schema: {
          tags: ["messages"],
          summary: "Upload an attachment (multipart field `file`); send it with a media message using the returned id",
          security: [{ session: [] }],
          consumes: ["multipart/form-data"],
          params: z.object({ id: z.string() }),
          response: {
            201: AttachmentDtoSchema,
            400: ApiErrorSchema,
            401: ApiErrorSchema,
            403: ApiErrorSchema,
            404: ApiErrorSchema,
            413: ApiErrorSchema,
            415: ApiErrorSchema,
          },
        },
      },
      async (request, reply) => {
        const user = userOf(request);
        if (!request.isMultipart())
          throw new AppError("unsupported_media_type", "Send the file as multipart/form-data (field `file`).");
        const readFile = async () => {
          const file = await request.file();
          if (!file) throw new AppError("bad_request", "No file in the request.");
          try {
            return { bytes: await file.toBuffer(), filename: file.filename };
          } catch (error) {
            if (error instanceof app.multipartErrors.RequestFileTooLargeError) {
              throw new AppError(
                "payload_too_large",
                `The file is larger than ${Math.round(maxBytes / MB)} MB, the most any attachment may have.`,
                { reason: "size", maxBytes },
              );
            }
            throw error;
          }
        };
        // Access is checked before the body is read (storeOutboundAttachment calls readFile after the check).
        const stored = await storeOutboundAttachment(
          { db: deps.db, store: deps.media, maxDocumentBytes },
          { user, conversationId: request.params.id, readFile },
        );
        request.log.info(
          {
            conversationId: request.params.id,
            mediaAssetId: stored.id,
            type: stored.type,
            sizeBytes: stored.sizeBytes,
          },
          "attachment stored",
        );
        return reply.status(201).send(stored);
      },
    );
  };
}
