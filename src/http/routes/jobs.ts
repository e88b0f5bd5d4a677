// /v1/jobs, /v1/job/:id/… and /v1/validate/job. Job IDs may contain "/" (periodic and dispatched
// children), so /v1/job/ is matched as a prefix and split on Nomad's known suffixes, as Nomad does.
import { canonicalizeJob, jobWarnings, parseJobFile, validateJob, type ApiJob } from '../../jobspec/index.js';
import type { Server } from '../../server/server.js';
import { blockingQuery } from '../../server/blocking.js';
import { jobListStub, jobSummary, withStatus } from '../../server/job-status.js';
import { dispatchJob } from '../../server/dispatch.js';
import { listPage } from '../../server/list.js';
import { planJob } from '../../server/plan.js';
import { diffJobs } from '../../structs/job-diff.js';
import { unknownRequestFields } from '../../server/unknown-fields.js';
import { allocListStub } from '../../structs/alloc.js';
import type { JobSubmissionInput } from '../../structs/job-submission.js';
import { BadRequestError, MethodNotAllowedError, NotFoundError } from '../errors.js';
import type { Route, RouteReply, RouteRequest } from '../route.js';
import { dispatchFromJSON, dispatchFromRawBody } from './dispatch-request.js';
import { blockingOpts, boolParam, listOptions, listReply, requireObject, stringParam } from './util.js';

const SUFFIXES = ['/periodic/force', '/dispatch/payload', '/allocations', '/evaluations', '/evaluate', '/versions', '/summary', '/revert', '/plan', '/dispatch', '/deployments', '/deployment', '/stable', '/scale', '/services', '/submission'];

/** Splits the path after /v1/job/ into the job ID and the sub-resource. */
export function splitJobPath(url: string): { id: string; sub: string } {
  const path = url.split('?')[0] ?? '';
  let rest = path.slice('/v1/job/'.length);
  let sub = '';
  for (const s of SUFFIXES) {
    if (rest.endsWith(s)) {
      sub = s.slice(1);
      rest = rest.slice(0, -s.length);
      break;
    }
  }
  return { id: decodeURIComponent(rest), sub };
}

/** The request's `Submission` (the job file it came from), checked for shape; null when absent. */
export function submissionFromBody(v: unknown): JobSubmissionInput | null {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'object' || Array.isArray(v)) throw new BadRequestError('Submission must be an object ({"Source", "Format", "VariableFlags", "Variables"})');
  const o = v as Record<string, unknown>;
  const str = (k: string): string => {
    const x = o[k];
    if (x === undefined || x === null) return '';
    if (typeof x !== 'string') throw new BadRequestError(`Submission.${k} must be a string`);
    return x;
  };
  let flags: Record<string, string> | null = null;
  const f = o['VariableFlags'];
  if (f !== undefined && f !== null) {
    if (typeof f !== 'object' || Array.isArray(f)) throw new BadRequestError('Submission.VariableFlags must be an object of strings');
    flags = {};
    for (const [k, x] of Object.entries(f)) {
      if (typeof x !== 'string') throw new BadRequestError(`Submission.VariableFlags.${k} must be a string`);
      flags[k] = x;
    }
  }
  return { Source: str('Source'), Format: str('Format'), VariableFlags: flags, Variables: str('Variables') };
}

function registerBody(req: RouteRequest): { job: ApiJob; enforceIndex: boolean; jobModifyIndex: number; evalPriority: number; submission: JobSubmissionInput | null } {
  const body = requireObject(req.body, 'a job registration ({"Job": {...}})');
  const unknown = unknownRequestFields(body);
  if (unknown.length) throw new BadRequestError(`Invalid job registration request: ${unknown.join('; ')}`);
  const job = body['Job'];
  if (job === undefined || job === null || typeof job !== 'object') throw new BadRequestError('Job must be specified');
  return { job: job as ApiJob, enforceIndex: body['EnforceIndex'] === true, jobModifyIndex: Number(body['JobModifyIndex'] ?? 0), evalPriority: Number(body['EvalPriority'] ?? 0), submission: submissionFromBody(body['Submission']) };
}

