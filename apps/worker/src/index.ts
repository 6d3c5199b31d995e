export { startWorker, type RunningWorker, type StartWorkerOptions } from "./worker";
export type { WorkerInfra } from "./context";
export { createGraphTransport } from "./outbound/graph";
export { createRedisThrottle } from "./outbound/rate-limiter";
