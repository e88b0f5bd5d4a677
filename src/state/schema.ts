// How server state is laid out in the KV store: one key per object under a prefix per table, the
// object as JSON. This module owns the key layout and the codecs; the state store (reading) and
// the server's writers (writing) both go through it, so the layout lives in one place.
//
// Indexes. An object's CreateIndex/ModifyIndex are the KV create/mod revisions of its key, filled
// in when the object is read. Fields that must equal "the revision of the write that set them"
// (Job.JobModifyIndex when the spec changes, Allocation.AllocModifyIndex when the server changes
// an allocation, Evaluation.JobModifyIndex at registration) are written as THIS_WRITE (-1) and
// resolved to the key's modRevision on read: a writer never needs to predict a revision.
//
// Allocations do not carry their job: an allocation's JSON names the job version it runs
// (`JobRef`), and the job itself is stored once per version under `alloc_job/`, shared by every
// allocation of that version, as Nomad shares the pointer.
import type { Allocation } from '../structs/alloc.js';
import type { Deployment } from '../structs/deployment.js';
import type { Evaluation } from '../structs/eval.js';
import type { Job } from '../structs/job.js';
import type { JobSubmission } from '../structs/job-submission.js';
import type { Node } from '../structs/node.js';
import type { ServiceRegistration } from '../structs/services.js';

export const THIS_WRITE = -1;

export const TABLES = ['jobs', 'job_versions', 'job_submissions', 'evals', 'allocs', 'alloc_jobs', 'nodes', 'deployments', 'services', 'variables', 'periodic_launch', 'meta'] as const;
export type TableName = (typeof TABLES)[number];

const ROOT = '/roam/';
const SEP = '/';

/** Encodes a key part so IDs containing "/" (periodic and dispatched children) stay one part. */
function part(s: string): string {
  return encodeURIComponent(s);
}
function unpart(s: string): string {
  return decodeURIComponent(s);
}

export const keys = {
  prefix(table: TableName): string {
    return `${ROOT}${table}${SEP}`;
  },
  job(ns: string, id: string): string {
    return `${ROOT}jobs/${part(ns)}/${part(id)}`;
  },
  jobVersion(ns: string, id: string, version: number): string {
    return `${ROOT}job_versions/${part(ns)}/${part(id)}/${String(version).padStart(10, '0')}`;
  },
  jobVersionsPrefix(ns: string, id: string): string {
    return `${ROOT}job_versions/${part(ns)}/${part(id)}/`;
  },
  /** The source a job version was submitted from (Nomad's job_submission table), when the client sent it. */
  jobSubmission(ns: string, id: string, version: number): string {
    return `${ROOT}job_submissions/${part(ns)}/${part(id)}/${String(version).padStart(10, '0')}`;
  },
  eval(id: string): string {
    return `${ROOT}evals/${id}`;
  },
  alloc(id: string): string {
    return `${ROOT}allocs/${id}`;
  },
  allocJob(ns: string, id: string, version: number, jobModifyIndex: number): string {
    return `${ROOT}alloc_jobs/${part(ns)}/${part(id)}/${version}@${jobModifyIndex}`;
  },
  node(id: string): string {
    return `${ROOT}nodes/${id}`;
  },
  deployment(id: string): string {
    return `${ROOT}deployments/${id}`;
  },
  service(ns: string, id: string): string {
    return `${ROOT}services/${part(ns)}/${part(id)}`;
  },
  variable(ns: string, path: string): string {
    return `${ROOT}variables/${part(ns)}/${part(path)}`;
  },
  periodicLaunch(ns: string, id: string): string {
    return `${ROOT}periodic_launch/${part(ns)}/${part(id)}`;
  },
  meta(name: string): string {
    return `${ROOT}meta/${part(name)}`;
  },
};

export const ROOT_PREFIX = ROOT;

/** Which table a key belongs to, and the key's parts after the table name. */
export function parseKey(key: string): { table: TableName; parts: string[] } | undefined {
  if (!key.startsWith(ROOT)) return undefined;
  const [table, ...rest] = key.slice(ROOT.length).split(SEP);
  if (!(TABLES as readonly string[]).includes(table ?? '')) return undefined;
  return { table: table as TableName, parts: rest.map(unpart) };
}

/** A reference from an allocation to the job version it runs. */
export interface JobRef {
  Namespace: string;
  ID: string;
  Version: number;
  JobModifyIndex: number;
}

/** An allocation as stored: the job replaced by a reference. */
export type StoredAllocation = Omit<Allocation, 'Job'> & { Job: null; JobRef: JobRef | null };

export interface PeriodicLaunch {
  Namespace: string;
  ID: string;
  /** Unix nanoseconds of the last launch. */
  Launch: number;
  CreateIndex: number;
  ModifyIndex: number;
}

export function encode(value: unknown): string {
  return JSON.stringify(value);
}

export function jobRefOf(job: Job): JobRef {
  return { Namespace: job.Namespace, ID: job.ID, Version: job.Version, JobModifyIndex: job.JobModifyIndex };
}

export function storedAlloc(a: Allocation): StoredAllocation {
  const { Job: job, ...rest } = a;
  return { ...rest, Job: null, JobRef: job ? jobRefOf(job) : null };
}

export type TableRow = Job | JobSubmission | Evaluation | StoredAllocation | Node | Deployment | ServiceRegistration | PeriodicLaunch;
