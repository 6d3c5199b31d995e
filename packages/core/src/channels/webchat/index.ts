export * from "./visitor-token";
export * from "./webchat-consent-texts";
export * from "./manage-webchat-channels";
export * from "./visitor-messages";
export * from "./start-webchat-session";
export * from "./record-visitor-consent";
export * from "./receive-webchat-message";
export * from "./mark-webchat-read";
