export { startWorker, type RunningWorker } from "./worker";
export { createGraphTransport } from "./outbound/graph";
export { createRedisThrottle } from "./outbound/rate-limiter";
