export * from "./live-publisher";
export * from "./live-dtos";
export * from "./live-change-batcher";
export * from "./live-backlog";
export * from "./presence";
