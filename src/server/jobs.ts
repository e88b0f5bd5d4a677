// The logic behind the job endpoints (Nomad's Job.* RPCs): register with Nomad's admission steps
// (canonicalize, validate, enforce-index, type-change and spec-change checks), deregister (stop or
// purge), versions, revert, and forced evaluation. Every change is one state transaction. The
// source a version was submitted from (Nomad's JobSubmission) is stored beside the version and
// goes with it; a version created without one by a stop or a revert inherits the source of the
// version it was made from, as Nomad's state store does.
import { canonicalizeJob, jobWarnings, validateJob, type ApiJob } from '../jobspec/index.js';
import { keys, storedAlloc, THIS_WRITE } from '../state/schema.js';
import type { StateSnapshot } from '../state/snapshot.js';
import { EvalTrigger, type Evaluation } from '../structs/eval.js';
import { isParameterized, isPeriodic, JOB_MAX_PRIORITY, JOB_TRACKED_VERSIONS, type Job } from '../structs/job.js';
import { humanBytes, JOB_MAX_SOURCE_SIZE, submissionSize, type JobSubmission, type JobSubmissionInput } from '../structs/job-submission.js';
import { msToNanos } from '../structs/time.js';
import type { ServerContext } from './context.js';
import { badRequest, conflict, notFound } from './errors.js';
import { unknownJobFields } from './unknown-fields.js';
import { deregisterChildrenOps } from './child-jobs.js';
import { newEval } from './evals.js';
import type { Op } from '../state/kv.js';
import { del, put, unchanged } from './state-writer.js';

export interface RegisterRequest {
  job: ApiJob;
  enforceIndex?: boolean;
  jobModifyIndex?: number;
  evalPriority?: number;
  /** Namespace and region from the query string, used when the job names none. */
  namespace?: string;
  /** The job file the job was parsed from (`Submission` of the request), if the client sent it. */
  submission?: JobSubmissionInput | null;
}

export interface RegisterResponse {
  EvalID: string;
  EvalCreateIndex: number;
  JobModifyIndex: number;
  Warnings: string;
  Index: number;
  LastContact: number;
  KnownLeader: boolean;
}

/** Fields that change without the job's specification changing (Nomad's Job.SpecChanged ignores them). */
const NON_SPEC_FIELDS = ['Status', 'StatusDescription', 'Stable', 'Version', 'SubmitTime', 'CreateIndex', 'ModifyIndex', 'JobModifyIndex', 'VersionTag'] as const;

export function specOf(job: Job): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...job };
  for (const f of NON_SPEC_FIELDS) delete copy[f];
  return copy;
}

export function specChanged(a: Job, b: Job): boolean {
  return JSON.stringify(specOf(a)) !== JSON.stringify(specOf(b));
}

/** Canonicalizes and validates an API job; throws a 400 listing every problem. */
export function admitJob(input: ApiJob, namespace?: string): { job: Job; warnings: string[] } {
  if (input === null || typeof input !== 'object') throw badRequest('Job must be specified');
  if (!input.ID) throw badRequest('Job ID hasn\'t been provided');
  const withNs: ApiJob = namespace && !input.Namespace ? { ...input, Namespace: namespace } : input;
  let job: Job;
  try {
    job = canonicalizeJob(withNs);
  } catch (err) {
    throw badRequest(`Invalid job: ${(err as Error).message}`);
  }
  const errors = validateJob(job);
  if (errors.length) {
    const lines = errors.map((e) => `\t* ${e.path ? `${e.path}: ` : ''}${e.message}`);
    throw badRequest(`Job validation failed: ${errors.length} error${errors.length === 1 ? '' : 's'} occurred:\n${lines.join('\n')}\n`);
  }
  return { job, warnings: [...unknownJobFields(input), ...jobWarnings(job)] };
}

/** Version rows to delete so that at most JOB_TRACKED_VERSIONS remain, keeping the newest stable one. */
function versionsToTrim(snap: StateSnapshot, job: Job, newVersion: number): number[] {
  const versions = snap.jobVersions(job.Namespace, job.ID).filter((v) => v.Version !== newVersion);
  const keep = JOB_TRACKED_VERSIONS - 1;
  if (versions.length <= keep) return [];
  const stable = versions.find((v) => v.Stable);
  const sorted = [...versions].sort((a, b) => b.Version - a.Version);
  const kept = new Set(sorted.slice(0, keep).map((v) => v.Version));
  if (stable && !kept.has(stable.Version)) {
    const oldestKept = sorted[keep - 1];
    if (oldestKept) kept.delete(oldestKept.Version);
    kept.add(stable.Version);
  }
  return versions.filter((v) => !kept.has(v.Version)).map((v) => v.Version);
}

