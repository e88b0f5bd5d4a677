// `job plan` on the server (Nomad's Job.Plan): admit the submitted job as register would, run the
// scheduler for its type on the latest snapshot with the job substituted as if it had been
// registered, and answer with what the scheduler would do (per-group update counts, placement
// failures, evaluations it would create) and the annotated diff against the current version.
// It must never write: the scheduler runs against a recording, non-applying planner (the
// harness in dry-run mode), and the snapshot is only read.
import type { ApiJob } from '../jobspec/index.js';
import { Harness } from '../scheduler/harness.js';
import type { PlanAnnotations } from '../scheduler/planner.js';
import { newScheduler } from '../scheduler/registry.js';
import type { StateView } from '../scheduler/state-view.js';
import type { AllocMetric } from '../structs/alloc.js';
import { EvalTrigger, type Evaluation } from '../structs/eval.js';
import type { Job } from '../structs/job.js';
import { diffJobs, type JobDiff, type TaskDiff, type TaskGroupDiff } from '../structs/job-diff.js';
import { ZERO_TIME, type GoTime } from '../structs/time.js';
import type { ServerContext } from './context.js';
import { badRequest } from './errors.js';
import { newEval } from './evals.js';
import { admitJob, specChanged } from './jobs.js';
import { stateView } from './state-view.js';

export interface PlanRequest {
  job: ApiJob;
  /** Whether to compute the job diff. */
  diff: boolean;
  /** Accepted for compatibility; Roam has no Sentinel policies. */
  policyOverride?: boolean;
  namespace?: string;
}

export interface JobPlanResponse {
  Annotations: PlanAnnotations | null;
  FailedTGAllocs: Record<string, AllocMetric> | null;
  /** The current job's JobModifyIndex (0 for a new job): what `job run -check-index` expects. */
  JobModifyIndex: number;
  CreatedEvals: Evaluation[] | null;
  Diff: JobDiff | null;
  NextPeriodicLaunch: GoTime;
  Warnings: string;
  Index: number;
}

export const ANNOTATION_FORCES_CREATE = 'forces create';
export const ANNOTATION_FORCES_DESTROY = 'forces destroy';
export const ANNOTATION_FORCES_INPLACE_UPDATE = 'forces in-place update';
export const ANNOTATION_FORCES_DESTRUCTIVE_UPDATE = 'forces create/destroy update';

/** The update-type labels `job plan` prints per group, keyed by DesiredUpdates counter. */
const UPDATE_TYPES = [
  ['Ignore', 'ignore'],
  ['Place', 'create'],
  ['Migrate', 'migrate'],
  ['Stop', 'destroy'],
  ['Canary', 'canary'],
  ['InPlaceUpdate', 'in-place update'],
  ['DestructiveUpdate', 'create/destroy update'],
] as const;

/** Task changes that can be applied without replacing the allocation (Nomad's annotate). */
const INPLACE_OBJECTS = new Set(['Service', 'Constraint', 'Affinity', 'Spread']);

function annotateTask(t: TaskDiff, group: TaskGroupDiff): void {
  if (t.Type === 'None') return;
  if ((group.Type === 'Added' || group.Type === 'Deleted') && (t.Type === 'Added' || t.Type === 'Deleted')) {
    t.Annotations.push(t.Type === 'Added' ? ANNOTATION_FORCES_CREATE : ANNOTATION_FORCES_DESTROY);
    return;
  }
  const destructive =
    t.Fields.some((f) => f.Name !== 'KillTimeout') ||
    t.Objects.some((o) => (o.Name === 'LogConfig' ? o.Fields.some((f) => f.Name === 'Disabled') : !INPLACE_OBJECTS.has(o.Name)));
  t.Annotations.push(destructive ? ANNOTATION_FORCES_DESTRUCTIVE_UPDATE : ANNOTATION_FORCES_INPLACE_UPDATE);
}

/** Adds the scheduler's per-group counts and the "forces …" annotations to a diff (Nomad's scheduler.Annotate). */
export function annotateDiff(diff: JobDiff, annotations: PlanAnnotations | null): void {
  for (const g of diff.TaskGroups) {
    const u = annotations?.DesiredTGUpdates[g.Name];
    if (u !== undefined) for (const [k, label] of UPDATE_TYPES) if (u[k] !== 0) g.Updates[label] = u[k];
    const count = g.Fields.find((f) => f.Name === 'Count');
    if (count !== undefined) {
      const oldV = count.Old === '' ? 0 : Number(count.Old);
      const newV = count.New === '' ? 0 : Number(count.New);
      if (oldV < newV) count.Annotations.push(ANNOTATION_FORCES_CREATE);
      else if (newV < oldV) count.Annotations.push(ANNOTATION_FORCES_DESTROY);
    }
    for (const t of g.Tasks) annotateTask(t, g);
  }
}

/** The snapshot's view with `job` in place of the stored version. */
function withJob(view: StateView, job: Job): StateView {
  return { ...view, jobByID: (ns, id) => (ns === job.Namespace && id === job.ID ? job : view.jobByID(ns, id)) };
}

export async function planJob(ctx: ServerContext, req: PlanRequest): Promise<JobPlanResponse> {
  const { job: admitted, warnings } = admitJob(req.job, req.namespace);
  const snap = ctx.store.snapshot();
  const existing = snap.job(admitted.Namespace, admitted.ID) ?? null;
  if (existing !== null && existing.Type !== admitted.Type) throw badRequest(`cannot update job from type "${existing.Type}" to "${admitted.Type}"`);
  const now = ctx.now();
  // As register would store it: a changed spec becomes the next version; an unchanged one is the
  // stored job itself, so the scheduler sees no change and its deployment is reused.
  const changed = existing === null || existing.Stop || specChanged(existing, admitted);
  const updatedIndex = existing === null ? 0 : changed ? existing.JobModifyIndex + 1 : 0;
  const planned: Job = changed
    ? { ...admitted, Stop: false, Status: 'pending', StatusDescription: '', Stable: false, Version: existing === null ? 0 : existing.Version + 1, CreateIndex: existing?.CreateIndex ?? 0, ModifyIndex: updatedIndex, JobModifyIndex: updatedIndex }
    : existing;
  const ev: Evaluation = { ...newEval({ job: planned, triggeredBy: EvalTrigger.JobRegister, jobModifyIndex: updatedIndex, now }), AnnotatePlan: true };
  const recorder = new Harness({}, { dryRun: true, now });
  const scheduler = newScheduler(planned.Type, withJob(stateView(snap), planned), recorder, { now });
  if (scheduler === undefined) throw badRequest(`no scheduler for job type ${JSON.stringify(planned.Type)}`);
  await scheduler.process(ev);
  if (recorder.plans.length !== 1) throw new Error(`scheduler resulted in an unexpected number of plans: ${recorder.plans.length}`);
  const annotations = recorder.plans[0]?.Annotations ?? null;
  let diff: JobDiff | null = null;
  if (req.diff) {
    diff = diffJobs(existing, admitted, true);
    annotateDiff(diff, annotations);
  }
  const updated = recorder.updatedEvals[0] ?? recorder.reblockedEvals[0];
  const index = existing?.JobModifyIndex ?? 0;
  return {
    Annotations: annotations,
    FailedTGAllocs: updated?.FailedTGAllocs ?? null,
    JobModifyIndex: index,
    CreatedEvals: recorder.createdEvals.length > 0 ? recorder.createdEvals : null,
    Diff: diff,
    NextPeriodicLaunch: ZERO_TIME,
    Warnings: warnings.join('\n'),
    Index: index,
  };
}
