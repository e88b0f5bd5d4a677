// Child jobs of periodic and parameterized parents (`<id>/periodic-<unix>`, `<id>/dispatch-…`):
// deriving one from its parent, the ops that register it with its evaluation, whether a parent
// still has children at work (prohibit_overlap), and what stopping or purging the parent does to
// them. Shared by periodic.ts, dispatch.ts and jobs.ts; builds ops, never commits them.
import type { Op } from '../state/kv.js';
import { keys, THIS_WRITE } from '../state/schema.js';
import type { StateSnapshot } from '../state/snapshot.js';
import { isTerminalAlloc } from '../structs/alloc.js';
import { EvalTrigger, isTerminalEval, type Evaluation } from '../structs/eval.js';
import type { Job } from '../structs/job.js';
import { msToNanos } from '../structs/time.js';
import { newEval } from './evals.js';
import { jobStatus } from './job-status.js';
import { del, put } from './state-writer.js';

export const PERIODIC_LAUNCH_SUFFIX = '/periodic-';
export const DISPATCH_LAUNCH_SUFFIX = '/dispatch-';

/** A fresh copy of `parent` under `id`: version 0, not stopped, ParentID set. */
export function deriveChild(parent: Job, id: string, nowMs: number, over: Partial<Job> = {}): Job {
  return {
    ...structuredClone(parent),
    ID: id,
    Name: id,
    ParentID: parent.ID,
    Stop: false,
    Status: 'pending',
    StatusDescription: '',
    Stable: false,
    Version: 0,
    SubmitTime: msToNanos(nowMs),
    CreateIndex: THIS_WRITE,
    ModifyIndex: THIS_WRITE,
    JobModifyIndex: THIS_WRITE,
    ...over,
  };
}

/** Ops registering a derived child (job and version 0) with its evaluation. */
export function registerChildOps(child: Job, ev: Evaluation | undefined): Op[] {
  const ops = [put(keys.job(child.Namespace, child.ID), child), put(keys.jobVersion(child.Namespace, child.ID, child.Version), child)];
  if (ev) ops.push(put(keys.eval(ev.ID), ev));
  return ops;
}

/** Whether any child whose ID starts with `<parent>/<suffix>` has a non-terminal evaluation or allocation (Nomad's RunningChildren). */
export function hasActiveChildren(snap: StateSnapshot, parent: Pick<Job, 'Namespace' | 'ID'>, suffix = PERIODIC_LAUNCH_SUFFIX): boolean {
  const prefix = `${parent.ID}${suffix}`;
  for (const c of snap.childJobs(parent.Namespace, parent.ID)) {
    if (!c.ID.startsWith(prefix)) continue;
    if (snap.evalsByJob(c.Namespace, c.ID).some((e) => !isTerminalEval(e.Status))) return true;
    if (snap.allocsByJob(c.Namespace, c.ID).some((a) => !isTerminalAlloc(a))) return true;
  }
  return false;
}

/**
 * What stopping (or purging) a periodic or parameterized parent does to its children: each child
 * still at work is stopped with a deregister evaluation; with `purge`, every child is deleted with
 * its versions (those still at work get the evaluation that stops their allocations).
 */
export function deregisterChildrenOps(snap: StateSnapshot, parent: Pick<Job, 'Namespace' | 'ID'>, purge: boolean, nowMs: number): { ops: Op[]; evals: Evaluation[]; children: Job[] } {
  const ops: Op[] = [];
  const evals: Evaluation[] = [];
  const children: Job[] = [];
  for (const c of snap.childJobs(parent.Namespace, parent.ID)) {
    const allocs = snap.allocsByJob(c.Namespace, c.ID);
    const active = jobStatus(c, allocs, snap.evalsByJob(c.Namespace, c.ID)) !== 'dead';
    if (!purge && (c.Stop || !active)) continue;
    children.push(c);
    if (purge) {
      ops.push(del(keys.job(c.Namespace, c.ID)));
      for (const v of snap.jobVersions(c.Namespace, c.ID)) ops.push(del(keys.jobVersion(c.Namespace, c.ID, v.Version)));
    } else {
      const stopped: Job = { ...c, Stop: true, Version: c.Version + 1, ModifyIndex: THIS_WRITE, JobModifyIndex: THIS_WRITE, SubmitTime: msToNanos(nowMs), Stable: false };
      ops.push(put(keys.job(c.Namespace, c.ID), stopped), put(keys.jobVersion(c.Namespace, c.ID, stopped.Version), stopped));
    }
    if (active || allocs.some((a) => !isTerminalAlloc(a))) {
      const ev = newEval({ job: c, triggeredBy: EvalTrigger.JobDeregister, jobModifyIndex: THIS_WRITE, now: nowMs });
      ops.push(put(keys.eval(ev.ID), ev));
      evals.push(ev);
    }
  }
  return { ops, evals, children };
}
