export * from "./media-store";
export * from "./check-media";
export * from "./download-media-asset";
export * from "./open-media-asset";
export * from "./classify-attachment";
export * from "./store-outbound-attachment";
export * from "./sweep-pending-media";
