// /v1/jobs and /v1/job/:id/… — job IDs are path-escaped, so child jobs ("x/periodic-1700000000")
// reach the right route.
import type { AllocListStub } from '../structs/alloc.js';
import type { Deployment } from '../structs/deployment.js';
import type { AllocMetric } from '../structs/alloc.js';
import type { Evaluation } from '../structs/eval.js';
import type { JobDiff } from '../structs/job-diff.js';
import type { Job, JobListStub } from '../structs/job.js';
import type { JobSubmission, JobSubmissionInput } from '../structs/job-submission.js';
import type { JobSummary } from '../structs/job-summary.js';
import type { ServiceRegistration } from '../structs/services.js';
import type { ApiClient, QueryOptions, Response } from './client.js';

export interface JobRegisterResponse {
  EvalID: string;
  EvalCreateIndex: number;
  JobModifyIndex: number;
  Warnings: string;
  Index: number;
}

export interface JobDeregisterResponse {
  EvalID: string;
  EvalCreateIndex: number;
  JobModifyIndex: number;
  Index: number;
}

export interface JobVersionsResponse {
  Versions: Job[];
  Diffs: JobDiff[] | null;
  Index: number;
}

/** What the scheduler would do to one task group (Nomad's DesiredUpdates). */
export interface DesiredUpdates {
  Ignore: number;
  Place: number;
  Migrate: number;
  Stop: number;
  InPlaceUpdate: number;
  DestructiveUpdate: number;
  Canary: number;
  Preemptions: number;
}

export interface JobPlanResponse {
  Annotations: { DesiredTGUpdates: Record<string, DesiredUpdates> } | null;
  FailedTGAllocs: Record<string, AllocMetric> | null;
  JobModifyIndex: number;
  CreatedEvals: Evaluation[] | null;
  Diff: JobDiff | null;
  NextPeriodicLaunch: string;
  Warnings: string;
  Index: number;
}

export interface JobDispatchResponse {
  DispatchedJobID: string;
  EvalID: string;
  EvalCreateIndex: number;
  JobCreateIndex: number;
  Index: number;
}

export interface DispatchOptions {
  idempotencyToken?: string;
  idPrefixTemplate?: string;
  /** 0 or absent: the parent's priority. */
  priority?: number;
}

export interface PeriodicForceResponse {
  EvalID: string;
  EvalCreateIndex: number;
  Index: number;
}

export interface RegisterOptions {
  enforceIndex?: boolean;
  jobModifyIndex?: number;
  evalPriority?: number;
  preserveCounts?: boolean;
  /** The job file the job was parsed from, stored by the server with the new version. */
  submission?: JobSubmissionInput;
}

const enc = (id: string): string => encodeURIComponent(id);