/** A submission over the size limit is dropped (the job is still registered), with Nomad's warning. */
export function admitSubmission(sub: JobSubmissionInput | null | undefined, maxSize = JOB_MAX_SOURCE_SIZE): { submission: JobSubmissionInput | undefined; warning?: string } {
  if (!sub) return { submission: undefined };
  const size = submissionSize(sub);
  if (size > maxSize) return { submission: undefined, warning: `job source size of ${humanBytes(size)} exceeds maximum of ${humanBytes(maxSize)} and will be discarded` };
  return { submission: sub };
}

/** The op storing `sub` as the source of `job`'s (new) version. */
function putSubmission(job: Job, sub: JobSubmissionInput): Op {
  const stored: JobSubmission = {
    Source: sub.Source,
    Format: sub.Format,
    VariableFlags: sub.VariableFlags && Object.keys(sub.VariableFlags).length ? sub.VariableFlags : null,
    Variables: sub.Variables,
    Namespace: job.Namespace,
    JobID: job.ID,
    Version: job.Version,
    JobModifyIndex: THIS_WRITE,
  };
  return put(keys.jobSubmission(job.Namespace, job.ID, job.Version), stored);
}

/**
 * The source a registration without one inherits: that of the earlier version it names (a revert,
 * the UI's start), as Nomad's state store does — but only when the job is that version's
 * specification (Stop aside), so a changed job registered without its file never shows a stale one.
 */
function inheritedSubmission(snap: StateSnapshot, existing: Job | undefined, admitted: Job): JobSubmission | undefined {
  if (!existing || admitted.Version > existing.Version) return undefined;
  const named = snap.jobVersion(admitted.Namespace, admitted.ID, admitted.Version);
  if (!named || specChanged({ ...named, Stop: false }, { ...admitted, Stop: false })) return undefined;
  return snap.jobSubmission(admitted.Namespace, admitted.ID, admitted.Version);
}

/** Deletes a job version and the source it was submitted from. */
function deleteVersion(snap: StateSnapshot, ns: string, id: string, version: number): Op[] {
  const ops = [del(keys.jobVersion(ns, id, version))];
  if (snap.jobSubmission(ns, id, version)) ops.push(del(keys.jobSubmission(ns, id, version)));
  return ops;
}

/** Deletes every version of a job and their sources (purge, garbage collection). */
export function deleteJobHistoryOps(snap: StateSnapshot, ns: string, id: string): Op[] {
  const ops = snap.jobVersions(ns, id).map((v) => del(keys.jobVersion(ns, id, v.Version)));
  for (const v of snap.jobSubmissionVersions(ns, id)) ops.push(del(keys.jobSubmission(ns, id, v)));
  return ops;
}

export class JobEndpoints {
  constructor(private readonly ctx: ServerContext) {}

