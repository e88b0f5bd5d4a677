// The system / sysbatch reconciler (Nomad's NodeReconciler): per node, which task groups must
// run there versus what does — place on eligible nodes lacking one, update when the job changed,
// migrate off draining nodes, stop where no longer wanted or no longer eligible, mark lost on
// down or missing nodes, and (sysbatch) leave completed allocations complete.
import type { Allocation, Job, Node, TaskGroup } from '../structs/index.js';
import { allocName, isTerminalAlloc } from '../structs/index.js';
import type { TaintedNodes } from './alloc-set.js';
import { ranSuccessfully } from './reschedule.js';

export interface AllocTuple {
  name: string;
  taskGroup: TaskGroup;
  /** The existing alloc; for placements, the terminal alloc it replaces (or null). */
  alloc: Allocation | null;
  nodeID: string;
}

export interface NodeReconcileResult {
  place: AllocTuple[];
  update: AllocTuple[];
  migrate: AllocTuple[];
  stop: AllocTuple[];
  ignore: AllocTuple[];
  lost: AllocTuple[];
}

/** One alloc name per group: `<job>.<group>[0]` on every node. */
export function materializeSystemTaskGroups(job: Job | null): Map<string, TaskGroup> {
  const out = new Map<string, TaskGroup>();
  if (job === null || job.Stop) return out;
  for (const tg of job.TaskGroups) for (let i = 0; i < tg.Count; i++) out.set(allocName(job.ID, tg.Name, i), tg);
  return out;
}

/** The latest terminal alloc per node and name. */
function latestTerminal(allocs: readonly Allocation[]): Map<string, Allocation> {
  const out = new Map<string, Allocation>();
  for (const a of allocs) {
    if (!isTerminalAlloc(a)) continue;
    const key = `${a.NodeID}\0${a.Name}`;
    const prev = out.get(key);
    if (prev === undefined || prev.CreateIndex < a.CreateIndex) out.set(key, a);
  }
  return out;
}

export interface NodeReconcileInput {
  job: Job | null;
  readyNodes: readonly Node[];
  notReady: ReadonlySet<string>;
  tainted: TaintedNodes;
  allocs: readonly Allocation[];
}

export function reconcileNodes(input: NodeReconcileInput): NodeReconcileResult {
  const { job, tainted, notReady } = input;
  const r: NodeReconcileResult = { place: [], update: [], migrate: [], stop: [], ignore: [], lost: [] };
  const required = materializeSystemTaskGroups(job);
  const live = input.allocs.filter((a) => !isTerminalAlloc(a));
  const terminal = latestTerminal(input.allocs);
  const byNode = new Map<string, Allocation[]>();
  for (const a of live) byNode.set(a.NodeID, [...(byNode.get(a.NodeID) ?? []), a]);
  const eligible = new Map<string, Node>();
  for (const n of input.readyNodes) {
    eligible.set(n.ID, n);
    if (!byNode.has(n.ID)) byNode.set(n.ID, []);
  }
  const nodeIDs = [...byNode.keys()].sort();
  for (const nodeID of nodeIDs) {
    const existing = new Set<string>();
    for (const a of (byNode.get(nodeID) ?? []).sort((x, y) => (x.Name < y.Name ? -1 : x.Name > y.Name ? 1 : 0))) {
      existing.add(a.Name);
      const tg = required.get(a.Name);
      const t = (taskGroup: TaskGroup): AllocTuple => ({ name: a.Name, taskGroup, alloc: a, nodeID });
      if (tg === undefined || job === null) {
        const old = a.Job?.TaskGroups.find((g) => g.Name === a.TaskGroup);
        r.stop.push({ name: a.Name, taskGroup: old ?? ({ Name: a.TaskGroup } as TaskGroup), alloc: a, nodeID });
        continue;
      }
      if (a.DesiredTransition.Migrate === true) {
        r.migrate.push(t(tg));
        continue;
      }
      if (a.ClientStatus === 'unknown' && a.DesiredStatus === 'run') {
        r.ignore.push(t(tg));
        continue;
      }
      if (tainted.has(nodeID)) {
        const node = tainted.get(nodeID);
        if (a.Job?.Type === 'sysbatch' && ranSuccessfully(a)) r.ignore.push(t(tg));
        else if (node == null || node.Status === 'down') r.lost.push(t(tg));
        else r.ignore.push(t(tg));
        continue;
      }
      if (notReady.has(nodeID)) {
        if (job.JobModifyIndex !== a.Job?.JobModifyIndex) r.stop.push(t(tg));
        else r.ignore.push(t(tg));
        continue;
      }
      if (!eligible.has(nodeID)) {
        r.stop.push(t(tg));
        continue;
      }
      if (job.JobModifyIndex !== a.Job?.JobModifyIndex) r.update.push(t(tg));
      else r.ignore.push(t(tg));
    }
    for (const [name, tg] of required) {
      if (existing.has(name) || job === null) continue;
      const term = terminal.get(`${nodeID}\0${name}`) ?? null;
      if (job.Type === 'sysbatch' && term !== null) {
        if (job.JobModifyIndex !== term.Job?.JobModifyIndex) r.update.push({ name, taskGroup: tg, alloc: term, nodeID });
        else r.ignore.push({ name, taskGroup: tg, alloc: term, nodeID });
        continue;
      }
      if (tainted.has(nodeID) || !eligible.has(nodeID)) continue;
      r.place.push({ name, taskGroup: tg, alloc: term, nodeID });
    }
  }
  return r;
}
