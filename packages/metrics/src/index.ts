export * from "./metrics";
export * from "./bearer";
