// Garbage collection (Nomad's core scheduler): terminal evaluations and their allocations, dead
// jobs, down nodes and finished deployments are deleted once older than their thresholds —
// periodically on the leader, and at once on `PUT /v1/system/gc` (force).
import type { Op } from '../state/kv.js';
import { keys } from '../state/schema.js';
import type { StateSnapshot } from '../state/snapshot.js';
import { isClientTerminal, isTerminalAlloc, type Allocation } from '../structs/alloc.js';
import { isActiveDeployment } from '../structs/deployment.js';
import { isTerminalEval, type Evaluation } from '../structs/eval.js';
import { isParameterized, isPeriodic, type Job } from '../structs/job.js';
import { nanosToMs } from '../structs/time.js';
import type { ServerConfig, ServerContext } from './context.js';
import { withStatus } from './job-status.js';
import { deleteJobHistoryOps } from './jobs.js';
import { del } from './state-writer.js';

export interface GCResult {
  evals: number;
  allocs: number;
  jobs: number;
  nodes: number;
  deployments: number;
}

/** An allocation the GC may delete: finished on the client, or never going to run. */
function allocGCable(a: Allocation): boolean {
  if (!isTerminalAlloc(a)) return false;
  if (a.ClientStatus === 'running' || a.ClientStatus === 'pending') return a.DesiredStatus !== 'run' && a.ClientStatus === 'pending';
  return isClientTerminal(a.ClientStatus) || a.ClientStatus === 'unknown';
}

function jobGCable(snap: StateSnapshot, job: Job): boolean {
  if (isPeriodic(job) || isParameterized(job)) return job.Stop;
  const status = withStatus(snap, job).Status;
  return status === 'dead' && (job.Stop || job.Type === 'batch' || job.Type === 'sysbatch');
}

/** Computes what to delete. `cutoff(kind)` is the oldest ModifyTime (ms) that is kept. */
export function planGC(snap: StateSnapshot, cfg: ServerConfig, now: number, force: boolean): { ops: Op[]; result: GCResult } {
  const ops: Op[] = [];
  const result: GCResult = { evals: 0, allocs: 0, jobs: 0, nodes: 0, deployments: 0 };
  const old = (ns: number, threshold: number): boolean => force || nanosToMs(ns) < now - threshold;
  const deletedAllocs = new Set<string>();
  const deleteAlloc = (a: Allocation): void => {
    if (deletedAllocs.has(a.ID)) return;
    deletedAllocs.add(a.ID);
    ops.push(del(keys.alloc(a.ID)));
    for (const s of snap.servicesByAlloc(a.ID)) ops.push(del(keys.service(s.Namespace, s.ID)));
    result.allocs++;
  };
  const deletedEvals = new Set<string>();
  const deleteEval = (e: Evaluation): void => {
    if (deletedEvals.has(e.ID)) return;
    deletedEvals.add(e.ID);
    ops.push(del(keys.eval(e.ID)));
    result.evals++;
  };

  // Jobs first: a GC-able job takes its evaluations and allocations with it.
  for (const job of snap.jobs('*')) {
    if (!jobGCable(snap, job) || !old(job.SubmitTime, cfg.jobGCThreshold)) continue;
    const evals = snap.evalsByJob(job.Namespace, job.ID);
    const allocs = snap.allocsByJob(job.Namespace, job.ID);
    if (!evals.every((e) => isTerminalEval(e.Status)) || !allocs.every(allocGCable)) continue;
    if (snap.childJobs(job.Namespace, job.ID).some((c) => !jobGCable(snap, c))) continue;
    ops.push(del(keys.job(job.Namespace, job.ID)));
    ops.push(...deleteJobHistoryOps(snap, job.Namespace, job.ID));
    if (snap.periodicLaunch(job.Namespace, job.ID)) ops.push(del(keys.periodicLaunch(job.Namespace, job.ID)));
    evals.forEach(deleteEval);
    allocs.forEach(deleteAlloc);
    result.jobs++;
  }

  // Terminal evaluations whose allocations are all finished.
  for (const e of snap.evals('*')) {
    if (deletedEvals.has(e.ID) || !isTerminalEval(e.Status)) continue;
    const job = snap.job(e.Namespace, e.JobID);
    const threshold = e.Type === 'batch' ? cfg.batchEvalGCThreshold : cfg.evalGCThreshold;
    if (!old(e.ModifyTime, threshold)) continue;
    const allocs = snap.allocsByEval(e.ID);
    if (!allocs.every(allocGCable)) continue;
    // Batch jobs that still exist keep the allocations of their current version (they count toward completion).
    if (job && !job.Stop && job.Type === 'batch' && allocs.some((a) => a.Job?.Version === job.Version)) continue;
    deleteEval(e);
    allocs.forEach(deleteAlloc);
  }

  // Allocations of deleted jobs that no remaining eval covers.
  for (const a of snap.allocs('*')) {
    if (deletedAllocs.has(a.ID)) continue;
    if (!snap.job(a.Namespace, a.JobID) && allocGCable(a) && old(a.ModifyTime, cfg.evalGCThreshold)) deleteAlloc(a);
  }

  for (const n of snap.nodes()) {
    if (n.Status !== 'down') continue;
    if (!force && n.StatusUpdatedAt * 1000 >= now - cfg.nodeGCThreshold) continue;
    if (snap.allocsByNode(n.ID, false).some((a) => !deletedAllocs.has(a.ID))) continue;
    ops.push(del(keys.node(n.ID)));
    result.nodes++;
  }

  for (const d of snap.deployments('*')) {
    if (isActiveDeployment(d.Status) || !old(d.ModifyTime, cfg.deploymentGCThreshold)) continue;
    if (snap.allocsByDeployment(d.ID).some((a) => !deletedAllocs.has(a.ID) && !allocGCable(a))) continue;
    ops.push(del(keys.deployment(d.ID)));
    result.deployments++;
  }

  // Stored job versions no allocation points at any more.
  const referenced = new Set<string>();
  for (const a of snap.allocs('*')) {
    if (deletedAllocs.has(a.ID) || !a.Job) continue;
    referenced.add(keys.allocJob(a.Job.Namespace, a.Job.ID, a.Job.Version, a.Job.JobModifyIndex));
  }
  for (const k of snap.allocJobKeys()) {
    const [ns = '', id = '', ver = ''] = k.split('\u0000');
    const [version, jmi] = ver.split('@').map(Number);
    const key = keys.allocJob(ns, id, version ?? 0, jmi ?? 0);
    if (!referenced.has(key)) ops.push(del(key));
  }
  return { ops, result };
}

export async function runGC(ctx: ServerContext, force: boolean): Promise<GCResult> {
  const committed = await ctx.writer.txn((snap) => planGC(snap, ctx.config, ctx.now(), force));
  const r = committed.result;
  if (r.evals + r.allocs + r.jobs + r.nodes + r.deployments > 0) ctx.logger.debug('garbage collected', { ...r });
  return r;
}
