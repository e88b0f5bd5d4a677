// The scheduler's read-only view (scheduler/state-view.ts) over a state snapshot.
import type { StateView } from '../scheduler/state-view.js';
import type { StateSnapshot } from '../state/snapshot.js';
import { isTerminalAlloc, type Allocation } from '../structs/alloc.js';
import type { Deployment } from '../structs/deployment.js';
import type { Job } from '../structs/job.js';
import type { Node } from '../structs/node.js';

export function stateView(snap: StateSnapshot): StateView {
  let nodes: Node[] | undefined;
  return {
    index: snap.revision,
    jobByID: (ns: string, id: string): Job | null => snap.job(ns, id) ?? null,
    allocsByJob: (ns: string, id: string, includeTerminal: boolean): Allocation[] => {
      const all = snap.allocsByJob(ns, id);
      return includeTerminal ? all : all.filter((a) => !isTerminalAlloc(a));
    },
    allocsByNode: (nodeID: string): Allocation[] => snap.allocsByNode(nodeID, false),
    nodeByID: (id: string): Node | null => snap.node(id) ?? null,
    nodes: (): readonly Node[] => (nodes ??= snap.nodes()),
    latestDeploymentByJob: (ns: string, id: string): Deployment | null => snap.latestDeploymentByJob(ns, id) ?? null,
  };
}
