// `roam job status [JOB]`: with no argument the job list; with a job ID (or unique prefix) the
// job's header, then — by kind of job — its summary, its children (periodic and parameterized
// jobs), evaluations, placement failures, future reschedules, latest deployment, actions and
// allocations, in Nomad's layout (command/job_status.go).
import type { RoamApi } from '../../api/index.js';
import type { AllocListStub } from '../../structs/alloc.js';
import { formatDuration } from '../../structs/duration.js';
import type { Evaluation } from '../../structs/eval.js';
import { isParameterized, isPeriodic, lookupTaskGroup, type Job } from '../../structs/job.js';
import { formatAllocMetrics } from '../../structs/alloc-metrics.js';
import { parseGoTime } from '../../structs/time.js';
import { defineCommand, UsageError } from '../command.js';
import { jobListRows } from '../job-list.js';
import { formatKV, limit, prettyTimeDiff } from '../output.js';
import { formatAllocListStubs } from '../format/allocs.js';
import { formatDeployment } from '../format/deployment.js';
import { evalFailureStatus } from '../format/evals.js';
import { nextLaunchText } from '../format/periodic.js';
import { resolveJobID } from '../format/prefix.js';
import { formatJSON, formatNanoTime, formatTable, idLength } from '../format/table.js';

/** Nomad shows failure reasons for at most this many task groups before deferring to eval status. */
const MAX_FAILED_TGS = 5;

interface Options {
  verbose: boolean;
  evals: boolean;
  allAllocs: boolean;
  length: number;
}

/** Nomad's JobJson: what `job status -json` prints per job. */
async function jobJSON(api: RoamApi, id: string, namespace: string, allAllocs: boolean): Promise<unknown> {
  const q = { namespace };
  const [summary, allocs, deployment, evals] = await Promise.all([api.jobs.summary(id, q), api.jobs.allocations(id, allAllocs, q), api.jobs.latestDeployment(id, q), api.jobs.evaluations(id, q)]);
  return { Summary: summary.data, Allocations: allocs.data, LatestDeployment: deployment.data, Evaluations: evals.data };
}

/** Nomad's getStatusString: a stopped job says so whatever its status. */
function statusString(status: string, stop: boolean): string {
  return stop ? `${status} (stopped)` : status;
}

export const jobStatusCommand = defineCommand({
  name: 'job status',
  synopsis: 'Display status information about a job',
  usage: `Usage: roam job status [options] <job>

  Display status information about a job. If no job ID is given, a list of all
  known jobs will be displayed.`,
  api: true,
  optionsHelp: `Status Options:

  -short
    Display short output. Used only when a single job is being
    queried, and drops verbose information about allocations.

  -evals
    Display the evaluations associated with the job.

  -all-allocs
    Display all allocations matching the job ID, including those from an older
    instance of the job.

  -json
    Output the job in its JSON format.

  -verbose
    Display full information.`,
  flags: (fs) => {
    fs.bool('short', false, 'Display short output.');
    fs.bool('evals', false, 'Display the evaluations associated with the job.');
    fs.bool('all-allocs', false, 'Display all allocations matching the job ID.');
    fs.bool('json', false, 'Output the job in its JSON format.');
    fs.bool('verbose', false, 'Display full information.');
  },
  async run({ io, api, args, flags, meta }) {
    if (args.length > 1) throw new UsageError('This command takes either no arguments or one: <job>');
    const verbose = flags.getBool('verbose');
    const json = flags.getBool('json');
    const allAllocs = flags.getBool('all-allocs');
    const allNamespaces = meta.namespace === '*';
    if (args.length === 0) {
      const { data: jobs } = await api.jobs.list();
      if (jobs.length === 0) io.out('No running jobs\n');
      else if (json) io.out(`${formatJSON(await Promise.all(jobs.map((j) => jobJSON(api, j.ID, j.Namespace, allAllocs))))}\n`);
      else io.out(`${jobListRows(jobs, allNamespaces)}\n`);
      return 0;
    }
    const { id, namespace } = await resolveJobID(api, (args[0] ?? '').trim(), allNamespaces);
    const { data: job } = await api.jobs.info(id, { namespace });
    if (json) {
      io.out(`${formatJSON([await jobJSON(api, job.ID, job.Namespace, allAllocs)])}\n`);
      return 0;
    }
    const out: string[] = [formatKV(jobHeader(job))];
    if (!flags.getBool('short')) {
      const opts: Options = { verbose, evals: flags.getBool('evals'), allAllocs, length: idLength(verbose) };
      if (isPeriodic(job) && !isParameterized(job)) await periodicInfo(api, job, out);
      else if (isParameterized(job)) await parameterizedInfo(api, job, out);
      else await jobInfo(api, job, opts, out);
    }
    io.out(`${out.join('\n')}\n`);
    return 0;
  },
});