  async register(req: RegisterRequest): Promise<RegisterResponse> {
    const { job: admitted, warnings } = admitJob(req.job, req.namespace);
    const { submission, warning: sourceWarning } = admitSubmission(req.submission);
    if (sourceWarning) warnings.push(sourceWarning);
    if (req.evalPriority !== undefined && req.evalPriority !== 0 && (req.evalPriority < 1 || req.evalPriority > JOB_MAX_PRIORITY)) {
      throw badRequest(`Eval priority must be between 1 and ${JOB_MAX_PRIORITY}`);
    }
    const now = this.ctx.now();
    const committed = await this.ctx.writer.txn((snap) => {
      const existing = snap.job(admitted.Namespace, admitted.ID);
      if (req.enforceIndex) {
        const have = existing?.JobModifyIndex ?? 0;
        if ((req.jobModifyIndex ?? 0) === 0 && existing) throw conflict(`Enforcing job modify index ${req.jobModifyIndex ?? 0}: job already exists`);
        if ((req.jobModifyIndex ?? 0) !== 0 && !existing) throw conflict(`Enforcing job modify index ${req.jobModifyIndex}: job does not exist`);
        if (existing && have !== req.jobModifyIndex) throw conflict(`Enforcing job modify index ${req.jobModifyIndex}: job exists with conflicting job modify index: ${have}`);
      }
      if (existing && existing.Type !== admitted.Type) throw badRequest(`cannot update job from type "${existing.Type}" to "${admitted.Type}"`);
      const jobKey = keys.job(admitted.Namespace, admitted.ID);
      const ops = [];
      let job: Job;
      const changed = !existing || existing.Stop || specChanged(existing, admitted);
      if (changed) {
        job = {
          ...admitted,
          Stop: false,
          Status: 'pending',
          StatusDescription: '',
          Stable: false,
          Version: existing ? existing.Version + 1 : 0,
          SubmitTime: msToNanos(now),
          CreateIndex: existing?.CreateIndex ?? THIS_WRITE,
          ModifyIndex: THIS_WRITE,
          JobModifyIndex: THIS_WRITE,
        };
        ops.push(put(jobKey, job), put(keys.jobVersion(job.Namespace, job.ID, job.Version), job));
        const source = submission ?? inheritedSubmission(snap, existing, admitted);
        if (source) ops.push(putSubmission(job, source));
        for (const v of versionsToTrim(snap, job, job.Version)) ops.push(...deleteVersion(snap, job.Namespace, job.ID, v));
      } else {
        job = existing;
      }
      // Nomad records when a periodic job was inserted, so a launch missed before the first one is detected after a restart.
      if (isPeriodic(job) && !snap.periodicLaunch(job.Namespace, job.ID)) ops.push(put(keys.periodicLaunch(job.Namespace, job.ID), { Namespace: job.Namespace, ID: job.ID, Launch: msToNanos(now), CreateIndex: 0, ModifyIndex: 0 }));
      let ev: Evaluation | undefined;
      if (!isPeriodic(job) && !isParameterized(job)) {
        ev = newEval({ job, triggeredBy: EvalTrigger.JobRegister, jobModifyIndex: changed ? THIS_WRITE : job.JobModifyIndex, now, ...(req.evalPriority ? { priority: req.evalPriority } : {}) });
        ops.push(put(keys.eval(ev.ID), ev));
      }
      return { ops, compares: [unchanged(jobKey, existing?.ModifyIndex ?? 0)], result: { ev, job } };
    });
    const snap = committed.snapshot;
    const ev = committed.result.ev ? snap.eval(committed.result.ev.ID) : undefined;
    const job = snap.job(admitted.Namespace, admitted.ID);
    if (ev) this.ctx.evalsWritten([ev]);
    this.ctx.jobRegistered?.(job ?? admitted);
    return {
      EvalID: ev?.ID ?? '',
      EvalCreateIndex: ev?.CreateIndex ?? 0,
      JobModifyIndex: job?.JobModifyIndex ?? 0,
      Warnings: warnings.join('\n'),
      Index: committed.revision,
      LastContact: 0,
      KnownLeader: true,
    };
  }

