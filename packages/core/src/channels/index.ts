export * from "./channel-adapter";
export * from "./channel-registry";
export * from "./whatsapp-channel";
export * from "./webchat-channel";
export * from "./webchat/index";
