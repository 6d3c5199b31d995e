export * from "./names";
export * from "./job-ids";
export * from "./options";
export * from "./outbox";
export * from "./queues";
export * from "./outbox-relay";
export * from "./queue-admin";
