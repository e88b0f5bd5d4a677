// Job status and job summaries, derived from state on read as Nomad's state store maintains them:
// a job is running while it has a non-terminal allocation (or always, for system, periodic and
// parameterized jobs until stopped), pending while an evaluation is outstanding, dead after.
import { isTerminalAlloc, type Allocation } from '../structs/alloc.js';
import { isTerminalEval, type Evaluation } from '../structs/eval.js';
import { isParameterized, isPeriodic, type Job, type JobListStub, type JobStatus } from '../structs/job.js';
import { emptyTaskGroupSummary, type JobChildrenSummary, type JobSummary } from '../structs/job-summary.js';
import type { StateSnapshot } from '../state/snapshot.js';

export function jobStatus(job: Job, allocs: readonly Allocation[], evals: readonly Evaluation[]): JobStatus {
  if (job.Type === 'system' || isParameterized(job) || isPeriodic(job)) return job.Stop ? 'dead' : 'running';
  let hasAlloc = false;
  for (const a of allocs) {
    hasAlloc = true;
    if (!isTerminalAlloc(a)) return 'running';
  }
  let hasEval = false;
  for (const e of evals) {
    hasEval = true;
    if (!isTerminalEval(e.Status)) return 'pending';
  }
  return hasEval || hasAlloc || job.Stop ? 'dead' : 'pending';
}

/** The job with its derived Status, as the API returns it. */
export function withStatus(snap: StateSnapshot, job: Job): Job {
  const status = jobStatus(job, snap.allocsByJob(job.Namespace, job.ID), snap.evalsByJob(job.Namespace, job.ID));
  return status === job.Status ? job : { ...job, Status: status };
}

export function jobSummary(snap: StateSnapshot, job: Job): JobSummary {
  const summary: JobSummary['Summary'] = {};
  for (const tg of job.TaskGroups) summary[tg.Name] = emptyTaskGroupSummary();
  for (const a of snap.allocsByJob(job.Namespace, job.ID)) {
    const s = (summary[a.TaskGroup] ??= emptyTaskGroupSummary());
    switch (a.ClientStatus) {
      case 'pending':
        if (a.DesiredStatus === 'run') s.Starting++;
        break;
      case 'running':
        s.Running++;
        break;
      case 'complete':
        s.Complete++;
        break;
      case 'failed':
        s.Failed++;
        break;
      case 'lost':
        s.Lost++;
        break;
      case 'unknown':
        s.Unknown++;
        break;
    }
  }
  // Queued comes from the newest evaluation that recorded what it could not place.
  let latest: Evaluation | undefined;
  for (const e of snap.evalsByJob(job.Namespace, job.ID)) {
    if (e.QueuedAllocations !== null && e.Status !== 'canceled' && (!latest || e.ModifyIndex > latest.ModifyIndex)) latest = e;
  }
  if (latest?.QueuedAllocations) for (const [tg, n] of Object.entries(latest.QueuedAllocations)) if (summary[tg]) summary[tg].Queued = n;
  let children: JobChildrenSummary | null = null;
  if (isPeriodic(job) || isParameterized(job)) {
    children = { Pending: 0, Running: 0, Dead: 0 };
    for (const c of snap.childJobs(job.Namespace, job.ID)) {
      const st = withStatus(snap, c).Status;
      if (st === 'pending') children.Pending++;
      else if (st === 'running') children.Running++;
      else children.Dead++;
    }
  }
  return { JobID: job.ID, Namespace: job.Namespace, Summary: summary, Children: children, CreateIndex: job.CreateIndex, ModifyIndex: Math.max(job.ModifyIndex, snap.maxIndex('allocs', 'evals')) };
}

export function jobListStub(snap: StateSnapshot, job: Job, withSummary = true): JobListStub {
  const j = withStatus(snap, job);
  return {
    ID: j.ID,
    ParentID: j.ParentID,
    Name: j.Name,
    Namespace: j.Namespace,
    Datacenters: j.Datacenters,
    NodePool: j.NodePool,
    Multiregion: j.Multiregion,
    Type: j.Type,
    Priority: j.Priority,
    Periodic: isPeriodic(j),
    ParameterizedJob: isParameterized(j),
    Stop: j.Stop,
    Status: j.Status,
    StatusDescription: j.StatusDescription,
    JobSummary: withSummary ? jobSummary(snap, j) : null,
    CreateIndex: j.CreateIndex,
    ModifyIndex: j.ModifyIndex,
    JobModifyIndex: j.JobModifyIndex,
    SubmitTime: j.SubmitTime,
    Meta: j.Meta,
  };
}
