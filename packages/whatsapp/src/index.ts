export * from "./webhook/schemas";
export * from "./webhook/delivery";
export * from "./signature";
export * from "./graph/schemas";
export * from "./graph/business-profile";
export * from "./graph/errors";
export * from "./graph/client";
export * from "./graph/transport";
