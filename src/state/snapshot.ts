// An immutable view of all server state at one revision: what reads, blocking queries and the
// scheduler work on. Every method is a pure read of the snapshot's tables; nothing here changes.
import type { Set as ISet } from 'immutable';
import { isTerminalAlloc, type Allocation } from '../structs/alloc.js';
import type { Deployment } from '../structs/deployment.js';
import type { Evaluation } from '../structs/eval.js';
import type { Job } from '../structs/job.js';
import type { JobSubmission } from '../structs/job-submission.js';
import type { Node } from '../structs/node.js';
import type { ServiceRegistration } from '../structs/services.js';
import type { PeriodicLaunch, TableName } from './schema.js';
import { allocJobKey, nsKey, type StoredVariable, type Tables } from './tables.js';

const byId = <T extends { ID: string }>(a: T, b: T): number => (a.ID < b.ID ? -1 : a.ID > b.ID ? 1 : 0);

export class StateSnapshot {
  constructor(private readonly t: Tables) {}

  /** The KV revision this snapshot reflects (Nomad's Raft index). */
  get revision(): number {
    return this.t.revision;
  }

  /** The last revision that changed a table (Nomad's index table), 0 if never. */
  index(table: TableName): number {
    return this.t.tableIndex.get(table) ?? 0;
  }

  /** The largest index of several tables (for results derived from more than one). */
  maxIndex(...tables: TableName[]): number {
    return Math.max(0, ...tables.map((t) => this.index(t)));
  }

  // ---- jobs -----------------------------------------------------------------------------------

  job(ns: string, id: string): Job | undefined {
    return this.t.jobs.get(nsKey(ns, id));
  }

  /** Jobs in a namespace ('*' for all), sorted by ID. */
  jobs(ns = '*', prefix = ''): Job[] {
    const out: Job[] = [];
    for (const j of this.t.jobs.values()) if ((ns === '*' || j.Namespace === ns) && j.ID.startsWith(prefix)) out.push(j);
    return out.sort((a, b) => byId(a, b) || (a.Namespace < b.Namespace ? -1 : 1));
  }

  /** Versions of a job, newest first. */
  jobVersions(ns: string, id: string): Job[] {
    const m = this.t.jobVersions.get(nsKey(ns, id));
    return m ? [...m.values()].sort((a, b) => b.Version - a.Version) : [];
  }

  jobVersion(ns: string, id: string, version: number): Job | undefined {
    return this.t.jobVersions.get(nsKey(ns, id))?.get(version);
  }

  /** The source version `version` of a job was submitted from, if its client sent one. */
  jobSubmission(ns: string, id: string, version: number): JobSubmission | undefined {
    return this.t.jobSubmissions.get(nsKey(ns, id))?.get(version);
  }

  /** The versions of a job that have a stored submission, ascending. */
  jobSubmissionVersions(ns: string, id: string): number[] {
    const m = this.t.jobSubmissions.get(nsKey(ns, id));
    return m ? [...m.keys()].sort((a, b) => a - b) : [];
  }

  /** Child jobs (periodic launches and dispatches) of a parent. */
  childJobs(ns: string, parentID: string): Job[] {
    const out: Job[] = [];
    for (const j of this.t.jobs.values()) if (j.Namespace === ns && j.ParentID === parentID) out.push(j);
    return out.sort(byId);
  }

  periodicLaunch(ns: string, id: string): PeriodicLaunch | undefined {
    return this.t.periodicLaunch.get(nsKey(ns, id));
  }

  // ---- evaluations ----------------------------------------------------------------------------

  eval(id: string): Evaluation | undefined {
    return this.t.evals.get(id);
  }

  evals(ns = '*'): Evaluation[] {
    const out: Evaluation[] = [];
    for (const e of this.t.evals.values()) if (ns === '*' || e.Namespace === ns) out.push(e);
    return out.sort((a, b) => b.CreateIndex - a.CreateIndex || byId(a, b));
  }

  evalsByJob(ns: string, jobID: string): Evaluation[] {
    return this.collect(this.t.evalsByJob.get(nsKey(ns, jobID)), (id) => this.t.evals.get(id)).sort((a, b) => b.CreateIndex - a.CreateIndex || byId(a, b));
  }

  // ---- allocations ----------------------------------------------------------------------------

  alloc(id: string): Allocation | undefined {
    return this.t.allocs.get(id);
  }

  allocs(ns = '*'): Allocation[] {
    const out: Allocation[] = [];
    for (const a of this.t.allocs.values()) if (ns === '*' || a.Namespace === ns) out.push(a);
    return out.sort((a, b) => b.CreateIndex - a.CreateIndex || byId(a, b));
  }