export class JobsApi {
  constructor(private readonly c: ApiClient) {}
  list(opts: QueryOptions = {}): Promise<Response<JobListStub[]>> {
    return this.c.get<JobListStub[]>('/v1/jobs', opts);
  }
  /** Registers (creates or updates) a job; `job` may be canonical or as a user wrote it. */
  register(job: unknown, o: RegisterOptions = {}, opts: QueryOptions = {}): Promise<Response<JobRegisterResponse>> {
    const body: Record<string, unknown> = { Job: job };
    if (o.enforceIndex) {
      body['EnforceIndex'] = true;
      body['JobModifyIndex'] = o.jobModifyIndex ?? 0;
    }
    if (o.evalPriority) body['EvalPriority'] = o.evalPriority;
    if (o.preserveCounts) body['PreserveCounts'] = true;
    if (o.submission) body['Submission'] = o.submission;
    return this.c.put<JobRegisterResponse>('/v1/jobs', body, opts);
  }
  /** Dry-runs the scheduler for `job` (nothing is written); with `diff`, includes the annotated diff against the current version. */
  plan(job: { ID: string }, diff: boolean, o: { policyOverride?: boolean } = {}, opts: QueryOptions = {}): Promise<Response<JobPlanResponse>> {
    return this.c.put<JobPlanResponse>(`/v1/job/${enc(job.ID)}/plan`, { Job: job, Diff: diff, PolicyOverride: o.policyOverride === true }, opts);
  }
  info(id: string, opts: QueryOptions = {}): Promise<Response<Job>> {
    return this.c.get<Job>(`/v1/job/${enc(id)}`, opts);
  }
  deregister(id: string, purge: boolean, opts: QueryOptions = {}): Promise<Response<JobDeregisterResponse>> {
    return this.c.delete<JobDeregisterResponse>(`/v1/job/${enc(id)}`, { ...opts, params: { ...opts.params, ...(purge ? { purge: 'true' } : {}) } });
  }
  versions(id: string, diffs = false, opts: QueryOptions = {}): Promise<Response<JobVersionsResponse>> {
    return this.c.get<JobVersionsResponse>(`/v1/job/${enc(id)}/versions`, { ...opts, params: { ...opts.params, ...(diffs ? { diffs: 'true' } : {}) } });
  }
  /** The source a version was submitted from; a 404 ApiError when the server has none. */
  submission(id: string, version: number, opts: QueryOptions = {}): Promise<Response<JobSubmission>> {
    return this.c.get<JobSubmission>(`/v1/job/${enc(id)}/submission`, { ...opts, params: { ...opts.params, version: String(version) } });
  }
  summary(id: string, opts: QueryOptions = {}): Promise<Response<JobSummary>> {
    return this.c.get<JobSummary>(`/v1/job/${enc(id)}/summary`, opts);
  }
  allocations(id: string, all = false, opts: QueryOptions = {}): Promise<Response<AllocListStub[]>> {
    return this.c.get<AllocListStub[]>(`/v1/job/${enc(id)}/allocations`, { ...opts, params: { ...opts.params, ...(all ? { all: 'true' } : {}) } });
  }
  evaluations(id: string, opts: QueryOptions = {}): Promise<Response<Evaluation[]>> {
    return this.c.get<Evaluation[]>(`/v1/job/${enc(id)}/evaluations`, opts);
  }
  evaluate(id: string, forceReschedule = false, opts: QueryOptions = {}): Promise<Response<JobRegisterResponse>> {
    return this.c.post<JobRegisterResponse>(`/v1/job/${enc(id)}/evaluate`, { JobID: id, EvalOptions: { ForceReschedule: forceReschedule } }, opts);
  }
  revert(id: string, version: number, enforcePriorVersion?: number, opts: QueryOptions = {}): Promise<Response<JobRegisterResponse>> {
    return this.c.post<JobRegisterResponse>(`/v1/job/${enc(id)}/revert`, { JobID: id, JobVersion: version, ...(enforcePriorVersion !== undefined ? { EnforcePriorVersion: enforcePriorVersion } : {}) }, opts);
  }
  deployments(id: string, opts: QueryOptions = {}): Promise<Response<Deployment[]>> {
    return this.c.get<Deployment[]>(`/v1/job/${enc(id)}/deployments`, opts);
  }
  latestDeployment(id: string, opts: QueryOptions = {}): Promise<Response<Deployment | null>> {
    return this.c.get<Deployment | null>(`/v1/job/${enc(id)}/deployment`, opts);
  }
  services(id: string, opts: QueryOptions = {}): Promise<Response<ServiceRegistration[]>> {
    return this.c.get<ServiceRegistration[]>(`/v1/job/${enc(id)}/services`, opts);
  }
  /** Dispatches a parameterized job with `meta` and an optional payload (sent base64, as Nomad's API does). */
  dispatch(id: string, meta: Record<string, string>, payload: Uint8Array | undefined, o: DispatchOptions = {}, opts: QueryOptions = {}): Promise<Response<JobDispatchResponse>> {
    const body: Record<string, unknown> = { JobID: id, Meta: meta };
    if (payload && payload.byteLength) body['Payload'] = Buffer.from(payload).toString('base64');
    if (o.idempotencyToken) body['IdempotencyToken'] = o.idempotencyToken;
    if (o.idPrefixTemplate) body['IdPrefixTemplate'] = o.idPrefixTemplate;
    if (o.priority) body['Priority'] = o.priority;
    return this.c.post<JobDispatchResponse>(`/v1/job/${enc(id)}/dispatch`, body, opts);
  }
  /** Launches a periodic job now, whatever its schedule and prohibit_overlap say. */
  periodicForce(id: string, opts: QueryOptions = {}): Promise<Response<PeriodicForceResponse>> {
    return this.c.post<PeriodicForceResponse>(`/v1/job/${enc(id)}/periodic/force`, {}, opts);
  }
  parse(hcl: string, canonicalize = true, variables = ''): Promise<Response<Job>> {
    return this.c.post<Job>('/v1/jobs/parse', { JobHCL: hcl, Canonicalize: canonicalize, ...(variables ? { Variables: variables } : {}) });
  }
}