  /** Stops a job (a new, stopped version) or purges it with its versions; creates the deregister evaluation. */
  async deregister(namespace: string, id: string, opts: { purge: boolean; evalPriority?: number }): Promise<{ EvalID: string; EvalCreateIndex: number; JobModifyIndex: number; Index: number }> {
    const now = this.ctx.now();
    const committed = await this.ctx.writer.txn((snap) => {
      const existing = snap.job(namespace, id);
      if (!existing && !opts.purge) throw notFound('job not found');
      const jobKey = keys.job(namespace, id);
      const ops = [];
      if (existing && opts.purge) {
        ops.push(del(jobKey), ...deleteJobHistoryOps(snap, namespace, id));
        const launch = snap.periodicLaunch(namespace, id);
        if (launch) ops.push(del(keys.periodicLaunch(namespace, id)));
      } else if (existing && !existing.Stop) {
        const stopped: Job = { ...existing, Stop: true, Version: existing.Version + 1, ModifyIndex: THIS_WRITE, JobModifyIndex: THIS_WRITE, SubmitTime: msToNanos(now), Stable: false };
        ops.push(put(jobKey, stopped), put(keys.jobVersion(namespace, id, stopped.Version), stopped));
        const source = snap.jobSubmission(namespace, id, existing.Version);
        if (source) ops.push(putSubmission(stopped, source));
        for (const v of versionsToTrim(snap, stopped, stopped.Version)) ops.push(...deleteVersion(snap, namespace, id, v));
      }
      // Stopping or purging a periodic or parameterized parent stops (or purges) its children.
      const children = existing && (isPeriodic(existing) || isParameterized(existing)) ? deregisterChildrenOps(snap, existing, opts.purge, now) : { ops: [], evals: [], children: [] };
      ops.push(...children.ops);
      let ev: Evaluation | undefined;
      if (!existing || !(isPeriodic(existing) || isParameterized(existing))) {
        const forEval = existing ?? { ID: id, Namespace: namespace, Priority: 50, Type: 'service' };
        ev = newEval({ job: forEval, triggeredBy: EvalTrigger.JobDeregister, jobModifyIndex: ops.length ? THIS_WRITE : (existing?.JobModifyIndex ?? 0), now, ...(opts.evalPriority ? { priority: opts.evalPriority } : {}) });
        ops.push(put(keys.eval(ev.ID), ev));
      }
      return { ops, compares: [unchanged(jobKey, existing?.ModifyIndex ?? 0)], result: { ev, existing, children } };
    });
    const { children } = committed.result;
    const ev = committed.result.ev ? committed.snapshot.eval(committed.result.ev.ID) : undefined;
    const evs = [ev, ...children.evals].flatMap((e) => (e ? (committed.snapshot.eval(e.ID) ?? []) : []));
    if (evs.length) this.ctx.evalsWritten(evs);
    const after = committed.snapshot.job(namespace, id);
    this.ctx.jobDeregistered?.(namespace, id, opts.purge);
    for (const c of children.children) this.ctx.jobDeregistered?.(c.Namespace, c.ID, opts.purge);
    return { EvalID: ev?.ID ?? '', EvalCreateIndex: ev?.CreateIndex ?? 0, JobModifyIndex: after?.JobModifyIndex ?? committed.result.existing?.JobModifyIndex ?? 0, Index: committed.revision };
  }

  /** Creates an evaluation for the job now (`nomad job eval`); ForceReschedule marks failed allocs for rescheduling. */
  async evaluate(namespace: string, id: string, opts: { forceReschedule: boolean }): Promise<{ EvalID: string; EvalCreateIndex: number; JobModifyIndex: number; Index: number }> {
    const now = this.ctx.now();
    const committed = await this.ctx.writer.txn((snap) => {
      const job = snap.job(namespace, id);
      if (!job) throw notFound('job not found');
      if (isPeriodic(job)) throw badRequest("can't evaluate periodic job");
      if (isParameterized(job)) throw badRequest("can't evaluate parameterized job");
      const ops = [];
      if (opts.forceReschedule) {
        for (const a of snap.allocsByJob(namespace, id)) {
          if (a.ClientStatus === 'failed' && a.DesiredStatus === 'run' && !a.NextAllocation) {
            ops.push(put(keys.alloc(a.ID), storedAlloc({ ...a, DesiredTransition: { ...a.DesiredTransition, ForceReschedule: true } })));
          }
        }
      }
      const ev = newEval({ job, triggeredBy: EvalTrigger.JobRegister, jobModifyIndex: job.JobModifyIndex, now });
      ops.push(put(keys.eval(ev.ID), ev));
      return { ops, result: { ev, job } };
    });
    const ev = committed.snapshot.eval(committed.result.ev.ID);
    if (ev) this.ctx.evalsWritten([ev]);
    return { EvalID: committed.result.ev.ID, EvalCreateIndex: ev?.CreateIndex ?? committed.revision, JobModifyIndex: committed.result.job.JobModifyIndex, Index: committed.revision };
  }

  /** Re-registers an earlier version's specification as a new version. */
  async revert(namespace: string, id: string, version: number, enforcePriorVersion?: number): Promise<RegisterResponse> {
    const snap = this.ctx.store.snapshot();
    const current = snap.job(namespace, id);
    if (!current) throw notFound('job not found');
    if (enforcePriorVersion !== undefined && current.Version !== enforcePriorVersion) {
      throw badRequest(`Current job has version ${current.Version}; enforcing version ${enforcePriorVersion}`);
    }
    if (version === current.Version) throw badRequest(`can't revert to current version`);
    const target = snap.jobVersion(namespace, id, version);
    if (!target) throw notFound(`job ${JSON.stringify(id)} in namespace ${JSON.stringify(namespace)} at version ${version} not found`);
    return this.register({ job: { ...target, Stop: false } as ApiJob, enforceIndex: true, jobModifyIndex: current.JobModifyIndex });
  }
}
