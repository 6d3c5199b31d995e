export * from "./registry";
export * from "./worker";
export { createGraphTransport } from "./outbound/graph";
export { sweepOutboundOnce, sweepPendingMediaOnce, startSweeper, messagesWithLiveJob } from "./maintenance/sweeper";
export { createRedisThrottle, THROUGHPUT_SAFETY, MAX_SLOT_LATENESS_MS } from "./outbound/rate-limiter";
