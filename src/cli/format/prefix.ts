// Resolving the identifiers users type: a job ID or unique prefix (Nomad's JobIDByPrefix), and
// UUID prefixes of allocations, evaluations and nodes (trimmed to an even number of hex digits
// as Nomad's sanitizeUUIDPrefix does). Failures become CommandErrors worded as Nomad words them.
import type { RoamApi } from '../../api/index.js';
import type { AllocListStub } from '../../structs/alloc.js';
import { CommandError } from '../command.js';
import { jobListRows } from '../job-list.js';

/** Nomad's sanitizeUUIDPrefix: an odd number of hex digits cannot be looked up, so drop the last one. */
export function sanitizeUUIDPrefix(prefix: string): string {
  const hyphens = prefix.split('-').length - 1;
  const length = prefix.length - hyphens;
  if (length === 1) return prefix;
  return length % 2 === 1 ? prefix.slice(0, -1) : prefix;
}

export interface ResolvedJob {
  id: string;
  namespace: string;
}

const MAX_PREFIX_RESULTS = 20;

/**
 * Nomad's JobIDByPrefix: the one job the prefix names. An exact ID wins over longer IDs sharing
 * it; otherwise several matches are an error that lists them.
 */
export async function resolveJobID(api: RoamApi, prefix: string, allNamespaces: boolean): Promise<ResolvedJob> {
  const { data: jobs } = await api.jobs.list({ prefix, perPage: MAX_PREFIX_RESULTS });
  const first = jobs[0];
  if (!first) throw new CommandError(`No job(s) with prefix or ID ${JSON.stringify(prefix)} found`);
  if (jobs.length > 1) {
    const exact = prefix === first.ID;
    const inSeveralNamespaces = allNamespaces && first.ID === jobs[1]?.ID;
    if (!exact || inSeveralNamespaces) {
      const truncated = jobs.length >= MAX_PREFIX_RESULTS ? '\n(results may be truncated)' : '';
      throw new CommandError(`Prefix ${JSON.stringify(prefix)} matched multiple jobs\n\n${jobListRows(jobs, allNamespaces)}${truncated}`);
    }
  }
  return { id: first.ID, namespace: first.JobSummary?.Namespace || first.Namespace };
}

/** The error for a one-character identifier, in each command's wording. */
export function requireTwoChars(id: string, message = 'Identifier must contain at least two characters.'): void {
  if (id.length === 1) throw new CommandError(message);
}

/**
 * The allocations a UUID prefix matches (at least one): Nomad's lookup in `alloc status` and
 * `alloc stop`, which differ only in how a one-character identifier is refused.
 */
export async function allocsByPrefix(api: RoamApi, raw: string, tooShort?: string): Promise<[AllocListStub, ...AllocListStub[]]> {
  requireTwoChars(raw, tooShort);
  const prefix = sanitizeUUIDPrefix(raw);
  const { data } = await api.allocations.list({ prefix });
  const [first, ...rest] = data;
  if (!first) throw new CommandError(`No allocation(s) with prefix or id ${JSON.stringify(prefix)} found`);
  return [first, ...rest];
}
