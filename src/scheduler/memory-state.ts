// An in-memory StateView built from arrays of jobs, nodes, allocations and deployments, with
// the indexes the scheduler reads by (allocs by job and by node). Writes are for the harness;
// `snapshot()` gives the immutable view a scheduler runs on.
import type { Allocation, Deployment, Job, Node } from '../structs/index.js';
import { isTerminalAlloc } from '../structs/index.js';
import type { StateView } from './state-view.js';

const key = (ns: string, id: string): string => `${ns}\0${id}`;

export interface StateInit {
  jobs?: readonly Job[];
  nodes?: readonly Node[];
  allocs?: readonly Allocation[];
  deployments?: readonly Deployment[];
  index?: number;
}

export class MemoryState implements StateView {
  index: number;
  private jobs = new Map<string, Job>();
  private nodeMap = new Map<string, Node>();
  private nodeList: Node[] | null = null;
  private allocs = new Map<string, Allocation>();
  private byJob = new Map<string, Set<string>>();
  private byNode = new Map<string, Set<string>>();
  private deployments = new Map<string, Deployment>();

  constructor(init: StateInit = {}) {
    this.index = init.index ?? 1000;
    for (const j of init.jobs ?? []) this.upsertJob(j);
    for (const n of init.nodes ?? []) this.upsertNode(n);
    for (const a of init.allocs ?? []) this.upsertAlloc(a);
    for (const d of init.deployments ?? []) this.upsertDeployment(d);
  }

  /** A copy sharing the (never mutated) objects: later writes here do not show in it. */
  snapshot(): MemoryState {
    const s = new MemoryState({ index: this.index });
    s.jobs = new Map(this.jobs);
    s.nodeMap = new Map(this.nodeMap);
    s.nodeList = this.nodeList;
    s.allocs = new Map(this.allocs);
    s.byJob = new Map([...this.byJob].map(([k, v]) => [k, new Set(v)]));
    s.byNode = new Map([...this.byNode].map(([k, v]) => [k, new Set(v)]));
    s.deployments = new Map(this.deployments);
    return s;
  }

  upsertJob(job: Job): void {
    this.jobs.set(key(job.Namespace, job.ID), job);
  }

  deleteJob(namespace: string, id: string): void {
    this.jobs.delete(key(namespace, id));
  }

  upsertNode(node: Node): void {
    this.nodeMap.set(node.ID, node);
    this.nodeList = null;
  }

  upsertAlloc(a: Allocation): void {
    const prev = this.allocs.get(a.ID);
    if (prev !== undefined) this.byNode.get(prev.NodeID)?.delete(a.ID);
    this.allocs.set(a.ID, a);
    const jk = key(a.Namespace, a.JobID);
    let j = this.byJob.get(jk);
    if (j === undefined) this.byJob.set(jk, (j = new Set()));
    j.add(a.ID);
    let n = this.byNode.get(a.NodeID);
    if (n === undefined) this.byNode.set(a.NodeID, (n = new Set()));
    n.add(a.ID);
  }

  upsertDeployment(d: Deployment): void {
    this.deployments.set(d.ID, d);
  }

  allocByID(id: string): Allocation | null {
    return this.allocs.get(id) ?? null;
  }

  allAllocs(): Allocation[] {
    return [...this.allocs.values()];
  }

  deploymentByID(id: string): Deployment | null {
    return this.deployments.get(id) ?? null;
  }

  jobByID(namespace: string, jobID: string): Job | null {
    return this.jobs.get(key(namespace, jobID)) ?? null;
  }

  allocsByJob(namespace: string, jobID: string, includeTerminal: boolean): Allocation[] {
    const out: Allocation[] = [];
    for (const id of this.byJob.get(key(namespace, jobID)) ?? []) {
      const a = this.allocs.get(id);
      if (a !== undefined && (includeTerminal || !isTerminalAlloc(a))) out.push(a);
    }
    return out;
  }

  allocsByNode(nodeID: string): Allocation[] {
    const ids = this.byNode.get(nodeID);
    if (ids === undefined || ids.size === 0) return [];
    const out: Allocation[] = [];
    for (const id of ids) {
      const a = this.allocs.get(id);
      if (a !== undefined && !isTerminalAlloc(a)) out.push(a);
    }
    return out;
  }

  nodeByID(nodeID: string): Node | null {
    return this.nodeMap.get(nodeID) ?? null;
  }

  nodes(): readonly Node[] {
    this.nodeList ??= [...this.nodeMap.values()];
    return this.nodeList;
  }

  latestDeploymentByJob(namespace: string, jobID: string): Deployment | null {
    let best: Deployment | null = null;
    for (const d of this.deployments.values()) if (d.Namespace === namespace && d.JobID === jobID && (best === null || d.CreateIndex > best.CreateIndex)) best = d;
    return best;
  }
}
