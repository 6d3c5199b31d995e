/**
 * Meta's side of the business profile: `GET|POST /{phone-number-id}/whatsapp_business_profile` with Meta's limits
 * and error envelope (code 100, invalid parameter), and the Resumable Upload API that makes a profile photo's handle
 * (`POST /app/uploads` → `upload:…`, `POST /upload:…` with `file_offset` and `Authorization: OAuth <token>` → `{h}`).
 */
import { randomBytes } from "node:crypto";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import {
  BUSINESS_PROFILE_FIELDS,
  PROFILE_PHOTO_MAX_BYTES,
  PROFILE_PHOTO_TYPES,
  UpdateBusinessProfileRequestSchema,
  type BusinessProfile,
} from "@inbox/whatsapp";
import type { CloudApiSimulator, SimulatorOptions } from "./simulator";

export type BusinessProfileState = Required<Omit<BusinessProfile, "messaging_product">> & {
  /** The photo's bytes, served at profile_picture_url. */
  photo?: { bytes: Buffer; mimeType: string; id: string };
};

/** What a new number's profile looks like: WhatsApp's default about text, nothing else. */
export function seedBusinessProfile(): BusinessProfileState {
  return {
    about: "Hey there! I am using WhatsApp.",
    address: "",
    description: "",
    email: "",
    profile_picture_url: "",
    websites: [],
    vertical: "UNDEFINED",
  };
}

/** Graph routes of the business profile; `guard` is the Graph guard (version, bearer token, forced failures). */
export async function businessProfileRoutes(
  app: FastifyInstance,
  {
    sim,
    options,
    guard,
  }: {
    sim: CloudApiSimulator;
    options: SimulatorOptions;
    guard: (request: FastifyRequest<{ Params: { version: string } }>, reply: FastifyReply) => Promise<unknown>;
  },
): Promise<void> {
  const baseUrl = (request: FastifyRequest) => `${request.protocol}://${request.host}`;
  const requirePhoneNumber = (id: string) => {
    if (id !== options.phoneNumberId)
      throw sim.error(
        100,
        `Unsupported request - method type: post. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
      );
  };
  type Params = { Params: { version: string; id: string } };

  app.get<Params & { Querystring: { fields?: string } }>(
    "/:version/:id/whatsapp_business_profile",
    { preHandler: guard },
    async (request) => {
      requirePhoneNumber(request.params.id);
      const fields = (request.query.fields ?? BUSINESS_PROFILE_FIELDS).split(",").map((f) => f.trim());
      const { photo: _photo, ...profile } = sim.businessProfile;
      const picked = Object.fromEntries(
        Object.entries(profile).filter(([key, value]) => fields.includes(key) && value !== "" && value !== undefined),
      );
      return { data: [{ ...picked, messaging_product: "whatsapp" }] };
    },
  );

  app.post<Params>("/:version/:id/whatsapp_business_profile", { preHandler: guard }, async (request) => {
    requirePhoneNumber(request.params.id);
    const raw = (request.body ?? {}) as Record<string, unknown>;
    if (raw.messaging_product === undefined) throw sim.error(100, "The parameter messaging_product is required.");
    const parsed = UpdateBusinessProfileRequestSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw sim.error(100, `Param ${issue.path.join(".") || "body"} is invalid: ${issue.message}`);
    }
    const { messaging_product: _product, profile_picture_handle: handle, ...fields } = parsed.data;
    let photo = sim.businessProfile.photo;
    if (handle !== undefined) {
      const upload = [...sim.uploads.entries()].find(([, u]) => u.bytes && handleOf(u) === handle)?.[1];
      if (!upload?.bytes) throw sim.error(100, "Param profile_picture_handle is not a valid file handle.");
      photo = { bytes: upload.bytes, mimeType: upload.mimeType, id: randomBytes(8).toString("hex") };
    }
    sim.businessProfile = {
      ...sim.businessProfile,
      ...Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)),
      ...(photo ? { photo, profile_picture_url: `${baseUrl(request)}/_profile-picture/${photo.id}` } : {}),
    };
    return { success: true };
  });

  // The Resumable Upload API: an app's upload session (`app` or the app id), then the bytes.
  app.post<Params & { Querystring: { file_length?: string; file_type?: string; file_name?: string } }>(
    "/:version/:id/uploads",
    { preHandler: guard },
    async (request) => {
      const length = Number(request.query.file_length);
      const type = request.query.file_type ?? "";
      if (!Number.isInteger(length) || length <= 0)
        throw sim.error(100, "Param file_length must be a positive number.");
      if (!(["image/jpeg", "image/png", "video/mp4", "application/pdf"] as string[]).includes(type))
        throw sim.error(100, `Param file_type must be one of application/pdf, image/jpeg, image/png, video/mp4.`);
      const id = `upload:${Buffer.from(`1:attachment:${randomBytes(12).toString("hex")}`).toString("base64url")}`;
      sim.uploads.set(id, { length, mimeType: type });
      return { id: `${id}?sig=${randomBytes(9).toString("base64url")}` };
    },
  );

  /** Session ids look like `upload:…`; this is a plain `/:version/:id` POST, the only one there is. */
  app.post<Params>("/:version/:id", async (request, reply) => {
    const { version, id } = request.params;
    if (!/^v\d+\.\d+$/.test(version) || !id.startsWith("upload:"))
      throw sim.error(100, `Unknown path components: /${id}`);
    // The data step authorises as `OAuth <token>`, not Bearer.
    if (request.headers.authorization !== `OAuth ${options.accessToken}`) {
      throw sim.error(190, "Invalid OAuth access token - Cannot parse access token");
    }
    const upload = sim.uploads.get(id);
    if (!upload) throw sim.error(100, "Invalid upload session id.");
    if (request.headers.file_offset !== "0") throw sim.error(100, "Param file_offset must be 0 for a new upload.");
    const bytes = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    if (bytes.length !== upload.length)
      throw sim.error(100, `The file has ${bytes.length} bytes, the session announced ${upload.length}.`);
    if ((PROFILE_PHOTO_TYPES as readonly string[]).includes(upload.mimeType) && bytes.length > PROFILE_PHOTO_MAX_BYTES)
      throw sim.error(100, "The image is larger than 5 MB.");
    upload.bytes = bytes;
    return reply.send({ h: handleOf(upload) });
  });

  /** A profile photo's bytes (Meta serves them from its CDN). */
  app.get<{ Params: { id: string } }>("/_profile-picture/:id", async (request, reply) => {
    const photo = sim.businessProfile.photo;
    if (!photo || photo.id !== request.params.id) return reply.status(404).send({ error: "no such picture" });
    return reply.type(photo.mimeType).send(photo.bytes);
  });
}

/** The handle of an uploaded file: stable per upload (Meta's look like `4::aW1hZ2…`). */
const handles = new WeakMap<object, string>();
function handleOf(upload: object): string {
  let handle = handles.get(upload);
  if (!handle) {
    handle = `4::${randomBytes(18).toString("base64")}`;
    handles.set(upload, handle);
  }
  return handle;
}
