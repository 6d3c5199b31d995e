export { buildApp } from "./app";
export { startApi, type RunningApi } from "./server";
export type { ApiInfra, App } from "./types";
