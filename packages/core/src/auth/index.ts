export * from "./session-token";
export * from "./session-user";
export * from "./read-security-settings";
export * from "./log-in";
export * from "./log-out";
export * from "./find-session";
export * from "./totp";
export * from "./change-password";
