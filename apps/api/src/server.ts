import { buildApp } from "./app";
import type { ApiInfra, App } from "./types";

export interface RunningApi {
  app: App;
  url: string;
  close(): Promise<void>;
}

/** Builds the api (with its services) and listens; close() stops taking requests, then ends the services. */
export async function startApi(
  infra: ApiInfra,
  { port, host = "0.0.0.0" }: { port: number; host?: string },
): Promise<RunningApi> {
  const app = await buildApp(infra);
  await app.listen({ port, host });
  const address = app.server.address();
  const actualPort = typeof address === "object" && address ? address.port : port;
  return {
    app,
    url: `http://127.0.0.1:${actualPort}`,
    close: () => app.close(),
  };
}
