export * from "./common";
export * from "./conversations";
export * from "./events";
export * from "./templates";
export * from "./auth";
export * from "./admin";
export * from "./webchat";
export * from "./routing";
