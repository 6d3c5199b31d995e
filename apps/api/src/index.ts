export { buildApp } from "./app";
export { startApi, type RunningApi } from "./server";
export type { App } from "./types";
