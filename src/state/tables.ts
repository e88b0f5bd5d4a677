// The typed tables of the state cache and their secondary indexes, as immutable maps: applying a
// change builds new roots and shares everything else, so a snapshot is a pointer copy and stays
// valid forever. This module owns how one KV change updates the tables; state-store.ts owns when.
import { Map as IMap, Set as ISet } from 'immutable';
import type { Allocation } from '../structs/alloc.js';
import type { Deployment } from '../structs/deployment.js';
import type { Evaluation } from '../structs/eval.js';
import type { Job } from '../structs/job.js';
import type { JobSubmission } from '../structs/job-submission.js';
import type { Node } from '../structs/node.js';
import type { ServiceRegistration } from '../structs/services.js';
import type { KeyValue } from './kv.js';
import { parseKey, THIS_WRITE, type PeriodicLaunch, type StoredAllocation, type TableName } from './schema.js';

/** A variable as stored: metadata in the clear, items encrypted by the server's keyring. */
export interface StoredVariable {
  Namespace: string;
  Path: string;
  Lock?: unknown;
  CreateIndex: number;
  ModifyIndex: number;
  CreateTime: number;
  ModifyTime: number;
  KeyID: string;
  /** base64 of the AES-GCM ciphertext of the items JSON. */
  Data: string;
}

export interface Tables {
  revision: number;
  tableIndex: IMap<TableName, number>;
  jobs: IMap<string, Job>;
  jobVersions: IMap<string, IMap<number, Job>>;
  jobSubmissions: IMap<string, IMap<number, JobSubmission>>;
  evals: IMap<string, Evaluation>;
  evalsByJob: IMap<string, ISet<string>>;
  allocs: IMap<string, Allocation>;
  allocsByJob: IMap<string, ISet<string>>;
  allocsByNode: IMap<string, ISet<string>>;
  allocsByEval: IMap<string, ISet<string>>;
  allocsByDeployment: IMap<string, ISet<string>>;
  allocJobs: IMap<string, Job>;
  nodes: IMap<string, Node>;
  deployments: IMap<string, Deployment>;
  deploymentsByJob: IMap<string, ISet<string>>;
  services: IMap<string, ServiceRegistration>;
  servicesByName: IMap<string, ISet<string>>;
  servicesByAlloc: IMap<string, ISet<string>>;
  servicesByNode: IMap<string, ISet<string>>;
  servicesByJob: IMap<string, ISet<string>>;
  variables: IMap<string, StoredVariable>;
  periodicLaunch: IMap<string, PeriodicLaunch>;
  meta: IMap<string, unknown>;
}

export function emptyTables(): Tables {
  const m = IMap();
  return {
    revision: 0,
    tableIndex: IMap(),
    jobs: m as IMap<string, Job>,
    jobVersions: IMap(),
    jobSubmissions: IMap(),
    evals: IMap(),
    evalsByJob: IMap(),
    allocs: IMap(),
    allocsByJob: IMap(),
    allocsByNode: IMap(),
    allocsByEval: IMap(),
    allocsByDeployment: IMap(),
    allocJobs: IMap(),
    nodes: IMap(),
    deployments: IMap(),
    deploymentsByJob: IMap(),
    services: IMap(),
    servicesByName: IMap(),
    servicesByAlloc: IMap(),
    servicesByNode: IMap(),
    servicesByJob: IMap(),
    variables: IMap(),
    periodicLaunch: IMap(),
    meta: IMap(),
  };
}

/** Namespace-qualified key for maps: "ns\u0000id". */
export function nsKey(ns: string, id: string): string {
  return `${ns}\u0000${id}`;
}

export function allocJobKey(ns: string, id: string, version: number, jobModifyIndex: number): string {
  return `${ns}\u0000${id}\u0000${version}@${jobModifyIndex}`;
}

function addTo(index: IMap<string, ISet<string>>, key: string, id: string): IMap<string, ISet<string>> {
  if (!key) return index;
  return index.update(key, (s) => (s ?? ISet<string>()).add(id));
}

function removeFrom(index: IMap<string, ISet<string>>, key: string, id: string): IMap<string, ISet<string>> {
  if (!key) return index;
  const s = index.get(key);
  if (!s) return index;
  const next = s.delete(id);
  return next.size ? index.set(key, next) : index.delete(key);
}

function withIndexes<T extends { CreateIndex: number; ModifyIndex: number }>(obj: T, kv: KeyValue): T {
  obj.CreateIndex = kv.createRevision;
  obj.ModifyIndex = kv.modRevision;
  return obj;
}

