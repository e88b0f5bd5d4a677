// Resolving what the user typed to one object, as Nomad's commands do: an exact ID wins, a unique
// prefix is accepted, several matches are listed so the user can pick.
import type { RoamApi } from '../api/index.js';
import type { JobListStub } from '../structs/job.js';
import { CommandError } from './command.js';
import { formatList } from './output.js';

export interface ResolvedJob {
  job: JobListStub;
  /** True when the user typed the whole ID (no confirmation needed for destructive commands). */
  exact: boolean;
}

export async function resolveJob(api: RoamApi, idOrPrefix: string, namespace?: string): Promise<ResolvedJob> {
  const { data } = await api.jobs.list({ prefix: idOrPrefix, ...(namespace ? { namespace } : {}) });
  const exact = data.find((j) => j.ID === idOrPrefix);
  if (exact) return { job: exact, exact: true };
  if (data.length === 0) throw new CommandError(`No job(s) with prefix or ID "${idOrPrefix}" found`);
  if (data.length > 1) {
    const rows = [['ID', 'Type', 'Priority', 'Status', 'Submit Date']];
    throw new CommandError(`Prefix matched multiple jobs\n\n${formatList([...rows, ...data.map((j) => [j.ID, j.Type, String(j.Priority), j.Status, ''])])}`);
  }
  return { job: data[0] as JobListStub, exact: false };
}
