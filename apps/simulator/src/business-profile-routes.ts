/**
 * `GET|POST /{phone-number-id}/whatsapp_business_profile` as Meta answers them: the profile of the simulated
 * number, fields selected with `fields=`, updates of the given fields only (about 1–139 characters, at most two
 * websites, a known vertical; a bad value is error 100 like Meta's parameter errors).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { UpdateBusinessProfileRequestSchema, type BusinessProfile } from "@inbox/whatsapp";
import type { CloudApiSimulator } from "./simulator";

const VERTICALS = new Set([
  "UNDEFINED",
  "OTHER",
  "AUTO",
  "BEAUTY",
  "APPAREL",
  "EDU",
  "ENTERTAIN",
  "EVENT_PLAN",
  "FINANCE",
  "GROCERY",
  "GOVT",
  "HOTEL",
  "HEALTH",
  "NONPROFIT",
  "PROF_SERVICES",
  "RETAIL",
  "TRAVEL",
  "RESTAURANT",
  "ALCOHOL",
  "ONLINE_GAMBLING",
  "PHYSICAL_GAMBLING",
  "OTC_DRUGS",
]);

type Guard = (request: FastifyRequest<{ Params: { version: string } }>, reply: FastifyReply) => Promise<unknown>;

export function registerBusinessProfileRoutes(
  app: FastifyInstance,
  sim: CloudApiSimulator,
  guard: Guard,
  requirePhoneNumber: (id: string) => void,
): void {
  let profile: BusinessProfile = {
    about: "Hallo! Wir antworten werktags 8–18 Uhr.",
    address: "",
    description: "",
    email: "",
    websites: [],
    vertical: "UNDEFINED",
    profile_picture_url: "",
  };
  type Params = { Params: { version: string; id: string }; Querystring: { fields?: string } };

  app.get<Params>("/:version/:id/whatsapp_business_profile", { preHandler: guard }, async (request) => {
    requirePhoneNumber(request.params.id);
    const fields = request.query.fields?.split(",").map((f) => f.trim());
    const selected = fields
      ? Object.fromEntries(Object.entries(profile).filter(([key]) => fields.includes(key)))
      : profile;
    return { data: [{ ...selected, messaging_product: "whatsapp" }] };
  });

  app.post<Params>("/:version/:id/whatsapp_business_profile", { preHandler: guard }, async (request) => {
    requirePhoneNumber(request.params.id);
    const parsed = UpdateBusinessProfileRequestSchema.safeParse(request.body);
    if (!parsed.success)
      throw sim.error(100, `Invalid parameter: ${parsed.error.issues.map((i) => i.path.join(".")).join(", ")}`);
    const { messaging_product: _product, profile_picture_handle: _handle, ...changes } = parsed.data;
    if (changes.vertical !== undefined && !VERTICALS.has(changes.vertical))
      throw sim.error(100, "Invalid parameter: vertical");
    if (changes.websites?.some((w) => !/^https?:\/\//.test(w))) throw sim.error(100, "Invalid parameter: websites");
    profile = { ...profile, ...changes };
    return { success: true };
  });
}
