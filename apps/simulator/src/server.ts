import { buildSimulator, type BuiltSimulator } from "./app";
import type { SimulatorOptions } from "./simulator";

export interface RunningSimulator extends BuiltSimulator {
  /** base URL, e.g. http://127.0.0.1:3001 */
  url: string;
  close(): Promise<void>;
}

/** Builds the simulator and listens; `port: 0` picks a free port. */
export async function startSimulator(
  options: SimulatorOptions & { port: number; host?: string },
): Promise<RunningSimulator> {
  const built = buildSimulator(options);
  const address = await built.app.listen({ port: options.port, host: options.host ?? "127.0.0.1" });
  const url = address.replace("[::1]", "localhost");
  return { ...built, url, close: () => built.app.close() };
}