function jobHeader(job: Job): [string, string][] {
  const rows: [string, string][] = [
    ['ID', job.ID],
    ['Name', job.Name],
    ['Submit Date', formatNanoTime(job.SubmitTime)],
    ['Type', job.Type],
    ['Priority', String(job.Priority)],
    ['Datacenters', job.Datacenters.join(',')],
    ['Namespace', job.Namespace],
    ['Node Pool', job.NodePool],
    ['Status', statusString(job.Status, job.Stop)],
    ['Periodic', String(isPeriodic(job))],
    ['Parameterized', String(isParameterized(job))],
  ];
  if (job.DispatchIdempotencyToken) rows.push(['Idempotency Token', job.DispatchIdempotencyToken]);
  if (isPeriodic(job) && !isParameterized(job)) {
    const next = job.Stop ? 'none (job stopped)' : nextLaunchText(job, Date.now());
    if (next) rows.push(['Next Periodic Launch', next]);
  }
  return rows;
}

async function summarySection(api: RoamApi, job: Job, out: string[]): Promise<void> {
  const { data: summary } = await api.jobs.summary(job.ID, { namespace: job.Namespace });
  if (!summary) return;
  const periodic = isPeriodic(job);
  const parameterized = isParameterized(job);
  if (!periodic && !parameterized) {
    const rows: string[][] = [['Task Group', 'Queued', 'Starting', 'Running', 'Failed', 'Complete', 'Lost', 'Unknown']];
    for (const tg of Object.keys(summary.Summary).sort()) {
      const s = summary.Summary[tg];
      if (s) rows.push([tg, s.Queued, s.Starting, s.Running, s.Failed, s.Complete, s.Lost, s.Unknown].map(String));
    }
    out.push('', 'Summary', formatTable(rows));
  }
  const c = summary.Children;
  if (c && (parameterized || periodic || c.Pending + c.Running + c.Dead > 0)) {
    out.push('', parameterized ? 'Parameterized Job Summary' : 'Children Job Summary', formatTable([['Pending', 'Running', 'Dead'], [String(c.Pending), String(c.Running), String(c.Dead)]]));
  }
}

/** Children of a periodic (`<id>/periodic-<time>`) or parameterized (`<id>/dispatch-…`) job. */
async function childrenSection(api: RoamApi, job: Job, suffix: string, title: string, none: string, out: string[]): Promise<void> {
  const { data: children } = await api.jobs.list({ prefix: `${job.ID}${suffix}`, namespace: job.Namespace });
  if (children.length === 0) {
    out.push('', none);
    return;
  }
  const rows: string[][] = [['ID', 'Status']];
  for (const c of children) if (c.ParentID === job.ID) rows.push([c.ID, c.Status]);
  out.push('', title, formatTable(rows));
}

async function periodicInfo(api: RoamApi, job: Job, out: string[]): Promise<void> {
  await summarySection(api, job, out);
  await childrenSection(api, job, '/periodic-', 'Previously Launched Jobs', 'No instances of periodic job found', out);
}

async function parameterizedInfo(api: RoamApi, job: Job, out: string[]): Promise<void> {
  const p = job.ParameterizedJob;
  out.push(
    '',
    'Parameterized Job',
    formatKV([
      ['Payload', p?.Payload ?? ''],
      ['Required Metadata', (p?.MetaRequired ?? []).join(', ')],
      ['Optional Metadata', (p?.MetaOptional ?? []).join(', ')],
    ]),
  );
  await summarySection(api, job, out);
  await childrenSection(api, job, '/dispatch-', 'Dispatched Jobs', 'No dispatched instances of parameterized job found', out);
}