  /** All allocations of a job, terminal ones included. */
  allocsByJob(ns: string, jobID: string): Allocation[] {
    return this.collect(this.t.allocsByJob.get(nsKey(ns, jobID)), (id) => this.t.allocs.get(id));
  }

  /** Allocations on a node; only non-terminal ones unless `all`. */
  allocsByNode(nodeID: string, all = true): Allocation[] {
    const list = this.collect(this.t.allocsByNode.get(nodeID), (id) => this.t.allocs.get(id));
    return all ? list : list.filter((a) => !isTerminalAlloc(a));
  }

  allocsByEval(evalID: string): Allocation[] {
    return this.collect(this.t.allocsByEval.get(evalID), (id) => this.t.allocs.get(id));
  }

  allocsByDeployment(deploymentID: string): Allocation[] {
    return this.collect(this.t.allocsByDeployment.get(deploymentID), (id) => this.t.allocs.get(id));
  }

  /** The stored job for an allocation's job version, if still kept. */
  allocJob(ns: string, id: string, version: number, jobModifyIndex: number): Job | undefined {
    return this.t.allocJobs.get(allocJobKey(ns, id, version, jobModifyIndex));
  }

  allocJobKeys(): string[] {
    return [...this.t.allocJobs.keys()];
  }

  // ---- nodes ----------------------------------------------------------------------------------

  node(id: string): Node | undefined {
    return this.t.nodes.get(id);
  }

  nodes(): Node[] {
    return [...this.t.nodes.values()].sort(byId);
  }

  // ---- deployments ----------------------------------------------------------------------------

  deployment(id: string): Deployment | undefined {
    return this.t.deployments.get(id);
  }

  deployments(ns = '*'): Deployment[] {
    const out: Deployment[] = [];
    for (const d of this.t.deployments.values()) if (ns === '*' || d.Namespace === ns) out.push(d);
    return out.sort((a, b) => b.CreateIndex - a.CreateIndex);
  }

  deploymentsByJob(ns: string, jobID: string): Deployment[] {
    return this.collect(this.t.deploymentsByJob.get(nsKey(ns, jobID)), (id) => this.t.deployments.get(id)).sort((a, b) => b.CreateIndex - a.CreateIndex);
  }

  latestDeploymentByJob(ns: string, jobID: string): Deployment | undefined {
    return this.deploymentsByJob(ns, jobID)[0];
  }

  // ---- services -------------------------------------------------------------------------------

  services(ns = '*'): ServiceRegistration[] {
    const out: ServiceRegistration[] = [];
    for (const s of this.t.services.values()) if (ns === '*' || s.Namespace === ns) out.push(s);
    return out.sort(byId);
  }

  serviceRegistration(ns: string, id: string): ServiceRegistration | undefined {
    return this.t.services.get(nsKey(ns, id));
  }

  servicesByName(ns: string, name: string): ServiceRegistration[] {
    return this.collect(this.t.servicesByName.get(nsKey(ns, name)), (k) => this.t.services.get(k)).sort(byId);
  }

  servicesByAlloc(allocID: string): ServiceRegistration[] {
    return this.collect(this.t.servicesByAlloc.get(allocID), (k) => this.t.services.get(k)).sort(byId);
  }

  servicesByNode(nodeID: string): ServiceRegistration[] {
    return this.collect(this.t.servicesByNode.get(nodeID), (k) => this.t.services.get(k)).sort(byId);
  }

  servicesByJob(ns: string, jobID: string): ServiceRegistration[] {
    return this.collect(this.t.servicesByJob.get(nsKey(ns, jobID)), (k) => this.t.services.get(k)).sort(byId);
  }

  // ---- variables and metadata -----------------------------------------------------------------

  variable(ns: string, path: string): StoredVariable | undefined {
    return this.t.variables.get(nsKey(ns, path));
  }

  variables(ns = '*', prefix = ''): StoredVariable[] {
    const out: StoredVariable[] = [];
    for (const v of this.t.variables.values()) if ((ns === '*' || v.Namespace === ns) && v.Path.startsWith(prefix)) out.push(v);
    return out.sort((a, b) => (a.Path < b.Path ? -1 : a.Path > b.Path ? 1 : 0));
  }

  meta<T>(name: string): T | undefined {
    return this.t.meta.get(name) as T | undefined;
  }

  private collect<T>(ids: ISet<string> | undefined, get: (id: string) => T | undefined): T[] {
    const out: T[] = [];
    if (!ids) return out;
    for (const id of ids) {
      const v = get(id);
      if (v !== undefined) out.push(v);
    }
    return out;
  }
}