export function jobRoutes(server: Server): Route[] {
  const store = server.store;

  const register = async (req: RouteRequest, urlID?: string): Promise<RouteReply> => {
    const b = registerBody(req);
    if (urlID !== undefined && b.job.ID !== undefined && b.job.ID !== urlID) throw new BadRequestError('Job ID does not match name');
    const r = await server.jobs.register({ job: b.job, enforceIndex: b.enforceIndex, jobModifyIndex: b.jobModifyIndex, evalPriority: b.evalPriority, namespace: req.query.namespace, submission: b.submission });
    return { body: r, index: r.Index };
  };

  const jobRoute = async (req: RouteRequest): Promise<RouteReply> => {
    const { id, sub } = splitJobPath(req.url);
    const ns = req.query.namespace;
    if (id === '') throw new NotFoundError('job not found');
    const need = (): void => {
      if (!store.snapshot().job(ns, id)) throw new NotFoundError('job not found');
    };
    switch (sub) {
      case '': {
        if (req.method === 'GET') {
          const r = await blockingQuery(store, blockingOpts(req), (snap) => {
            const job = snap.job(ns, id);
            return { value: job ? withStatus(snap, job) : undefined, index: job ? Math.max(job.ModifyIndex, snap.maxIndex('allocs', 'evals')) : snap.index('jobs') };
          });
          if (!r.value) throw new NotFoundError('job not found');
          return { body: r.value, index: r.index };
        }
        if (req.method === 'PUT' || req.method === 'POST') return register(req, id);
        if (req.method === 'DELETE') {
          const r = await server.jobs.deregister(ns, id, { purge: boolParam(req, 'purge'), evalPriority: Number(req.rawQuery['eval_priority'] ?? 0) || 0 });
          return { body: { ...r, LastContact: 0, KnownLeader: true }, index: r.Index };
        }
        throw new MethodNotAllowedError();
      }
      case 'versions': {
        need();
        const snap = store.snapshot();
        const versions = snap.jobVersions(ns, id);
        // With ?diffs=true, each version's diff from the one before it (or from ?diff_version=N).
        let diffs = null;
        if (boolParam(req, 'diffs')) {
          const against = stringParam(req, 'diff_version');
          const fixed = against === '' ? undefined : versions.find((v) => v.Version === Number(against));
          if (against !== '' && fixed === undefined) throw new BadRequestError(`version ${against} not found`);
          diffs = versions.flatMap((v, i) => {
            const old = fixed ?? versions[i + 1];
            return old === undefined ? [] : [diffJobs(old, v, true)];
          });
        }
        return { body: { Versions: versions, Diffs: diffs, Index: snap.index('job_versions') }, index: snap.index('job_versions') };
      }
      case 'summary': {
        const r = await blockingQuery(store, blockingOpts(req), (snap) => {
          const job = snap.job(ns, id);
          return { value: job ? jobSummary(snap, job) : undefined, index: snap.maxIndex('jobs', 'allocs', 'evals') };
        });
        if (!r.value) throw new NotFoundError('job not found');
        return { body: r.value, index: r.index };
      }
      case 'allocations': {
        const r = await blockingQuery(store, blockingOpts(req), (snap) => ({ value: snap.allocsByJob(ns, id).sort((a, b) => b.CreateIndex - a.CreateIndex).map(allocListStub), index: snap.index('allocs') }));
        return { body: r.value, index: r.index };
      }
      case 'evaluations': {
        const r = await blockingQuery(store, blockingOpts(req), (snap) => ({ value: snap.evalsByJob(ns, id), index: snap.index('evals') }));
        return { body: r.value, index: r.index };
      }
      case 'evaluate': {
        if (req.method !== 'PUT' && req.method !== 'POST') throw new MethodNotAllowedError();
        const body = (req.body ?? {}) as { EvalOptions?: { ForceReschedule?: boolean } };
        const r = await server.jobs.evaluate(ns, id, { forceReschedule: body.EvalOptions?.ForceReschedule === true });
        return { body: r, index: r.Index };
      }
      case 'revert': {
        if (req.method !== 'PUT' && req.method !== 'POST') throw new MethodNotAllowedError();
        const body = requireObject(req.body, 'a revert request ({"JobID", "JobVersion"})');
        const version = Number(body['JobVersion']);
        if (!Number.isInteger(version) || version < 0) throw new BadRequestError('JobVersion must be a non-negative integer');
        const enforce = body['EnforcePriorVersion'];
        const r = await server.jobs.revert(ns, id, version, typeof enforce === 'number' ? enforce : undefined);
        return { body: r, index: r.Index };
      }
      case 'plan': {
        if (req.method !== 'PUT' && req.method !== 'POST') throw new MethodNotAllowedError();
        const body = requireObject(req.body, 'a plan request ({"Job": {...}, "Diff": true})');
        const job = body['Job'];
        if (job === undefined || job === null || typeof job !== 'object') throw new BadRequestError('Job must be specified');
        if ((job as ApiJob).ID !== undefined && (job as ApiJob).ID !== id) throw new BadRequestError('Job ID does not match');
        const r = await planJob(server.ctx, { job: job as ApiJob, diff: body['Diff'] === true, policyOverride: body['PolicyOverride'] === true, namespace: ns });
        return { body: r, index: r.Index };
      }
      case 'periodic/force': {
        if (req.method !== 'PUT' && req.method !== 'POST') throw new MethodNotAllowedError();
        const r = await server.periodic.force(ns, id);
        return { body: r, index: r.Index };
      }
      case 'dispatch':
      case 'dispatch/payload': {
        if (req.method !== 'PUT' && req.method !== 'POST') throw new MethodNotAllowedError();
        const r = await dispatchJob(server.ctx, sub === 'dispatch' ? dispatchFromJSON(req, id) : dispatchFromRawBody(req, id));
        return { body: r, index: r.Index };
      }
      case 'submission': {
        // Nomad's /v1/job/:id/submission?version=N: the source that version was submitted from.
        if (req.method !== 'GET') throw new MethodNotAllowedError();
        const raw = stringParam(req, 'version');
        if (!/^\d+$/.test(raw)) throw new BadRequestError('Unable to parse job submission version parameter');
        const version = Number(raw);
        const r = await blockingQuery(store, blockingOpts(req), (snap) => {
          const sub = snap.jobSubmission(ns, id, version);
          return { value: sub, index: sub ? sub.JobModifyIndex : snap.index('job_submissions') };
        });
        if (!r.value) throw new NotFoundError('job source not found');
        return { body: r.value, index: r.index };
      }
      case 'deployments': {
        const snap = store.snapshot();
        return { body: snap.deploymentsByJob(ns, id), index: snap.index('deployments') };
      }
      case 'deployment': {
        const snap = store.snapshot();
        return { body: snap.latestDeploymentByJob(ns, id) ?? null, index: snap.index('deployments') };
      }
      case 'services': {
        const r = await blockingQuery(store, blockingOpts(req), (snap) => ({ value: snap.servicesByJob(ns, id), index: snap.index('services') }));
        return { body: r.value, index: r.index };
      }
      default:
        throw new NotFoundError(`Roam does not serve /v1/job/:id/${sub} yet`);
    }
  };

  return [
    {
      methods: ['GET'],
      path: '/v1/jobs',
      handler: async (req) => {
        const r = await blockingQuery(store, blockingOpts(req), (snap) => ({ value: snap.jobs(req.query.namespace, req.query.prefix).map((j) => jobListStub(snap, j)), index: snap.maxIndex('jobs', 'allocs', 'evals') }));
        const page = listPage(r.value, listOptions(req), (j) => j.ID);
        return listReply(page.items, r.index, page.nextToken);
      },
    },
    { methods: ['PUT', 'POST'], path: '/v1/jobs', handler: (req) => register(req) },
    {
      methods: ['PUT', 'POST'],
      path: '/v1/jobs/parse',
      handler: async (req) => {
        const body = requireObject(req.body, '{"JobHCL": "..."}');
        const hcl = body['JobHCL'];
        if (typeof hcl !== 'string' || hcl.trim() === '') throw new BadRequestError('Job spec is empty');
        const varFiles = typeof body['Variables'] === 'string' && body['Variables'] !== '' ? [{ name: 'variables.hcl', text: body['Variables'] }] : [];
        const res = parseJobFile(hcl, 'input.hcl', { allowFS: false, baseDir: '.', varFiles });
        if (!res.job) throw new BadRequestError(res.diagnostics.map((d) => `${d.subject ? `${d.subject.filename}:${d.subject.start.line},${d.subject.start.column}: ` : ''}${d.summary}; ${d.detail}`).join('\n'));
        return { body: body['Canonicalize'] === true ? canonicalizeJob(res.job) : res.job };
      },
    },
    {
      methods: ['PUT', 'POST'],
      path: '/v1/validate/job',
      handler: async (req) => {
        const b = registerBody(req);
        try {
          const job = canonicalizeJob(b.job);
          const errors = validateJob(job);
          const msgs = errors.map((e) => `${e.path ? `${e.path}: ` : ''}${e.message}`);
          return { body: { DriverConfigValidated: false, ValidationErrors: msgs, Error: msgs.length ? `${msgs.length} error(s) occurred:\n\n${msgs.map((m) => `* ${m}`).join('\n')}` : '', Warnings: jobWarnings(job).join('\n') } };
        } catch (err) {
          return { body: { DriverConfigValidated: false, ValidationErrors: [(err as Error).message], Error: (err as Error).message, Warnings: '' } };
        }
      },
    },
    { methods: ['GET', 'PUT', 'POST', 'DELETE'], path: '/v1/job/*', handler: jobRoute },
  ];
}
