// Fields a job submitted as JSON has that Nomad's job shape does not: Nomad (Go's encoding/json)
// silently drops them; Roam keeps accepting the job, so clients written for other Nomad versions
// keep working, but says which fields were ignored and what was probably meant.
import { didYouMean } from '../jobspec/hcl/index.js';
import { mockJob, mockTask, mockTaskGroup } from '../structs/mock.js';

const JOB_FIELDS = new Set([...Object.keys(mockJob()), 'UI', 'VersionTag', 'ConsulToken', 'VaultToken', 'Submission']);
const GROUP_FIELDS = new Set([...Object.keys(mockTaskGroup()), 'MaxRunDuration', 'StopOnClientAfter', 'PreventRescheduleOnLost']);
const TASK_FIELDS = new Set([...Object.keys(mockTask()), 'Secrets', 'Schedule']);

function check(obj: unknown, known: Set<string>, where: string, out: string[]): void {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) return;
  for (const k of Object.keys(obj)) {
    if (known.has(k)) continue;
    const hint = didYouMean(k, known);
    out.push(`${where}: unknown field ${JSON.stringify(k)} was ignored${hint ? `; did you mean ${JSON.stringify(hint)}?` : ''}`);
  }
}

export function unknownJobFields(job: unknown): string[] {
  const out: string[] = [];
  check(job, JOB_FIELDS, 'Job', out);
  const groups = (job as { TaskGroups?: unknown }).TaskGroups;
  if (Array.isArray(groups)) {
    for (const g of groups) {
      const name = String((g as { Name?: unknown }).Name ?? '?');
      check(g, GROUP_FIELDS, `Job → TaskGroup ${JSON.stringify(name)}`, out);
      const tasks = (g as { Tasks?: unknown }).Tasks;
      if (Array.isArray(tasks)) for (const t of tasks) check(t, TASK_FIELDS, `Job → TaskGroup ${JSON.stringify(name)} → Task ${JSON.stringify(String((t as { Name?: unknown }).Name ?? '?'))}`, out);
    }
  }
  return out;
}

const REGISTER_FIELDS = new Set(['Job', 'EnforceIndex', 'JobModifyIndex', 'PolicyOverride', 'PreserveCounts', 'PreserveResources', 'EvalPriority', 'Region', 'Namespace', 'SecretID', 'Submission', 'Diff']);

/** Unknown fields of a job register/plan request body: these are errors (a misspelt EnforceIndex must not be ignored). */
export function unknownRequestFields(body: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const k of Object.keys(body)) {
    if (REGISTER_FIELDS.has(k)) continue;
    const hint = didYouMean(k, REGISTER_FIELDS);
    out.push(`unknown field ${JSON.stringify(k)} in the request${hint ? `; did you mean ${JSON.stringify(hint)}?` : ''}`);
  }
  return out;
}
