// Building evaluations the way Nomad's endpoints do (job register/deregister, node updates,
// forced evaluations), so every creator fills the same fields.
import { newEvaluation, type Evaluation } from '../structs/eval.js';
import { generateUUID } from '../structs/ids.js';
import type { Job } from '../structs/job.js';
import { msToNanos } from '../structs/time.js';

export function newEval(p: { job: Pick<Job, 'ID' | 'Namespace' | 'Priority' | 'Type'>; triggeredBy: string; jobModifyIndex: number; now: number; priority?: number; nodeID?: string; nodeModifyIndex?: number; status?: Evaluation['Status'] }): Evaluation {
  const t = msToNanos(p.now);
  return newEvaluation({
    ID: generateUUID(),
    Namespace: p.job.Namespace,
    Priority: p.priority ?? p.job.Priority,
    Type: p.job.Type,
    TriggeredBy: p.triggeredBy,
    JobID: p.job.ID,
    JobModifyIndex: p.jobModifyIndex,
    NodeID: p.nodeID ?? '',
    NodeModifyIndex: p.nodeModifyIndex ?? 0,
    Status: p.status ?? 'pending',
    CreateTime: t,
    ModifyTime: t,
  });
}
