// validateJob: the checks Nomad's Job.Validate (and the task group, task, service, template and
// policy validators under it) make on a canonical job, all reported at once, each with the path of
// the offending block ('group "web" → task "app" → template[0]'). Messages follow Nomad's where
// users may grep for them. validateGroup/validateTask live in validate-group.ts.
import { cronParseError } from '../structs/cron.js';
import { JOB_MAX_PRIORITY, JOB_TYPES, type Job } from '../structs/index.js';
import { affinityErrors, spreadErrors, type JobValidationError, type Report } from './validate-common.js';
import { validateGroup } from './validate-group.js';

export type { JobValidationError } from './validate-common.js';

/** Nomad's message for a spec cronexpr rejects, or undefined when it parses (src/structs/cron.ts). */
export function cronError(spec: string): string | undefined {
  if (spec.trim() === '') return 'Must specify a spec';
  const err = cronParseError(spec);
  return err === undefined ? undefined : `Invalid cron spec ${JSON.stringify(spec)}: ${err}`;
}

export function validateJob(job: Job): JobValidationError[] {
  const errors: JobValidationError[] = [];
  const report: Report = (path, message) => errors.push({ path, message });
  const type = job.Type;
  if (job.Region === '') report('', 'Missing job region');
  if (job.ID === '') report('', 'Missing job ID');
  else if (job.ID.includes(' ')) report('', 'Job ID contains a space');
  else if (job.ID.includes('\0')) report('', 'Job ID contains a null character');
  if (job.Name === '') report('', 'Missing job name');
  else if (job.Name.includes('\0')) report('', 'Job Name contains a null character');
  if (job.Namespace === '') report('', 'Job must be in a namespace');
  if (!(JOB_TYPES as readonly string[]).includes(type)) report('', `Invalid job type: "${type}"; must be one of ${JOB_TYPES.map((t) => `"${t}"`).join(', ')}`);
  if (job.Priority < 1 || job.Priority > JOB_MAX_PRIORITY) report('', `Job priority must be between [1, ${JOB_MAX_PRIORITY}]`);
  if (job.Datacenters.length === 0) report('', 'Missing job datacenters');
  for (const dc of job.Datacenters) if (dc === '') report('', 'Job datacenter must be non-empty string');
  if (job.TaskGroups.length === 0) report('', 'Missing job task groups');

  const seen = new Map<string, number>();
  job.TaskGroups.forEach((g, i) => {
    const prev = seen.get(g.Name);
    if (prev !== undefined) report(`group ${JSON.stringify(g.Name)}`, `Job task group ${i + 1} redefines '${g.Name}' from group ${prev + 1}`);
    else seen.set(g.Name, i);
    validateGroup(job, g, `group ${JSON.stringify(g.Name)}`, report);
  });

  const batchLike = type === 'batch' || type === 'sysbatch';
  if (job.Periodic !== null && job.Periodic.Enabled) {
    if (!batchLike) report('periodic', `Periodic can only be used with "batch" or "sysbatch" scheduler`);
    const p = job.Periodic;
    if (p.SpecType !== 'cron') report('periodic', `Unknown periodic specification type "${p.SpecType}"`);
    const specs = p.Spec !== '' ? [p.Spec] : (p.Specs ?? []);
    if (p.Spec !== '' && (p.Specs ?? []).length > 0) report('periodic', 'Only one of cron or crons may be set');
    if (specs.length === 0) report('periodic', 'Must specify a spec');
    for (const s of specs) {
      const e = cronError(s);
      if (e !== undefined) report('periodic', e);
    }
    if (p.TimeZone !== 'UTC' && p.TimeZone !== 'Local' && !validTimeZone(p.TimeZone)) report('periodic', `Invalid time zone "${p.TimeZone}"`);
  }
  if (job.ParameterizedJob !== null) {
    if (!batchLike) report('parameterized', `Parameterized job can only be used with "batch" or "sysbatch" scheduler`);
    const pj = job.ParameterizedJob;
    if (!['optional', 'required', 'forbidden'].includes(pj.Payload)) report('parameterized', `Unknown payload requirement: "${pj.Payload}"`);
    const required = new Set(pj.MetaRequired ?? []);
    const both = (pj.MetaOptional ?? []).filter((k) => required.has(k));
    if (both.length > 0) report('parameterized', `Required and optional meta keys should be disjoint. Following keys exist in both: ${both.join(', ')}`);
  }
  for (const a of job.Affinities ?? []) affinityErrors(a.Weight, a.Operand).forEach((m) => report('affinity', m));
  for (const s of job.Spreads ?? []) spreadErrors(s.Weight, s.SpreadTarget).forEach((m) => report('spread', m));
  return errors;
}

function validTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