/** A row-level change the cache applied: the table, and the object before and after (undefined when absent). */
export interface RowChange {
  table: TableName;
  type: 'put' | 'delete';
  before: unknown;
  after: unknown;
}

function lookup(t: Tables, table: TableName, parts: string[]): unknown {
  const [a = '', b = ''] = parts;
  switch (table) {
    case 'jobs':
      return t.jobs.get(nsKey(a, b));
    case 'evals':
      return t.evals.get(a);
    case 'allocs':
      return t.allocs.get(a);
    case 'nodes':
      return t.nodes.get(a);
    case 'deployments':
      return t.deployments.get(a);
    case 'services':
      return t.services.get(nsKey(a, b));
    case 'variables':
      return t.variables.get(nsKey(a, b));
    default:
      return undefined;
  }
}

/** applyChange, reporting the row before and after (for the event stream). */
export function applyChangeWithRow(t: Tables, type: 'put' | 'delete', kv: KeyValue): RowChange | undefined {
  const parsed = parseKey(kv.key);
  if (!parsed) return undefined;
  const before = lookup(t, parsed.table, parsed.parts);
  const table = applyChange(t, type, kv);
  if (!table) return undefined;
  return { table, type, before, after: lookup(t, table, parsed.parts) };
}

/**
 * Applies one KV event to the tables (mutating the `t` record's fields, which hold new immutable
 * roots). `prev` tells whether it is a delete. Unknown keys are ignored.
 */
