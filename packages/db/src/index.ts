export * from "./client";
export * from "./errors";
export * from "./ensure-database";
export * from "./generated/client";
export * from "./json";
export * from "./pg-pool";
export * from "./sql";