async function jobInfo(api: RoamApi, job: Job, o: Options, out: string[]): Promise<void> {
  const q = { namespace: job.Namespace };
  const [{ data: allocs }, { data: evals }, { data: deployment }] = await Promise.all([api.jobs.allocations(job.ID, o.allAllocs, q), api.jobs.evaluations(job.ID, q), api.jobs.latestDeployment(job.ID, q)]);
  await summarySection(api, job, out);

  let latestFailed: Evaluation | undefined;
  let blocked = false;
  const evalRows: string[][] = [['ID', 'Priority', 'Triggered By', 'Status', 'Placement Failures']];
  for (const e of evals) {
    const f = evalFailureStatus(e);
    evalRows.push([limit(e.ID, o.length), String(e.Priority), e.TriggeredBy, e.Status, f.text]);
    if (e.Status === 'blocked') blocked = true;
    if (f.failed && (!latestFailed || latestFailed.CreateIndex < e.CreateIndex)) latestFailed = e;
  }
  if (o.verbose || o.evals) out.push('', 'Evaluations', formatTable(evalRows));
  if (blocked && latestFailed) placementFailures(latestFailed, out);

  await reschedulingSection(api, job, allocs, o, out);

  if (deployment) out.push('', 'Latest Deployment', formatDeployment(deployment, o.length));

  const actions: string[][] = [];
  for (const tg of job.TaskGroups) for (const t of tg.Tasks) for (const a of t.Actions ?? []) actions.push([typeof a['Name'] === 'string' ? a['Name'] : '', tg.Name, t.Name]);
  if (actions.length) out.push('', 'Actions', formatTable([['Action Name', 'Task Group', 'Task'], ...actions]));

  out.push('', 'Allocations', formatAllocListStubs(allocs, o.verbose, o.length, job));
}

function placementFailures(ev: Evaluation, out: string[]): void {
  const groups = Object.keys(ev.FailedTGAllocs ?? {}).sort();
  if (groups.length === 0) return;
  out.push('', 'Placement Failure');
  groups.slice(0, MAX_FAILED_TGS).forEach((tg, i) => {
    const m = ev.FailedTGAllocs?.[tg];
    if (!m) return;
    out.push(`Task Group ${JSON.stringify(tg)}:`, ...formatAllocMetrics(m, '  '));
    if (i !== groups.length - 1) out.push('');
  });
  if (groups.length > MAX_FAILED_TGS) out.push('', `Placement failures truncated. To see remainder run:\nroam eval-status ${ev.ID}`);
}

function rescheduleString(job: Job, group: string): string {
  const rp = lookupTaskGroup(job, group)?.ReschedulePolicy;
  if (!rp) return '';
  if (rp.Unlimited) return `unlimited with ${rp.DelayFunction} delay, max_delay = ${formatDuration(rp.MaxDelay)}`;
  return `${rp.Attempts} in ${formatDuration(rp.Interval)} with ${rp.DelayFunction} delay, max_delay = ${formatDuration(rp.MaxDelay)}`;
}

/** Nomad's outputReschedulingEvals: delayed follow-up evaluations of each group's newest allocation. */
async function reschedulingSection(api: RoamApi, job: Job, allocs: AllocListStub[], o: Options, out: string[]): Promise<void> {
  const newest = new Map<string, AllocListStub>();
  for (const a of allocs) {
    const cur = newest.get(a.TaskGroup);
    if (!cur || a.ModifyTime > cur.ModifyTime) newest.set(a.TaskGroup, a);
  }
  const now = Date.now();
  const rows: string[][] = [];
  for (const tg of [...newest.keys()].sort()) {
    const evalID = newest.get(tg)?.FollowupEvalID;
    if (!evalID) continue;
    let waitUntil = 0;
    try {
      waitUntil = parseGoTime((await api.evaluations.info(evalID)).data.WaitUntil);
    } catch {
      continue; // Not critical output, as in Nomad.
    }
    if (!waitUntil || now > waitUntil) continue;
    const when = prettyTimeDiff(waitUntil, now);
    rows.push(o.verbose ? [tg, rescheduleString(job, tg), limit(evalID, o.length), when] : [tg, limit(evalID, o.length), when]);
  }
  if (rows.length === 0) return;
  const header = o.verbose ? ['Task Group', 'Reschedule Policy', 'Eval ID', 'Eval Time'] : ['Task Group', 'Eval ID', 'Eval Time'];
  out.push('', 'Future Rescheduling Attempts', formatTable([header, ...rows]));
}
