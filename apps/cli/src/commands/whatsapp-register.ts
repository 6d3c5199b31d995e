import { parseArgs } from "node:util";
import { AppError, registerWhatsAppNumber } from "@inbox/core";
import { GraphClient } from "@inbox/whatsapp";
import { connectDb, loadEnv, migrateDatabase, StartupError } from "../runtime";

export const WHATSAPP_REGISTER_USAGE = "pnpm inbox whatsapp register --pin 123456 [--region DE]";

/** Enables Meta's local storage for the configured number (default: DATA_REGION) and registers it. */
export async function whatsappRegisterCommand(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { pin: { type: "string" }, region: { type: "string" } },
    strict: true,
  });
  if (!values.pin) throw new StartupError(`Usage: ${WHATSAPP_REGISTER_USAGE}`);
  const env = loadEnv();
  if (!env.WHATSAPP_PHONE_NUMBER_ID) throw new StartupError("WHATSAPP_PHONE_NUMBER_ID is not set.");
  await migrateDatabase(env);
  const db = await connectDb(env);
  const graph = new GraphClient({ baseUrl: env.GRAPH_API_URL, accessToken: env.WHATSAPP_ACCESS_TOKEN ?? "" });
  try {
    const region = values.region ?? env.DATA_REGION;
    const result = await registerWhatsAppNumber(
      { db, graph },
      { phoneNumberId: env.WHATSAPP_PHONE_NUMBER_ID, pin: values.pin, region },
      { type: "system" },
    );
    console.log(
      `${result.storageChanged ? `Local storage enabled in ${result.region}` : `Local storage was already in ${result.region}`}; number registered.`,
    );
  } catch (error) {
    if (error instanceof AppError) throw new StartupError(error.message);
    throw error;
  } finally {
    await db.$disconnect();
  }
}
