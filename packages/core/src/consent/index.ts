export * from "./consent-rules";
export * from "./consent-keywords";
export * from "./current-consents";
export * from "./record-consent";
export * from "./record-agent-consent";
export * from "./to-consent-record-dto";
export * from "./confirm-consent-keyword";
