export * from "./retention-rules";
export * from "./list-retention-policies";
export * from "./save-retention-policies";
export * from "./legal-holds";
export * from "./run-retention";
