// Evaluations the scheduler writes: follow-ups for delayed rescheduling, blocked evaluations for
// allocations that could not be placed, and the final status of the evaluation it processed.
// Status texts are Nomad's.
import type { AllocMetric, Evaluation, Job } from '../structs/index.js';
import { newEvaluation } from '../structs/eval.js';

export { newEvaluation };

export const DESC_BLOCKED_EVAL_MAX_PLAN = 'created due to placement conflicts';
export const DESC_BLOCKED_EVAL_FAILED_PLACEMENTS = 'created to place remaining allocations';
export const DESC_RESCHEDULING_FOLLOWUP_EVAL = 'created for delayed rescheduling';

export const STATUS_ALLOC_NOT_NEEDED = 'alloc not needed due to job update';
export const STATUS_ALLOC_MIGRATING = 'alloc is being migrated';
export const STATUS_ALLOC_UPDATING = 'alloc is being updated due to job update';
export const STATUS_ALLOC_LOST = 'alloc is lost since its node is down';
export const STATUS_ALLOC_IN_PLACE = 'alloc updating in-place';
export const STATUS_ALLOC_NODE_TAINTED = 'alloc not needed as node is tainted';
export const STATUS_ALLOC_RESCHEDULED = 'alloc was rescheduled because it failed';

/** A follow-up evaluation that waits until `waitUntil` (Go time). */
export function followupEval(id: string, job: Job, priority: number, trigger: string, waitUntil: string, nowNs: number): Evaluation {
  return newEvaluation({ ID: id, Namespace: job.Namespace, Priority: priority, Type: job.Type, TriggeredBy: trigger, JobID: job.ID, JobModifyIndex: job.ModifyIndex, Status: 'pending', StatusDescription: DESC_RESCHEDULING_FOLLOWUP_EVAL, WaitUntil: waitUntil, CreateTime: nowNs, ModifyTime: nowNs });
}

/** Nomad's Evaluation.CreateBlockedEval. */
export function blockedEval(id: string, parent: Evaluation, classEligibility: Record<string, boolean> | null, escaped: boolean, failed: Record<string, AllocMetric> | null, nowNs: number): Evaluation {
  return newEvaluation({
    ID: id,
    Namespace: parent.Namespace,
    Priority: parent.Priority,
    Type: parent.Type,
    TriggeredBy: 'queued-allocs',
    JobID: parent.JobID,
    JobModifyIndex: parent.JobModifyIndex,
    Status: 'blocked',
    PreviousEval: parent.ID,
    FailedTGAllocs: failed,
    ClassEligibility: classEligibility,
    EscapedComputedClass: escaped,
    CreateTime: nowNs,
    ModifyTime: nowNs,
  });
}
