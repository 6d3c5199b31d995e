import type { ApiDeps } from "./deps";
import { buildApp, type App } from "./app";

export interface RunningApi {
  app: App;
  url: string;
  close(): Promise<void>;
}

export async function startApi(
  deps: ApiDeps,
  { port, host = "0.0.0.0" }: { port: number; host?: string },
): Promise<RunningApi> {
  const app = await buildApp(deps);
  await app.listen({ port, host });
  const address = app.server.address();
  const actualPort = typeof address === "object" && address ? address.port : port;
  return {
    app,
    url: `http://127.0.0.1:${actualPort}`,
    close: () => app.close(),
  };
}
