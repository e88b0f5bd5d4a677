// Evaluations — the unit of scheduling work — in Nomad's JSON shape. Note the spelling: an
// evaluation is "canceled" (one l) while a deployment is "cancelled".
import type { AllocMetric } from './alloc.js';
import type { Nanos } from './duration.js';
import type { GoTime, UnixNanos } from './time.js';
import { ZERO_TIME } from './time.js';

export const EVAL_STATUSES = ['blocked', 'pending', 'complete', 'failed', 'canceled'] as const;
export type EvalStatus = (typeof EVAL_STATUSES)[number];

/** What created an evaluation (Evaluation.TriggeredBy). */
export const EvalTrigger = {
  JobRegister: 'job-register',
  JobDeregister: 'job-deregister',
  PeriodicJob: 'periodic-job',
  NodeDrain: 'node-drain',
  NodeUpdate: 'node-update',
  AllocStop: 'alloc-stop',
  Scheduled: 'scheduled',
  RollingUpdate: 'rolling-update',
  DeploymentWatcher: 'deployment-watcher',
  FailedFollowUp: 'failed-follow-up',
  MaxPlanAttempts: 'max-plan-attempts',
  RetryFailedAlloc: 'alloc-failure',
  QueuedAllocs: 'queued-allocs',
  Preemption: 'preemption',
  JobScaling: 'job-scaling',
  MaxDisconnectTimeout: 'max-disconnect-timeout',
  Reconnect: 'reconnect',
  AllocReschedule: 'alloc-reschedule',
} as const;
export type EvalTriggerName = (typeof EvalTrigger)[keyof typeof EvalTrigger];

export interface Evaluation {
  ID: string;
  Namespace: string;
  Priority: number;
  Type: string;
  TriggeredBy: string;
  JobID: string;
  JobModifyIndex: number;
  NodeID: string;
  NodeModifyIndex: number;
  DeploymentID: string;
  Status: EvalStatus;
  StatusDescription: string;
  Wait: Nanos;
  WaitUntil: GoTime;
  NextEval: string;
  PreviousEval: string;
  BlockedEval: string;
  RelatedEvals?: unknown[] | null;
  FailedTGAllocs: Record<string, AllocMetric> | null;
  ClassEligibility: Record<string, boolean> | null;
  QuotaLimitReached: string;
  EscapedComputedClass: boolean;
  AnnotatePlan: boolean;
  QueuedAllocations: Record<string, number> | null;
  LeaderACL: string;
  SnapshotIndex: number;
  CreateIndex: number;
  ModifyIndex: number;
  CreateTime: UnixNanos;
  ModifyTime: UnixNanos;
}

export function isTerminalEval(status: EvalStatus): boolean {
  return status === 'complete' || status === 'failed' || status === 'canceled';
}

/** A complete evaluation with Nomad's zero values, for the fields given. */
export function newEvaluation(fields: Partial<Evaluation> & Pick<Evaluation, 'ID' | 'Namespace' | 'Priority' | 'Type' | 'TriggeredBy' | 'JobID' | 'Status'>): Evaluation {
  return {
    JobModifyIndex: 0,
    NodeID: '',
    NodeModifyIndex: 0,
    DeploymentID: '',
    StatusDescription: '',
    Wait: 0,
    WaitUntil: ZERO_TIME,
    NextEval: '',
    PreviousEval: '',
    BlockedEval: '',
    FailedTGAllocs: null,
    ClassEligibility: null,
    QuotaLimitReached: '',
    EscapedComputedClass: false,
    AnnotatePlan: false,
    QueuedAllocations: null,
    LeaderACL: '',
    SnapshotIndex: 0,
    CreateIndex: 0,
    ModifyIndex: 0,
    CreateTime: 0,
    ModifyTime: 0,
    ...fields,
  };
}
