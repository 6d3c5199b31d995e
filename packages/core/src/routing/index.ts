export * from "./match-routing-rules";
export * from "./replace-routing-rules";
export * from "./decide-team";
export * from "./route-new-conversation";
export * from "./manage-teams";