export function applyChange(t: Tables, type: 'put' | 'delete', kv: KeyValue): TableName | undefined {
  const parsed = parseKey(kv.key);
  if (!parsed) return undefined;
  const { table, parts } = parsed;
  const del = type === 'delete';
  const value = (): unknown => JSON.parse(kv.value);
  switch (table) {
    case 'jobs': {
      const k = nsKey(parts[0] ?? '', parts[1] ?? '');
      if (del) t.jobs = t.jobs.delete(k);
      else {
        const job = withIndexes(value() as Job, kv);
        if (job.JobModifyIndex === THIS_WRITE) job.JobModifyIndex = kv.modRevision;
        t.jobs = t.jobs.set(k, job);
      }
      break;
    }
    case 'job_versions': {
      const k = nsKey(parts[0] ?? '', parts[1] ?? '');
      const version = Number(parts[2]);
      if (del) {
        const versions = t.jobVersions.get(k)?.delete(version);
        t.jobVersions = versions && versions.size ? t.jobVersions.set(k, versions) : t.jobVersions.delete(k);
      } else {
        const job = value() as Job;
        // A version row keeps the indexes of the job it records; only the placeholder is resolved.
        if (job.JobModifyIndex === THIS_WRITE) job.JobModifyIndex = kv.modRevision;
        if (job.ModifyIndex === THIS_WRITE) job.ModifyIndex = kv.modRevision;
        if (job.CreateIndex === THIS_WRITE) job.CreateIndex = kv.createRevision;
        t.jobVersions = t.jobVersions.update(k, (m) => (m ?? IMap<number, Job>()).set(version, job));
      }
      break;
    }
    case 'job_submissions': {
      const k = nsKey(parts[0] ?? '', parts[1] ?? '');
      const version = Number(parts[2]);
      if (del) {
        const subs = t.jobSubmissions.get(k)?.delete(version);
        t.jobSubmissions = subs && subs.size ? t.jobSubmissions.set(k, subs) : t.jobSubmissions.delete(k);
      } else {
        const sub = value() as JobSubmission;
        if (sub.JobModifyIndex === THIS_WRITE) sub.JobModifyIndex = kv.modRevision;
        t.jobSubmissions = t.jobSubmissions.update(k, (m) => (m ?? IMap<number, JobSubmission>()).set(version, sub));
      }
      break;
    }
    case 'evals': {
      const id = parts[0] ?? '';
      const old = t.evals.get(id);
      if (old) t.evalsByJob = removeFrom(t.evalsByJob, nsKey(old.Namespace, old.JobID), id);
      if (del) t.evals = t.evals.delete(id);
      else {
        const ev = withIndexes(value() as Evaluation, kv);
        if (ev.JobModifyIndex === THIS_WRITE) ev.JobModifyIndex = kv.modRevision;
        t.evals = t.evals.set(id, ev);
        t.evalsByJob = addTo(t.evalsByJob, nsKey(ev.Namespace, ev.JobID), id);
      }
      break;
    }
    case 'allocs': {
      const id = parts[0] ?? '';
      const old = t.allocs.get(id);
      if (old) {
        t.allocsByJob = removeFrom(t.allocsByJob, nsKey(old.Namespace, old.JobID), id);
        t.allocsByNode = removeFrom(t.allocsByNode, old.NodeID, id);
        t.allocsByEval = removeFrom(t.allocsByEval, old.EvalID, id);
        t.allocsByDeployment = removeFrom(t.allocsByDeployment, old.DeploymentID, id);
      }
      if (del) t.allocs = t.allocs.delete(id);
      else {
        const stored = withIndexes(value() as StoredAllocation, kv);
        if (stored.AllocModifyIndex === THIS_WRITE) stored.AllocModifyIndex = kv.modRevision;
        const ref = stored.JobRef;
        const job = ref ? (t.allocJobs.get(allocJobKey(ref.Namespace, ref.ID, ref.Version, ref.JobModifyIndex)) ?? null) : null;
        const { JobRef: _ref, ...rest } = stored;
        const alloc: Allocation = { ...rest, Job: job };
        t.allocs = t.allocs.set(id, alloc);
        t.allocsByJob = addTo(t.allocsByJob, nsKey(alloc.Namespace, alloc.JobID), id);
        t.allocsByNode = addTo(t.allocsByNode, alloc.NodeID, id);
        t.allocsByEval = addTo(t.allocsByEval, alloc.EvalID, id);
        t.allocsByDeployment = addTo(t.allocsByDeployment, alloc.DeploymentID, id);
      }
      break;
    }
    case 'alloc_jobs': {
      const [ns = '', id = '', ver = ''] = parts;
      const [version, jmi] = ver.split('@').map(Number);
      const k = allocJobKey(ns, id, version ?? 0, jmi ?? 0);
      t.allocJobs = del ? t.allocJobs.delete(k) : t.allocJobs.set(k, value() as Job);
      break;
    }
    case 'nodes': {
      const id = parts[0] ?? '';
      t.nodes = del ? t.nodes.delete(id) : t.nodes.set(id, withIndexes(value() as Node, kv));
      break;
    }
    case 'deployments': {
      const id = parts[0] ?? '';
      const old = t.deployments.get(id);
      if (old) t.deploymentsByJob = removeFrom(t.deploymentsByJob, nsKey(old.Namespace, old.JobID), id);
      if (del) t.deployments = t.deployments.delete(id);
      else {
        const d = withIndexes(value() as Deployment, kv);
        t.deployments = t.deployments.set(id, d);
        t.deploymentsByJob = addTo(t.deploymentsByJob, nsKey(d.Namespace, d.JobID), id);
      }
      break;
    }
    case 'services': {
      const k = nsKey(parts[0] ?? '', parts[1] ?? '');
      const old = t.services.get(k);
      if (old) {
        t.servicesByName = removeFrom(t.servicesByName, nsKey(old.Namespace, old.ServiceName), k);
        t.servicesByAlloc = removeFrom(t.servicesByAlloc, old.AllocID, k);
        t.servicesByNode = removeFrom(t.servicesByNode, old.NodeID, k);
        t.servicesByJob = removeFrom(t.servicesByJob, nsKey(old.Namespace, old.JobID), k);
      }
      if (del) t.services = t.services.delete(k);
      else {
        const s = withIndexes(value() as ServiceRegistration, kv);
        t.services = t.services.set(k, s);
        t.servicesByName = addTo(t.servicesByName, nsKey(s.Namespace, s.ServiceName), k);
        t.servicesByAlloc = addTo(t.servicesByAlloc, s.AllocID, k);
        t.servicesByNode = addTo(t.servicesByNode, s.NodeID, k);
        t.servicesByJob = addTo(t.servicesByJob, nsKey(s.Namespace, s.JobID), k);
      }
      break;
    }
    case 'variables': {
      const k = nsKey(parts[0] ?? '', parts[1] ?? '');
      t.variables = del ? t.variables.delete(k) : t.variables.set(k, withIndexes(value() as StoredVariable, kv));
      break;
    }
    case 'periodic_launch': {
      const k = nsKey(parts[0] ?? '', parts[1] ?? '');
      t.periodicLaunch = del ? t.periodicLaunch.delete(k) : t.periodicLaunch.set(k, withIndexes(value() as PeriodicLaunch, kv));
      break;
    }
    case 'meta': {
      const k = parts[0] ?? '';
      t.meta = del ? t.meta.delete(k) : t.meta.set(k, value());
      break;
    }
  }
  return table;
}
