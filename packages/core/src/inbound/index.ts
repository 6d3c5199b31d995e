export * from "./apply-whatsapp-delivery";
export * from "./apply-status-events";
export * from "./channel-directory";
export * from "./consent-keywords";
export * from "./describe-inbound-message";
export * from "./open-conversation";
export * from "./resolve-contact";
export * from "./delivery-batcher";
