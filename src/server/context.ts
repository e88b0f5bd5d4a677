// What the server's endpoint modules and loops share: the state cache, the writer, the clock,
// the logger, and the hook through which written evaluations reach the eval broker.
import type { StateStore } from '../state/state-store.js';
import type { Evaluation } from '../structs/eval.js';
import type { Job } from '../structs/job.js';
import type { Node } from '../structs/node.js';
import type { Logger } from '../structs/logger.js';
import type { StateWriter } from './state-writer.js';

export interface ServerConfig {
  region: string;
  datacenter: string;
  numSchedulers: number;
  /** Heartbeat TTL bounds (ms). */
  minHeartbeatTTL: number;
  heartbeatGrace: number;
  maxHeartbeatsPerSecond: number;
  failoverHeartbeatTTL: number;
  /** GC thresholds (ms). */
  evalGCThreshold: number;
  batchEvalGCThreshold: number;
  jobGCThreshold: number;
  nodeGCThreshold: number;
  deploymentGCThreshold: number;
  gcInterval: number;
}

export function defaultServerConfig(): ServerConfig {
  return {
    region: 'global',
    datacenter: 'dc1',
    numSchedulers: 2,
    minHeartbeatTTL: 10_000,
    heartbeatGrace: 10_000,
    maxHeartbeatsPerSecond: 50,
    failoverHeartbeatTTL: 300_000,
    evalGCThreshold: 60 * 60_000,
    batchEvalGCThreshold: 24 * 60 * 60_000,
    jobGCThreshold: 4 * 60 * 60_000,
    nodeGCThreshold: 24 * 60 * 60_000,
    deploymentGCThreshold: 60 * 60_000,
    gcInterval: 5 * 60_000,
  };
}

export interface ServerContext {
  store: StateStore;
  writer: StateWriter;
  logger: Logger;
  config: ServerConfig;
  now(): number;
  /** Called after evaluations are committed: pending ones go to the broker, blocked ones are tracked. */
  evalsWritten(evals: readonly Evaluation[]): void;
  /** A job was registered or changed (periodic dispatcher, blocked evals). */
  jobRegistered?(job: Job): void;
  /** A job was stopped or purged. */
  jobDeregistered?(namespace: string, id: string, purged: boolean): void;
  /** Capacity appeared on a node (registered, ready, eligible, or allocations finished). */
  capacityChanged?(node: Node, index: number): void;
}
