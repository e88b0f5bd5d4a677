// Dispatching a parameterized job (Nomad's Job.Dispatch): validate the request against the
// parent's parameterized block, then register the child `<parent>/dispatch-[<template>-]<unix>-<8 hex>`
// with its evaluation in one transaction. A rejected request writes nothing; a repeated
// idempotency token returns the child it created before.
import { EvalTrigger, type Evaluation } from '../structs/eval.js';
import { generateUUID } from '../structs/ids.js';
import { DISPATCH_PAYLOAD_SIZE_LIMIT, isParameterized, isPeriodic, JOB_MAX_PRIORITY, type Job, type ParameterizedJobConfig } from '../structs/job.js';
import type { ServerContext } from './context.js';
import { deriveChild, DISPATCH_LAUNCH_SUFFIX, registerChildOps } from './child-jobs.js';
import { badRequest, notFound } from './errors.js';
import { newEval } from './evals.js';
import { THIS_WRITE } from '../state/schema.js';

export interface DispatchRequest {
  namespace: string;
  jobID: string;
  /** The raw payload (decoded from the request's base64). */
  payload: Uint8Array;
  meta: Record<string, string>;
  idempotencyToken: string;
  idPrefixTemplate: string;
  /** 0 = the parent's priority. */
  priority: number;
}

export interface DispatchResponse {
  DispatchedJobID: string;
  EvalID: string;
  EvalCreateIndex: number;
  JobCreateIndex: number;
  Index: number;
}

/** Nomad's validateDispatchRequest: the first rule the request breaks, naming the keys involved. */
export function dispatchRequestError(p: ParameterizedJobConfig, payloadBytes: number, meta: Record<string, string>): string | undefined {
  const hasPayload = payloadBytes > 0;
  if (p.Payload === 'required' && !hasPayload) return 'Payload is not provided but required by parameterized job';
  if (p.Payload === 'forbidden' && hasPayload) return 'Payload provided but forbidden by parameterized job';
  if (payloadBytes > DISPATCH_PAYLOAD_SIZE_LIMIT) return `Payload exceeds maximum size; ${payloadBytes} > ${DISPATCH_PAYLOAD_SIZE_LIMIT}`;
  const required = p.MetaRequired ?? [];
  const permitted = new Set([...required, ...(p.MetaOptional ?? [])]);
  const unpermitted = Object.keys(meta).filter((k) => !permitted.has(k)).sort();
  if (unpermitted.length) return `Dispatch request included unpermitted metadata keys: [${unpermitted.join(' ')}]`;
  const missing = required.filter((k) => !Object.hasOwn(meta, k)).sort();
  if (missing.length) return `Dispatch did not provide required meta keys: [${missing.join(' ')}]`;
  return undefined;
}

/** The child's ID (Nomad's DispatchedID). */
export function dispatchedID(parentID: string, template: string, nowMs: number, uuid = generateUUID()): string {
  const unix = Math.floor(nowMs / 1000);
  return `${parentID}${DISPATCH_LAUNCH_SUFFIX}${template ? `${template}-` : ''}${unix}-${uuid.slice(0, 8)}`;
}

export async function dispatchJob(ctx: ServerContext, req: DispatchRequest): Promise<DispatchResponse> {
  if (req.jobID === '') throw badRequest('missing parameterized job ID');
  if (req.priority !== 0 && (!Number.isInteger(req.priority) || req.priority < 1 || req.priority > JOB_MAX_PRIORITY)) throw badRequest(`job priority must be between [1, ${JOB_MAX_PRIORITY}]`);
  for (const [k, v] of Object.entries(req.meta)) if (typeof v !== 'string') throw badRequest(`Dispatch meta value for key ${JSON.stringify(k)} must be a string`);
  const now = ctx.now();
  const committed = await ctx.writer.txn<{ existing: Job | undefined; child: Job | undefined; ev: Evaluation | undefined }>((snap) => {
    const parent = snap.job(req.namespace, req.jobID);
    if (!parent) throw notFound('parameterized job not found');
    if (!isParameterized(parent) || parent.ParameterizedJob === null) throw badRequest(`Specified job ${JSON.stringify(req.jobID)} is not a parameterized job`);
    if (parent.Stop) throw badRequest(`Specified job ${JSON.stringify(req.jobID)} is stopped`);
    const invalid = dispatchRequestError(parent.ParameterizedJob, req.payload.byteLength, req.meta);
    if (invalid) throw badRequest(invalid);
    if (req.idempotencyToken !== '') {
      const existing = snap.childJobs(parent.Namespace, parent.ID).find((c) => c.DispatchIdempotencyToken === req.idempotencyToken);
      if (existing) return { ops: [], result: { existing, child: undefined, ev: undefined } };
    }
    const id = dispatchedID(parent.ID, req.idPrefixTemplate, now);
    const child: Job = deriveChild(parent, id, now, {
      Dispatched: true,
      DispatchIdempotencyToken: req.idempotencyToken,
      Meta: Object.keys(req.meta).length || parent.Meta ? { ...(parent.Meta ?? {}), ...req.meta } : null,
      Payload: req.payload.byteLength ? Buffer.from(req.payload).toString('base64') : null,
      ...(req.priority ? { Priority: req.priority } : {}),
    });
    // A parameterized job that is also periodic dispatches a periodic child: the dispatcher launches it.
    const ev: Evaluation | undefined = isPeriodic(child) ? undefined : newEval({ job: child, triggeredBy: EvalTrigger.JobRegister, jobModifyIndex: THIS_WRITE, now });
    return { ops: registerChildOps(child, ev), result: { existing: undefined, child, ev } };
  });
  const { existing, child, ev } = committed.result;
  if (existing) return { DispatchedJobID: existing.ID, EvalID: '', EvalCreateIndex: 0, JobCreateIndex: existing.CreateIndex, Index: existing.ModifyIndex };
  if (!child) throw new Error('dispatch committed no child job');
  const snap = committed.snapshot;
  const written = snap.job(child.Namespace, child.ID);
  if (written) ctx.jobRegistered?.(written);
  const writtenEval = ev ? snap.eval(ev.ID) : undefined;
  if (writtenEval) ctx.evalsWritten([writtenEval]);
  return { DispatchedJobID: child.ID, EvalID: ev?.ID ?? '', EvalCreateIndex: writtenEval?.CreateIndex ?? 0, JobCreateIndex: written?.CreateIndex ?? committed.revision, Index: committed.revision };
}
