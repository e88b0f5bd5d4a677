// The writes the UI makes, each one Nomad API call (the same ones the CLI makes). Pages show
// their errors; live data updates by itself through the blocking queries that watch it.
import { del, get, put } from './client';
import type { Job, JobDispatchResponse, JobPlanResponse, JobRegisterResponse, JobSubmissionInput, Variable } from './types';
import { jobApi } from '../lib/paths';

export async function stopJob(id: string, ns: string, purge = false): Promise<void> {
  await del(`${jobApi(id, ns)}${purge ? '&purge=true' : ''}`);
}

/** Nomad UI's "Start": register the current version again with Stop cleared. */
export async function startJob(id: string, ns: string): Promise<void> {
  const { data: job } = await get<Job>(jobApi(id, ns));
  await put(jobApi(id, ns), { Job: { ...job, Stop: false } });
}

export async function forcePeriodic(id: string, ns: string): Promise<string> {
  const r = await put<{ EvalID: string }>(jobApi(id, ns, 'periodic/force'));
  return r.data.EvalID;
}

export async function dispatchJob(id: string, ns: string, meta: Record<string, string>, payload: string): Promise<JobDispatchResponse> {
  const bytes = new TextEncoder().encode(payload);
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  const body: Record<string, unknown> = { JobID: id, Meta: meta };
  if (payload !== '') body['Payload'] = btoa(bin);
  return (await put<JobDispatchResponse>(jobApi(id, ns, 'dispatch'), body)).data;
}

export async function revertJob(id: string, ns: string, version: number, priorVersion: number): Promise<void> {
  await put(jobApi(id, ns, 'revert'), { JobID: id, JobVersion: version, EnforcePriorVersion: priorVersion });
}

/** The agent parses the HCL with `variables` (a var-file's content) as Nomad's parse endpoint does. */
export async function parseHcl(hcl: string, variables = ''): Promise<Job> {
  return (await put<Job>('/v1/jobs/parse?namespace=*', { JobHCL: hcl, Canonicalize: true, ...(variables.trim() ? { Variables: variables } : {}) })).data;
}

export async function planJob(job: Job): Promise<JobPlanResponse> {
  return (await put<JobPlanResponse>(jobApi(job.ID, job.Namespace || 'default', 'plan'), { Job: job, Diff: true })).data;
}

/** Registers a job; `submission` is the text it came from, which the agent keeps with the version (the Definition tab shows it). */
export async function registerJob(job: Job, jobModifyIndex?: number, submission?: JobSubmissionInput): Promise<JobRegisterResponse> {
  const body: Record<string, unknown> = { Job: job };
  if (submission) body['Submission'] = submission;
  if (jobModifyIndex !== undefined) {
    body['EnforceIndex'] = true;
    body['JobModifyIndex'] = jobModifyIndex;
  }
  return (await put<JobRegisterResponse>(`/v1/jobs?namespace=${encodeURIComponent(job.Namespace || 'default')}`, body)).data;
}

export async function stopAlloc(id: string): Promise<void> {
  await put(`/v1/allocation/${id}/stop`);
}

export async function restartAlloc(id: string, task?: string): Promise<void> {
  await put(`/v1/client/allocation/${id}/restart`, task ? { TaskName: task } : {});
}

export async function signalAlloc(id: string, signal: string, task?: string): Promise<void> {
  await put(`/v1/client/allocation/${id}/signal`, { Signal: signal, ...(task ? { Task: task } : {}) });
}

export async function setEligibility(nodeId: string, eligible: boolean): Promise<void> {
  await put(`/v1/node/${nodeId}/eligibility`, { NodeID: nodeId, Eligibility: eligible ? 'eligible' : 'ineligible' });
}

export async function putVariable(path: string, ns: string, items: Record<string, string>, cas?: number): Promise<Variable> {
  const url = `/v1/var/${path.split('/').map(encodeURIComponent).join('/')}?namespace=${encodeURIComponent(ns)}${cas !== undefined ? `&cas=${cas}` : ''}`;
  return (await put<Variable>(url, { Namespace: ns, Path: path, Items: items })).data;
}

export async function deleteVariable(path: string, ns: string): Promise<void> {
  await del(`/v1/var/${path.split('/').map(encodeURIComponent).join('/')}?namespace=${encodeURIComponent(ns)}`);
}
