// The read-only view of cluster state a scheduler works on: an immutable snapshot at one index.
// The server implements it over its state cache; the harness implements it over arrays. A
// scheduler never writes through it — changes leave only as a plan.
import type { Allocation, Deployment, Job, Node } from '../structs/index.js';

export interface StateView {
  /** The snapshot's index (Nomad's latest Raft index); mixed into the node-shuffle seed. */
  readonly index: number;
  jobByID(namespace: string, jobID: string): Job | null;
  /** The job's allocations, terminal ones included when `includeTerminal`. */
  allocsByJob(namespace: string, jobID: string, includeTerminal: boolean): Allocation[];
  /** Non-terminal allocations on the node (neither server- nor client-terminal). */
  allocsByNode(nodeID: string): Allocation[];
  nodeByID(nodeID: string): Node | null;
  nodes(): readonly Node[];
  latestDeploymentByJob(namespace: string, jobID: string): Deployment | null;
}
