export * from "./webhook/schemas";
export * from "./signature";
export * from "./graph/schemas";
export * from "./graph/errors";
export * from "./graph/client";
export * from "./graph/transport";
export * from "./graph/business-profile";
